/* assessment.c - /assessment start [week] | results | practical …, the components
 * (answer buttons asm:…, the Start button asmgo:…) and the assessment lines of
 * /progress. The flow is in assessment_take.c / assessment_flow.c. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/assessment_int.h"
#include "commands/ckcore.h"
#include "commands/commands.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Default week: the latest opened assessment not yet passed, else the latest opened,
 * else the next one (which then says when it opens). */
static int default_week(struct cmd_ctx *c, const struct asm_ctx *x)
{
    int latest = 0, unpassed = 0, next = 0;
    for (size_t i = 0; i < x->cur->n_assessments; i++) {
        int wk = x->cur->assessments[i].week;
        int64_t opens;
        if (asm_opens_at(&x->cohort, x->cur, wk, &opens))
            continue;
        if (opens > c->now) {
            if (!next || wk < next)
                next = wk;
            continue;
        }
        if (wk > latest)
            latest = wk;
        struct store_attempt *rows;
        size_t n;
        bool passed = false;
        if (store_asm_list(c->app->store, x->cohort.id, c->ix->user_id, wk, &rows, &n) == 0) {
            for (size_t j = 0; j < n; j++)
                passed |= rows[j].passed;
            free(rows);
        }
        if (!passed && wk > unpassed)
            unpassed = wk;
    }
    return unpassed ? unpassed : latest ? latest : next;
}

static int start_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    char why[300];
    struct asm_ctx x;
    if (asm_ctx_load(c, &x, why, sizeof(why)))
        return ck_say(c, "%s", why);
    int64_t week = 0;
    if (!args_int(a, "week", &week))
        week = default_week(c, &x);
    if (week <= 0)
        return ck_say(c, "This curriculum has no assessments.");
    return asm_begin(c, &x, (int)week);
}

static void attempt_line(struct buf *b, const struct store_attempt *r, int64_t now)
{
    if (r->state == ASM_OPEN && now < r->deadline) {
        buf_printf(b, "\n- attempt %d: in progress, ends <t:%lld:R> (/assessment start week:%d)",
                   r->attempt_no, (long long)r->deadline, r->week);
        return;
    }
    if (r->state == ASM_OPEN) {
        buf_printf(b, "\n- attempt %d: time ran out (scored when you next open it)", r->attempt_no);
        return;
    }
    if (r->state == ASM_VOID) {
        buf_printf(b, "\n- attempt %d: cancelled (the question bank changed), not counted",
                   r->attempt_no);
        return;
    }
    buf_printf(b, "\n- attempt %d: %d/%d (%d%%) %s, <t:%lld:d>%s", r->attempt_no, r->score,
               r->n_questions, asm_percent(r->score, r->n_questions),
               r->passed ? "**passed**" : "not passed", (long long)r->finished_at,
               r->state == ASM_EXPIRED ? " (time ran out)" : "");
}

static int results_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    char why[300];
    struct asm_ctx x;
    if (asm_ctx_load(c, &x, why, sizeof(why)))
        return ck_say(c, "%s", why);
    c->reply->ephemeral = true;
    struct msg_embed *e = msg_add_embed(c->reply, "Your assessments", NULL);
    if (!e)
        return BOT_ENOMEM;
    for (size_t i = 0; i < x.cur->n_assessments; i++) {
        const struct cur_assessment *as = &x.cur->assessments[i];
        struct store_attempt *rows;
        size_t n;
        int rc = store_asm_list(c->app->store, x.cohort.id, c->ix->user_id, as->week, &rows, &n);
        if (rc)
            return rc;
        struct buf b;
        buf_init(&b, 1 << 14); /* a field is cut at 1,024 characters when sent */
        buf_printf(&b, "%d questions, pass %d%%", as->questions, as->pass_percent);
        int64_t opens = 0;
        if (n == 0 && asm_opens_at(&x.cohort, x.cur, as->week, &opens) == 0)
            buf_printf(&b,
                       opens > c->now ? "\n- opens <t:%lld:F>"
                                      : "\n- not taken yet: "
                                        "/assessment start week:%lld",
                       (long long)(opens > c->now ? opens : as->week));
        for (size_t j = 0; j < n; j++)
            attempt_line(&b, &rows[j], c->now);
        free(rows);
        char pr[300], name[200];
        asm_practical_line(c, &x, c->ix->user_id, as->week, pr, sizeof(pr));
        if (pr[0])
            buf_printf(&b, "\n- practical: %s", pr);
        snprintf(name, sizeof(name), "Week %d: %s", as->week, as->topic);
        msg_embed_field(e, name, buf_str(&b), false);
        buf_free(&b);
    }
    return 0;
}

static int assessment_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    if (strcmp(a->sub, "start") == 0)
        return start_run(c, a);
    if (strcmp(a->sub, "results") == 0)
        return results_run(c, a);
    if (strncmp(a->sub, "practical ", 10) == 0)
        return asm_practical_run(c, a);
    return BOT_EINVAL;
}

int assessment_progress(struct cmd_ctx *c, const struct cohort *co, const char *user_id,
                        struct buf *out)
{
    const struct curriculum *cur =
        c->app->curricula ? curricula_find(c->app->curricula, co->curriculum) : NULL;
    if (!cur || cur->n_assessments == 0)
        return 0;
    struct store_attempt *rows;
    size_t n;
    int rc = store_asm_list(c->app->store, co->id, user_id, 0, &rows, &n);
    if (rc)
        return rc;
    int passed = 0;
    struct buf list;
    buf_init(&list, 4096);
    for (size_t i = 0; i < n; i++)
        if (rows[i].passed) {
            passed++;
            buf_printf(&list, "%sweek %d %d%%", passed > 1 ? ", " : " (", rows[i].week,
                       asm_percent(rows[i].score, rows[i].n_questions));
        }
    free(rows);
    buf_printf(out, "Assessments passed: %d of %zu%s%s", passed, cur->n_assessments, buf_str(&list),
               passed ? ")" : "");
    buf_free(&list);
    struct store_practical *pr;
    if (store_practical_list(c->app->store, co->id, user_id, 0, false, &pr, &n) == 0) {
        int ok = 0;
        for (size_t i = 0; i < n; i++)
            ok += pr[i].status == ASM_PR_PASSED;
        free(pr);
        buf_printf(out, "; practicals passed: %d", ok);
    }
    return 0;
}

static const struct cmd_opt start_opts[] = {
    {.name = "week",
     .description = "Which week's assessment (default: the latest open one)",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 52},
};
static const struct cmd_opt submit_opts[] = {
    {.name = "week",
     .description = "The assessment's week",
     .type = OPT_INTEGER,
     .required = true,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 52},
    {.name = "link",
     .description = "https link to your work (repository, notebook, …)",
     .type = OPT_STRING,
     .required = true,
     .max_len = 1000},
    {.name = "note", .description = "A note for your mentor", .type = OPT_STRING, .max_len = 500},
};
static const struct cmd_opt mark_opts[] = {
    {.name = "member", .description = "Whose practical", .type = OPT_USER, .required = true},
    {.name = "week",
     .description = "The assessment's week",
     .type = OPT_INTEGER,
     .required = true,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 52},
    {.name = "passed", .description = "Passed?", .type = OPT_BOOLEAN, .required = true},
    {.name = "comment",
     .description = "Feedback for the learner",
     .type = OPT_STRING,
     .max_len = 500},
};
static const struct cmd_opt list_opts[] = {
    {.name = "week",
     .description = "Only this week",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 52},
};
static const struct cmd_opt practical_opts[] = {
    {.name = "submit",
     .description = "Submit your practical component (a link and a note)",
     .type = OPT_SUBCOMMAND,
     .sub = submit_opts,
     .nsub = CMD_NOPTS(submit_opts)},
    {.name = "mark",
     .description = "Mentors and admins: mark a submission passed or not",
     .type = OPT_SUBCOMMAND,
     .sub = mark_opts,
     .nsub = CMD_NOPTS(mark_opts)},
    {.name = "list",
     .description = "Mentors and admins: submissions waiting for a mark",
     .type = OPT_SUBCOMMAND,
     .sub = list_opts,
     .nsub = CMD_NOPTS(list_opts)},
};
static const struct cmd_opt assessment_opts[] = {
    {.name = "start",
     .description = "Take (or continue) a skills assessment",
     .type = OPT_SUBCOMMAND,
     .sub = start_opts,
     .nsub = CMD_NOPTS(start_opts)},
    {.name = "results",
     .description = "Your attempts, scores and practicals",
     .type = OPT_SUBCOMMAND},
    {.name = "practical",
     .description = "The practical component",
     .type = OPT_GROUP,
     .sub = practical_opts,
     .nsub = CMD_NOPTS(practical_opts)},
};

const struct cmd_def cmd_assessment_def = {
    .name = "assessment",
    .description = "Skills assessments: take one, see your results, submit the practical",
    .opts = assessment_opts,
    .nopts = CMD_NOPTS(assessment_opts),
    .run = assessment_run,
};

const struct cmd_component cmd_assessment_answer = {.prefix = "asm:", .run = asm_answer_click};
const struct cmd_component cmd_assessment_start = {.prefix = "asmgo:", .run = asm_start_click};
