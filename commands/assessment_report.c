/* assessment_report.c - the assessments part of /cohort report (admin): per
 * assessment the closed attempts, pass rate and median score; per question the share
 * of correct answers and the choice most often picked when wrong, with questions below
 * 40% correct flagged for the organiser, as an embed plus a CSV file of every
 * question. Attempts whose time ran out are closed first so they count. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/assessment_int.h"
#include "commands/commands.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_BELOW 40 /* percent correct */
#define FLAGS_SHOWN 5

struct qstat {
    int answers, correct;
    int wrong[ASM_MAX_CHOICES];
};

struct wk_stats {
    const struct asm_bank *b;
    struct qstat q[ASM_MAX_QUESTIONS];
};

static int on_count(void *arg, const char *qid, int choice, bool correct, int count)
{
    struct wk_stats *w = arg;
    const struct asm_question *q = asm_bank_question(w->b, qid);
    if (!q || choice < 0 || choice >= q->n_choices)
        return 0; /* a question or choice the bank no longer has */
    struct qstat *s = &w->q[q - w->b->q];
    s->answers += count;
    if (correct)
        s->correct += count;
    else
        s->wrong[choice] += count;
    return 0;
}

/* The most picked wrong choice of q (-1 when nobody was wrong). */
static int top_wrong(const struct qstat *s, const struct asm_question *q)
{
    int best = -1;
    for (int k = 0; k < q->n_choices; k++)
        if (s->wrong[k] > 0 && (best < 0 || s->wrong[k] > s->wrong[best]))
            best = k;
    return best;
}

static void close_overdue(struct cmd_ctx *c, const struct asm_ctx *x)
{
    int64_t *ids;
    size_t n;
    if (store_asm_overdue(c->app->store, x->cohort.id, c->now, &ids, &n))
        return;
    for (size_t i = 0; i < n; i++) {
        struct asm_live l;
        if (asm_live_load(c, x, ids[i], &l) == 0)
            asm_live_close(c, &l, ASM_EXPIRED);
        asm_live_free(&l);
    }
    free(ids);
}

static void csv_text(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    for (const char *p = s; *p; p++)
        if (*p == '"')
            buf_puts(b, "\"\"");
        else
            buf_append(b, p, 1);
    buf_puts(b, "\"");
}

static void csv_rows(struct buf *csv, const struct wk_stats *w)
{
    for (size_t i = 0; i < w->b->n; i++) {
        const struct asm_question *q = &w->b->q[i];
        const struct qstat *s = &w->q[i];
        int tw = top_wrong(s, q);
        buf_printf(csv, "%d,%s,%d-%d,%d,%d,", w->b->week, q->id, q->days[0], q->days[q->n_days - 1],
                   s->answers, s->correct);
        if (s->answers)
            buf_printf(csv, "%d", s->correct * 100 / s->answers);
        buf_puts(csv, ",");
        csv_text(csv, tw >= 0 ? q->choices[tw] : "");
        buf_printf(csv, ",%d,%s\r\n", tw >= 0 ? s->wrong[tw] : 0,
                   s->answers && s->correct * 100 < FLAG_BELOW * s->answers ? "yes" : "no");
    }
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

static void week_field(struct cmd_ctx *c, struct msg_embed *e, const struct wk_stats *w,
                       const struct store_asm_summary *s)
{
    struct buf b;
    buf_init(&b, 1 << 14); /* cut to the 1,024 of a field when sent */
    if (s->attempts == 0) {
        buf_printf(&b, "No finished attempt yet.");
    } else {
        qsort(s->percents, (size_t)s->attempts, sizeof(int), cmp_int);
        int n = s->attempts;
        double med =
            n % 2 ? s->percents[n / 2] : (s->percents[n / 2 - 1] + s->percents[n / 2]) / 2.0;
        buf_printf(&b, "%d attempt%s by %d learner%s, %d%% passed, median score %.0f%%.", n,
                   n == 1 ? "" : "s", s->learners, s->learners == 1 ? "" : "s", s->passed * 100 / n,
                   med);
        int flagged = 0;
        for (size_t i = 0; i < w->b->n; i++) {
            const struct qstat *q = &w->q[i];
            if (!q->answers || q->correct * 100 >= FLAG_BELOW * q->answers)
                continue;
            if (flagged++ == 0)
                buf_printf(&b, "\nBelow %d%% correct, worth a review:", FLAG_BELOW);
            if (flagged > FLAGS_SHOWN)
                continue;
            int tw = top_wrong(q, &w->b->q[i]);
            buf_printf(&b, "\n`%s` %d%% of %d (most picked wrong: \"%.40s\")", w->b->q[i].id,
                       q->correct * 100 / q->answers, q->answers,
                       tw >= 0 ? w->b->q[i].choices[tw] : "-");
        }
        if (flagged > FLAGS_SHOWN)
            buf_printf(&b, "\n… and %d more (see the CSV).", flagged - FLAGS_SHOWN);
    }
    char name[160];
    snprintf(name, sizeof(name), "Week %d assessment: %s", w->b->week, w->b->topic);
    msg_embed_field(e, name, buf_str(&b), false);
    buf_free(&b);
    (void)c;
}

int assessment_report(struct cmd_ctx *c, const struct cohort *co)
{
    struct asm_ctx x = {.cohort = *co};
    asm_rules_of(c, &x.rules);
    x.cur = c->app->curricula ? curricula_find(c->app->curricula, co->curriculum) : NULL;
    if (!x.cur || x.cur->n_assessments == 0)
        return 0;
    close_overdue(c, &x);
    struct msg_embed *e = msg_add_embed(c->reply, "Assessments", NULL);
    struct wk_stats *w = malloc(sizeof(*w));
    struct buf csv;
    buf_init(&csv, 4u << 20);
    buf_puts(&csv, "week,question_id,days,answers,correct,correct_percent,most_picked_wrong,"
                   "wrong_picks,flagged\r\n");
    int rc = e && w ? 0 : BOT_ENOMEM;
    for (size_t i = 0; !rc && i < x.cur->n_assessments; i++) {
        int wk = x.cur->assessments[i].week;
        memset(w, 0, sizeof(*w));
        w->b = asm_banks_find(c->app->banks, x.cur->slug, wk);
        if (!w->b)
            continue;
        struct store_asm_summary s;
        rc = store_asm_summary(c->app->store, co->id, wk, &s);
        if (!rc)
            rc = store_asm_choice_counts(c->app->store, co->id, wk, on_count, w);
        if (!rc) {
            week_field(c, e, w, &s);
            csv_rows(&csv, w);
        }
        free(s.percents);
    }
    if (!rc && csv.len)
        rc = msg_set_file(c->reply, "assessment-questions.csv", buf_str(&csv), csv.len);
    buf_free(&csv);
    free(w);
    return rc;
}
