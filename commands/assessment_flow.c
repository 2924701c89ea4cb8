/* assessment_flow.c - taking an assessment: starting or resuming an attempt, showing
 * one question at a time in an ephemeral message that updates in place (type 7),
 * recording each answer (committed before the reply that shows the next question
 * leaves: the registry's group commit holds the reply until then), closing the attempt
 * with its score, pass/fail and review advice. See assessment_int.h. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "commands/assessment_int.h"
#include "commands/ckcore.h"
#include "config/config.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REVIEW 6

void asm_rules_of(const struct cmd_ctx *c, struct asm_rules *r)
{
    const struct config *cfg = c->app ? c->app->cfg : NULL;
    r->max_attempts = cfg && cfg->assessment_max_attempts > 0 ? cfg->assessment_max_attempts : 3;
    r->retake_wait = (int64_t)(cfg ? cfg->assessment_retake_hours : 24) * 3600;
    r->time_limit =
        (int64_t)(cfg && cfg->assessment_time_limit_min > 0 ? cfg->assessment_time_limit_min : 60) *
        60;
}

int asm_ctx_load(struct cmd_ctx *c, struct asm_ctx *x, char *why, size_t whylen)
{
    memset(x, 0, sizeof(*x));
    asm_rules_of(c, &x->rules);
    int rc = store_cohort_get(c->app->store, c->ix->guild_id, &x->cohort);
    if (rc == BOT_ENOTFOUND) {
        snprintf(why, whylen,
                 "No cohort runs in this server yet (an admin starts one with "
                 "/cohort start).");
        return rc;
    }
    if (rc)
        return rc;
    x->cur = c->app->curricula ? curricula_find(c->app->curricula, x->cohort.curriculum) : NULL;
    if (!x->cur) {
        snprintf(why, whylen, "The cohort's curriculum \"%s\" is not loaded.",
                 x->cohort.curriculum);
        return BOT_ENOTFOUND;
    }
    return 0;
}

/* plan "id id id" -> bank indexes */
static void map_plan(struct asm_live *l)
{
    const char *p = l->a.plan;
    for (int i = 0; i < l->a.n_questions && i < ASM_MAX_QUESTIONS; i++) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        char id[ASM_ID_MAX + 1];
        snprintf(id, sizeof(id), "%.*s", (int)(n < sizeof(id) ? n : sizeof(id) - 1), p);
        const struct asm_question *q = asm_bank_question(l->bank, id);
        l->qidx[i] = q ? (int)(q - l->bank->q) : -1;
        p += n;
    }
}

int asm_live_load(struct cmd_ctx *c, const struct asm_ctx *x, int64_t attempt_id,
                  struct asm_live *l)
{
    memset(l, 0, sizeof(*l));
    int rc = store_asm_get(c->app->store, attempt_id, &l->a);
    if (rc)
        return rc;
    l->bank = asm_banks_find(c->app->banks, x->cur->slug, l->a.week);
    if (!l->bank)
        return BOT_ENOTFOUND;
    if (l->a.n_questions > ASM_MAX_QUESTIONS)
        return BOT_ECORRUPT;
    map_plan(l);
    rc = store_asm_answers(c->app->store, l->a.id, &l->ans, &l->nans);
    for (size_t i = 0; !rc && i < l->nans; i++)
        l->score += l->ans[i].correct;
    return rc;
}

void asm_live_free(struct asm_live *l)
{
    free(l->ans);
    l->ans = NULL;
    l->nans = 0;
}

int asm_live_close(struct cmd_ctx *c, struct asm_live *l, int state)
{
    bool passed = state != ASM_VOID && asm_passed(l->score, l->a.n_questions, l->a.pass_percent);
    int64_t at = state == ASM_EXPIRED ? l->a.deadline : c->now;
    int rc = store_asm_close(c->app->store, l->a.id, state, passed, at);
    if (rc && rc != BOT_EINVAL) /* EINVAL: closed meanwhile; reload shows how */
        return rc;
    log_info("assessment", "closed attempt=%lld user=%s week=%d state=%d score=%d/%d",
             (long long)l->a.id, l->a.user_id, l->a.week, state, l->score, l->a.n_questions);
    return store_asm_get(c->app->store, l->a.id, &l->a);
}

const struct asm_question *asm_live_q(const struct asm_live *l, int pos)
{
    return pos >= 0 && pos < l->a.n_questions && l->qidx[pos] >= 0 ? &l->bank->q[l->qidx[pos]]
                                                                   : NULL;
}

static void feedback_embed(struct cmd_ctx *c, const struct asm_live *l,
                           const struct asm_feedback *fb)
{
    const struct asm_question *q = asm_live_q(l, fb->pos);
    if (!q)
        return;
    int perm[ASM_MAX_CHOICES];
    asm_choice_order(l->a.seed, q->id, q->n_choices, perm);
    int right = 0;
    for (int k = 0; k < q->n_choices; k++)
        if (perm[k] == q->correct)
            right = k;
    char title[128];
    if (fb->right)
        snprintf(title, sizeof(title), "✅ Question %d: correct", fb->pos + 1);
    else
        snprintf(title, sizeof(title), "❌ Question %d: the answer was %c", fb->pos + 1,
                 'A' + right);
    struct msg_embed *e = msg_add_embed(c->reply, title, NULL);
    if (!e)
        return;
    struct buf b;
    buf_init(&b, 1 << 16);
    if (!fb->right && fb->picked >= 0 && fb->picked < q->n_choices)
        buf_printf(&b, "You picked **%c.** %s\n", 'A' + fb->picked, q->choices[perm[fb->picked]]);
    buf_printf(&b, "**%c.** %s\n\n%s", 'A' + right, q->choices[q->correct], q->explanation);
    e->description = buf_take(&b);
    e->color = fb->right ? 0x2e7d32 : 0xc62828;
}

static void question_embed(struct cmd_ctx *c, const struct asm_live *l, int pos)
{
    const struct asm_question *q = asm_live_q(l, pos);
    char title[160];
    snprintf(title, sizeof(title), "Week %d assessment · question %d of %d", l->a.week, pos + 1,
             l->a.n_questions);
    struct msg_embed *e = msg_add_embed(c->reply, title, NULL);
    if (!e || !q)
        return;
    int perm[ASM_MAX_CHOICES];
    asm_choice_order(l->a.seed, q->id, q->n_choices, perm);
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_printf(&b, "%s\n", q->prompt);
    for (int k = 0; k < q->n_choices; k++)
        buf_printf(&b, "\n**%c.** %s", 'A' + k, q->choices[perm[k]]);
    e->description = buf_take(&b);
    e->color = 0x1565c0;
    char v[160];
    snprintf(v, sizeof(v), "ends <t:%lld:t> (<t:%lld:R>)", (long long)l->a.deadline,
             (long long)l->a.deadline);
    msg_embed_field(e, "Time", v, true);
    snprintf(v, sizeof(v), "%d of %d answered, %d correct", pos, l->a.n_questions, l->score);
    msg_embed_field(e, "So far", v, true);
    for (int k = 0; k < q->n_choices; k++) {
        char label[4] = {(char)('A' + k), 0}, cid[64];
        snprintf(cid, sizeof(cid), "asm:%lld:%d:%d", (long long)l->a.id, pos, k);
        msg_add_button(c->reply, label, cid, MSG_BTN_PRIMARY);
    }
}

static void review_text(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_live *l,
                        struct buf *b)
{
    int qidx[ASM_MAX_QUESTIONS];
    bool right[ASM_MAX_QUESTIONS] = {false};
    size_t n = 0;
    for (int i = 0; i < l->a.n_questions && i < ASM_MAX_QUESTIONS; i++) {
        qidx[n] = l->qidx[i];
        for (size_t j = 0; j < l->nans; j++)
            if (l->ans[j].pos == i)
                right[n] = l->ans[j].correct;
        n++;
    }
    struct asm_review g[MAX_REVIEW];
    size_t ng = asm_review(l->bank, x->cur, qidx, right, n, g, MAX_REVIEW);
    (void)c;
    if (ng == 0) {
        buf_printf(b, "No question missed. 🎉");
        return;
    }
    buf_printf(b, "To review:");
    for (size_t i = 0; i < ng && i < MAX_REVIEW; i++) {
        char days[32];
        if (g[i].first_day == g[i].last_day)
            snprintf(days, sizeof(days), "day %d", g[i].first_day);
        else
            snprintf(days, sizeof(days), "days %d-%d", g[i].first_day, g[i].last_day);
        buf_printf(b, "\n- you missed %d of %d question%s on %s%s%s: /day %d", g[i].missed,
                   g[i].total, g[i].total == 1 ? "" : "s", days, g[i].topic ? ", " : "",
                   g[i].topic ? g[i].topic : "", g[i].first_day);
    }
    if (ng > MAX_REVIEW)
        buf_printf(b, "\n- … and %zu more topics", ng - MAX_REVIEW);
}

static void result_embed(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_live *l)
{
    const struct store_attempt *a = &l->a;
    char title[200];
    snprintf(title, sizeof(title), "Week %d assessment: %d of %d (%d%%) · %s", a->week, a->score,
             a->n_questions, asm_percent(a->score, a->n_questions),
             a->passed ? "passed ✅" : "not passed");
    struct msg_embed *e = msg_add_embed(c->reply, title, NULL);
    if (!e)
        return;
    e->color = a->passed ? 0x2e7d32 : 0xef6c00;
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_printf(&b, "Pass mark %d%%. ", a->pass_percent);
    if (a->state == ASM_EXPIRED)
        buf_printf(&b,
                   "Time ran out after %lld minutes: the %d unanswered question%s count as "
                   "wrong. ",
                   (long long)(x->rules.time_limit / 60), a->n_questions - (int)l->nans,
                   a->n_questions - (int)l->nans == 1 ? "" : "s");
    buf_printf(&b, "\n\n");
    review_text(c, x, l, &b);
    e->description = buf_take(&b);
    char v[400];
    if (!a->passed) {
        int left = x->rules.max_attempts - a->attempt_no;
        if (left > 0)
            snprintf(v, sizeof(v),
                     "%d attempt%s left; the next from <t:%lld:F> with "
                     "/assessment start week:%d.",
                     left, left == 1 ? "" : "s", (long long)(a->finished_at + x->rules.retake_wait),
                     a->week);
        else
            snprintf(v, sizeof(v),
                     "That was your last attempt (%d). Talk to your mentor about "
                     "the topics above.",
                     x->rules.max_attempts);
        msg_embed_field(e, "Retake", v, false);
    }
    char pr[300];
    asm_practical_line(c, x, a->user_id, a->week, pr, sizeof(pr));
    if (pr[0])
        msg_embed_field(e, "Practical component", pr, false);
}

int asm_show(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_live *l,
             const struct asm_feedback *fb, const char *note)
{
    c->reply->ephemeral = true;
    if (note && *note)
        msg_set_content(c->reply, "%s", note);
    if (fb)
        feedback_embed(c, l, fb);
    if (l->a.state == ASM_OPEN)
        question_embed(c, l, (int)l->nans);
    else
        result_embed(c, x, l);
    return 0;
}
