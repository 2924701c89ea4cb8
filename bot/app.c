/* app.c - the clock of the application context (see app.h). */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "config/assessment.h"
#include "config/config.h"
#include "config/curriculum.h"

#include <time.h>

int64_t app_now(const struct app *a)
{
    return (int64_t)time(NULL) + (a ? a->clock_offset : 0);
}

int64_t app_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int app_load_curricula(struct app *a)
{
    struct buf errs;
    buf_init(&errs, 1 << 16);
    int rc = curricula_load_dir(a->cfg->curricula_dir, &a->curricula, &errs);
    if (rc)
        log_error("curriculum", "%s", buf_str(&errs));
    buf_free(&errs);
    if (rc < 0 || !a->curricula || a->curricula->n == 0) {
        log_error("curriculum", "no curriculum could be loaded from %s", a->cfg->curricula_dir);
        return rc < 0 ? rc : BOT_ENOTFOUND;
    }
    for (size_t i = 0; i < a->curricula->n; i++)
        log_info("curriculum", "loaded slug=%s days=%zu weeks=%zu", a->curricula->items[i]->slug,
                 a->curricula->items[i]->n_days, a->curricula->items[i]->n_weeks);
    app_load_banks(a);
    return 0;
}

void app_load_banks(struct app *a)
{
    struct buf errs;
    buf_init(&errs, 1 << 16);
    asm_banks_free(a->banks);
    a->banks = NULL;
    const char *dir = a->cfg && a->cfg->assessments_dir ? a->cfg->assessments_dir : "";
    int rc = asm_banks_load_dir(dir, a->curricula, &a->banks, &errs);
    if (rc)
        log_warn("assessment", "question banks of %s: %d problem%s (run --check-config):\n%s", dir,
                 rc, rc == 1 ? "" : "s", buf_str(&errs));
    buf_free(&errs);
    log_info("assessment", "banks loaded=%zu dir=%s", a->banks ? a->banks->n : 0, dir);
}

void app_free_curricula(struct app *a)
{
    asm_banks_free(a->banks);
    a->banks = NULL;
    curricula_free(a->curricula);
    a->curricula = NULL;
}
