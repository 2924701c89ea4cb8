/* assessment_post.c - the Start assessment post: at the start of an assessment
 * week's last day (local midnight in the cohort's zone) the week channel gets an embed
 * with a **Start assessment** button (custom_id asmgo:<cohort>:<week>), exactly once
 * through the delivery ledger (key asm/<guild>/<start-date>/week-NN, nonce), caught up
 * within catchup_hours after downtime and recorded as skipped beyond. A post whose
 * channel is missing goes to the fallback channel, else waits. Loop thread. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/assessment.h"
#include "schedules/daily.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POST_INFLIGHT 16

struct post_fly {
    struct app *app;
    struct asm_post_state *st;
    char key[160];
    bool used;
};

struct asm_post_state {
    struct post_fly fly[POST_INFLIGHT];
    int64_t retry_at;
};

struct asm_post_state *asm_post_new(void)
{
    return calloc(1, sizeof(struct asm_post_state));
}

void asm_post_free(struct asm_post_state *s)
{
    free(s);
}

static void on_sent(void *arg, const struct chat_result *r)
{
    struct post_fly *f = arg;
    int64_t now = app_now(f->app);
    if (r->rc == 0) {
        store_delivery_mark(f->app->store, f->key, DLV_SENT, r->id, NULL, now);
        log_info("assessment", "posted key=%s message=%s", f->key, r->id ? r->id : "-");
    } else if (r->http_status == 400 || r->http_status == 403 || r->http_status == 404) {
        store_delivery_mark(f->app->store, f->key, DLV_FAILED, NULL, r->detail, now);
        log_error("assessment", "post refused key=%s status=%d code=%d", f->key, r->http_status,
                  r->discord_code);
    } else {
        store_delivery_mark(f->app->store, f->key, DLV_PENDING, NULL, r->detail, now);
        f->st->retry_at = now + 60;
        log_warn("assessment", "post failed, will retry key=%s rc=%d", f->key, r->rc);
    }
    f->used = false;
}

static struct post_fly *slot(struct asm_post_state *st, const char *key)
{
    struct post_fly *free_slot = NULL;
    for (int i = 0; i < POST_INFLIGHT; i++) {
        if (st->fly[i].used && strcmp(st->fly[i].key, key) == 0)
            return NULL; /* already on its way */
        if (!st->fly[i].used && !free_slot)
            free_slot = &st->fly[i];
    }
    return free_slot;
}

int asm_post_message(const struct cohort *c, const struct curriculum *cur, int week,
                     const struct asm_rules *rules, struct message *m)
{
    const struct cur_assessment *a = curriculum_assessment_of_week(cur, week);
    if (!a)
        return BOT_ENOTFOUND;
    char title[300], cid[64];
    snprintf(title, sizeof(title), "📝 Week %d skills assessment: %s", week, a->topic);
    struct buf b;
    buf_init(&b, 1 << 14);
    buf_printf(&b,
               "%d questions, one at a time, only you see them. Pass mark %d%%; %lld minutes "
               "per attempt; up to %d attempts, a retake %lld h after a failed one. Afterwards "
               "you get your score and the days to review.",
               a->questions, a->pass_percent, (long long)(rules->time_limit / 60),
               rules->max_attempts, (long long)(rules->retake_wait / 3600));
    if (a->practical)
        buf_printf(&b,
                   "\n\n**Practical component:** %s. Submit a link with /assessment "
                   "practical submit week:%d; a mentor marks it.",
                   a->practical, week);
    struct msg_embed *e = msg_add_embed(m, title, buf_str(&b));
    buf_free(&b);
    if (!e)
        return BOT_ENOMEM;
    e->color = 0x6a1b9a;
    snprintf(cid, sizeof(cid), "asmgo:%lld:%d", (long long)c->id, week);
    return msg_add_button(m, "Start assessment", cid, MSG_BTN_SUCCESS);
}

static void rules_of(const struct app *app, struct asm_rules *r)
{
    const struct config *cfg = app->cfg;
    r->max_attempts = cfg && cfg->assessment_max_attempts > 0 ? cfg->assessment_max_attempts : 3;
    r->retake_wait = (int64_t)(cfg ? cfg->assessment_retake_hours : 24) * 3600;
    r->time_limit =
        (int64_t)(cfg && cfg->assessment_time_limit_min > 0 ? cfg->assessment_time_limit_min : 60) *
        60;
}

/* Posts (or skips) week's post of cohort c when it is due. */
static void post_week(struct app *app, struct asm_post_state *st, const struct cohort *c,
                      const struct curriculum *cur, int week, int64_t now)
{
    int64_t due;
    char key[160], chan[24], fb[24];
    if (asm_opens_at(c, cur, week, &due) || now < due)
        return;
    snprintf(key, sizeof(key), "asm/%s/%s/week-%02d", c->guild_id, c->start_date, week);
    struct delivery dl;
    bool created;
    int got = store_delivery_get(app->store, key, &dl);
    if (got == 0 && dl.state != DLV_PENDING)
        return;
    int64_t window = (int64_t)(app->cfg ? app->cfg->catchup_hours : 12) * 3600;
    const char *target = daily_week_channel(app, c, week, chan, sizeof(chan), fb, sizeof(fb));
    if (!target && fb[0])
        target = fb;
    if (now - due > window) {
        if (got == BOT_ENOTFOUND &&
            store_delivery_begin(app->store, key, "assessment", NULL, due, now, &dl, &created))
            return;
        store_delivery_mark(app->store, key, DLV_SKIPPED, NULL, "older than catchup_hours", now);
        log_warn("assessment", "skipped key=%s: its time passed more than %lld h ago", key,
                 (long long)(window / 3600));
        return;
    }
    struct post_fly *f = target ? slot(st, key) : NULL;
    if (!f)
        return; /* no channel yet (retried every tick), or already sending */
    if (got == BOT_ENOTFOUND &&
        store_delivery_begin(app->store, key, "assessment", target, due, now, &dl, &created))
        return;
    struct message m;
    msg_init(&m);
    struct asm_rules rules;
    rules_of(app, &rules);
    if (asm_post_message(c, cur, week, &rules, &m) == 0) {
        *f = (struct post_fly){.app = app, .st = st, .used = true};
        snprintf(f->key, sizeof(f->key), "%s", key);
        if (app->chat.ops->post(app->chat.impl, target, &m, dl.nonce, on_sent, f))
            f->used = false;
    }
    msg_free(&m);
}

struct tick_arg {
    struct app *app;
    struct asm_post_state *st;
    int64_t now;
};

static int tick_cohort(void *arg, const struct cohort *c)
{
    struct tick_arg *t = arg;
    const struct curriculum *cur = curricula_find(t->app->curricula, c->curriculum);
    for (size_t i = 0; cur && i < cur->n_assessments; i++)
        if (asm_banks_find(t->app->banks, cur->slug, cur->assessments[i].week))
            post_week(t->app, t->st, c, cur, cur->assessments[i].week, t->now);
    return 0;
}

void asm_post_tick(struct app *app, struct asm_post_state *st, int64_t now)
{
    if (!app->curricula || !app->chat.ops || !app->banks || now < st->retry_at)
        return;
    struct tick_arg t = {app, st, now};
    store_cohort_each(app->store, tick_cohort, &t);
}
