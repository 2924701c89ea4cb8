/* assessment_take.c - starting, resuming and answering (see assessment_int.h). Every
 * custom_id is checked: the attempt must exist, be in the clicking member's guild's
 * cohort and be theirs; the position must be the current question (an earlier one is
 * a stale click: the current question is shown again, nothing recorded). */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "commands/assessment_int.h"
#include "commands/ckcore.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strict non-negative decimal into *out (at most max); advances *p past it. */
static bool num(const char **p, int64_t max, int64_t *out)
{
    int64_t v = 0;
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        if (v > max)
            return false;
    }
    *p = s;
    *out = v;
    return true;
}

/* "asm:<attempt>:<pos>:<k>" */
static bool parse_answer_id(const char *cid, int64_t *attempt, int *pos, int *k)
{
    const char *p = cid + strlen("asm:");
    int64_t a, b, d;
    if (!num(&p, INT64_MAX / 10, &a) || *p++ != ':' || !num(&p, ASM_MAX_QUESTIONS, &b) ||
        *p++ != ':' || !num(&p, ASM_MAX_CHOICES, &d) || *p)
        return false;
    *attempt = a;
    *pos = (int)b;
    *k = (int)d;
    return true;
}

static int refuse(struct cmd_ctx *c, const char *why)
{
    c->reply->kind = MSG_KIND_MESSAGE; /* never edit a message that is not theirs */
    return ck_say(c, "%s", why);
}

/* Builds the attempt's question order from a fresh seed. */
static void new_plan(const struct asm_bank *b, struct store_attempt *a)
{
    int perm[ASM_MAX_QUESTIONS];
    a->seed = asm_seed_new();
    asm_question_order(a->seed, b->n, perm);
    size_t used = 0;
    a->plan[0] = '\0';
    for (size_t i = 0; i < b->n; i++) {
        int w = snprintf(a->plan + used, sizeof(a->plan) - used, "%s%s", i ? " " : "",
                         b->q[perm[i]].id);
        if (w > 0 && (size_t)w < sizeof(a->plan) - used)
            used += (size_t)w;
    }
}

static int create_attempt(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_bank *b,
                          int64_t *id)
{
    struct store_attempt a;
    memset(&a, 0, sizeof(a));
    a.cohort_id = x->cohort.id;
    snprintf(a.user_id, sizeof(a.user_id), "%s", c->ix->user_id);
    a.week = b->week;
    a.n_questions = (int)b->n;
    a.pass_percent = b->pass_percent;
    snprintf(a.bank_hash, sizeof(a.bank_hash), "%016llx", b->hash);
    a.started_at = c->now;
    a.deadline = asm_deadline(&x->rules, c->now);
    new_plan(b, &a);
    int rc = store_asm_create(c->app->store, &a);
    if (rc == 0) {
        log_info("assessment", "started attempt=%lld user=%s week=%d no=%d", (long long)a.id,
                 a.user_id, a.week, a.attempt_no);
        *id = a.id;
    }
    return rc;
}

/* The learner's attempts of week as asm_prev rows; the open one's id into *open_id. */
static int prev_of(struct cmd_ctx *c, const struct asm_ctx *x, int week, struct asm_prev *prev,
                   size_t *n, int64_t *open_id, int *best)
{
    struct store_attempt *rows;
    size_t nr;
    int rc = store_asm_list(c->app->store, x->cohort.id, c->ix->user_id, week, &rows, &nr);
    if (rc)
        return rc;
    *n = 0;
    *open_id = 0;
    *best = -1;
    for (size_t i = 0; i < nr && *n < 64; i++) {
        prev[(*n)++] = (struct asm_prev){.state = (enum asm_state)rows[i].state,
                                         .passed = rows[i].passed,
                                         .started_at = rows[i].started_at,
                                         .finished_at = rows[i].finished_at};
        if (rows[i].state == ASM_OPEN)
            *open_id = rows[i].id;
        if (rows[i].passed && asm_percent(rows[i].score, rows[i].n_questions) > *best)
            *best = asm_percent(rows[i].score, rows[i].n_questions);
    }
    free(rows);
    return 0;
}

static int show_attempt(struct cmd_ctx *c, const struct asm_ctx *x, int64_t id, const char *note,
                        bool expire)
{
    struct asm_live l;
    int rc = asm_live_load(c, x, id, &l);
    if (!rc && l.a.state == ASM_OPEN && (expire || (int)l.nans >= l.a.n_questions))
        rc = asm_live_close(c, &l, expire ? ASM_EXPIRED : ASM_DONE);
    if (!rc)
        rc = asm_show(c, x, &l, NULL, note);
    asm_live_free(&l);
    return rc;
}

static int intro(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_bank *b, int64_t id)
{
    char note[700];
    struct store_attempt a;
    if (store_asm_get(c->app->store, id, &a))
        return BOT_EIO;
    snprintf(note, sizeof(note),
             "**Week %d skills assessment: %s.** %zu questions, one at a time (only you see "
             "them); pass mark %d%%; %lld minutes, until <t:%lld:t>. Attempt %d of %d. Each "
             "answer is saved at once: after a break, click again or run /assessment start.",
             b->week, b->topic, b->n, b->pass_percent, (long long)(x->rules.time_limit / 60),
             (long long)a.deadline, a.attempt_no, x->rules.max_attempts);
    return show_attempt(c, x, id, note, false);
}

static int gate_refusal(struct cmd_ctx *c, const struct asm_ctx *x, int week, enum asm_gate g,
                        int64_t when, int best)
{
    switch (g) {
    case ASM_GATE_NOT_OPEN:
        return ck_say(c,
                      "The week %d assessment opens <t:%lld:F> (<t:%lld:R>), at the start of "
                      "the week's last day.",
                      week, (long long)when, (long long)when);
    case ASM_GATE_PASSED:
        return ck_say(c,
                      "You already passed the week %d assessment (%d%%). /assessment results "
                      "shows your attempts.",
                      week, best);
    case ASM_GATE_NO_MORE:
        return ck_say(c,
                      "You have used all %d attempts at the week %d assessment. "
                      "/assessment results shows what to review.",
                      x->rules.max_attempts, week);
    case ASM_GATE_WAIT:
        return ck_say(c, "You can retake the week %d assessment from <t:%lld:F> (<t:%lld:R>).",
                      week, (long long)when, (long long)when);
    default:
        return BOT_EINVAL;
    }
}

int asm_begin(struct cmd_ctx *c, struct asm_ctx *x, int week)
{
    const struct asm_bank *b = asm_banks_find(c->app->banks, x->cur->slug, week);
    if (!curriculum_assessment_of_week(x->cur, week))
        return ck_say(c, "Week %d has no assessment.", week);
    if (!b)
        return ck_say(c,
                      "The week %d assessment has no valid question bank on this bot yet "
                      "(the operator can check with cohortbot --check-config).",
                      week);
    int64_t opens, when = 0, open_id;
    if (asm_opens_at(&x->cohort, x->cur, week, &opens))
        return ck_say(c, "The cohort's start date or zone is invalid.");
    struct asm_prev prev[64];
    size_t n;
    int best, rc = prev_of(c, x, week, prev, &n, &open_id, &best);
    if (rc)
        return rc;
    enum asm_gate g = asm_gate(&x->rules, prev, n, opens, c->now, &when);
    if (g == ASM_GATE_RESUME)
        return show_attempt(c, x, open_id, "Continuing your attempt where you stopped.", false);
    if (g == ASM_GATE_EXPIRE)
        return show_attempt(c, x, open_id, "Your attempt's time ran out before you finished.",
                            true);
    if (g != ASM_GATE_START)
        return gate_refusal(c, x, week, g, when, best);
    int64_t id = 0;
    rc = create_attempt(c, x, b, &id);
    if (rc == BOT_EBUSY) { /* a second click raced the first: continue that one */
        if ((rc = prev_of(c, x, week, prev, &n, &open_id, &best)) || !open_id)
            return rc ? rc : BOT_EIO;
        return show_attempt(c, x, open_id, "Continuing your attempt.", false);
    }
    return rc ? rc : intro(c, x, b, id);
}

/* Checks the click against the attempt; 1 = refused (reply filled), 0 = go on. */
static int check_click(struct cmd_ctx *c, const struct asm_ctx *x, const struct asm_live *l,
                       int pos, int k)
{
    if (l->a.cohort_id != x->cohort.id || strcmp(l->a.user_id, c->ix->user_id) != 0) {
        log_warn("assessment", "refused click on attempt=%lld by user=%s guild=%s",
                 (long long)l->a.id, c->ix->user_id, c->ix->guild_id);
        refuse(c, "This assessment attempt is not yours. Start your own with /assessment start.");
        return 1;
    }
    if (l->a.state == ASM_OPEN && pos > (int)l->nans) {
        refuse(c, "That is not the current question of your attempt; nothing was recorded.");
        return 1;
    }
    const struct asm_question *q = asm_live_q(l, (int)l->nans);
    if (l->a.state == ASM_OPEN && pos == (int)l->nans && q && k >= q->n_choices) {
        refuse(c, "That choice does not exist; nothing was recorded.");
        return 1;
    }
    return 0;
}

/* Records the click's answer; fills fb. 0, 1 (stale: already answered) or BOT_E*. */
static int record(struct cmd_ctx *c, struct asm_live *l, int k, struct asm_feedback *fb)
{
    int pos = (int)l->nans;
    const struct asm_question *q = asm_live_q(l, pos);
    int perm[ASM_MAX_CHOICES];
    asm_choice_order(l->a.seed, q->id, q->n_choices, perm);
    struct store_answer ans = {.pos = pos, .choice = perm[k], .answered_at = c->now};
    ans.correct = perm[k] == q->correct;
    snprintf(ans.question_id, sizeof(ans.question_id), "%s", q->id);
    int rc = store_asm_answer(c->app->store, l->a.id, &ans);
    if (rc == BOT_EBUSY || rc == BOT_EINVAL)
        return 1;
    if (rc)
        return rc;
    *fb = (struct asm_feedback){.pos = pos, .picked = k, .right = ans.correct};
    asm_live_free(l);
    return store_asm_answers(c->app->store, l->a.id, &l->ans, &l->nans) ? BOT_EIO : 0;
}

static int click(struct cmd_ctx *c, struct asm_ctx *x, struct asm_live *l, int pos, int k)
{
    if (check_click(c, x, l, pos, k))
        return 0;
    c->reply->kind = MSG_KIND_UPDATE;
    if (l->a.state != ASM_OPEN)
        return asm_show(c, x, l, NULL, "This attempt has finished; nothing was recorded.");
    if (!asm_live_q(l, (int)l->nans)) {
        int rc = asm_live_close(c, l, ASM_VOID);
        return rc ? rc
                  : ck_say(c, "The question bank changed during your attempt, so it was "
                              "cancelled without counting. Start again with /assessment start.");
    }
    if (c->now >= l->a.deadline) {
        int rc = asm_live_close(c, l, ASM_EXPIRED);
        return rc ? rc : asm_show(c, x, l, NULL, "Time is up; this answer came too late.");
    }
    if (pos < (int)l->nans)
        return asm_show(c, x, l, NULL, "That question was already answered; here is the next.");
    struct asm_feedback fb;
    int rc = record(c, l, k, &fb);
    if (rc == 1) /* answered meanwhile (a double click) */
        return asm_show(c, x, l, NULL, NULL);
    if (rc)
        return rc;
    l->score = 0;
    for (size_t i = 0; i < l->nans; i++)
        l->score += l->ans[i].correct;
    if ((int)l->nans >= l->a.n_questions && (rc = asm_live_close(c, l, ASM_DONE)))
        return rc;
    return asm_show(c, x, l, &fb, NULL);
}

int asm_answer_click(struct cmd_ctx *c, const struct cmd_args *a)
{
    int64_t id;
    int pos, k;
    char why[300];
    struct asm_ctx x;
    if (!parse_answer_id(a->sub, &id, &pos, &k))
        return refuse(c, "This button is not valid.");
    if (asm_ctx_load(c, &x, why, sizeof(why)))
        return refuse(c, why);
    struct asm_live l;
    int rc = asm_live_load(c, &x, id, &l);
    if (rc == BOT_ENOTFOUND && l.a.id == 0)
        rc = refuse(c, "This assessment attempt does not exist.");
    else if (rc == BOT_ENOTFOUND)
        rc = refuse(c, "This assessment's question bank is not available right now; your "
                       "answers so far are saved.");
    else if (!rc)
        rc = click(c, &x, &l, pos, k);
    asm_live_free(&l);
    return rc;
}

/* "asmgo:<cohort>:<week>": the Start assessment button of the week channel's post. */
int asm_start_click(struct cmd_ctx *c, const struct cmd_args *a)
{
    const char *p = a->sub + strlen("asmgo:");
    int64_t cohort, week;
    char why[300];
    struct asm_ctx x;
    if (!num(&p, INT64_MAX / 10, &cohort) || *p++ != ':' || !num(&p, 52, &week) || *p)
        return refuse(c, "This button is not valid.");
    if (asm_ctx_load(c, &x, why, sizeof(why)))
        return refuse(c, why);
    if (x.cohort.id != cohort)
        return refuse(c, "This button belongs to an earlier cohort; use /assessment start.");
    return asm_begin(c, &x, (int)week);
}
