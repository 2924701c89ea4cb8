/* project.c - /projects (the current block's checklist), /project done item:
 * (autocomplete over the block's items) [link], /project submit kind: link: [notes],
 * and the routing of /project status|assign|decide (commands/project_review.c), plus
 * the projects parts of /progress and /cohort report. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_project.h"
#include "commands/ckcore.h"
#include "commands/commands.h"
#include "commands/project_int.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int proj_ctx_load(struct cmd_ctx *c, struct proj_ctx *x, char *why, size_t whylen)
{
    memset(x, 0, sizeof(*x));
    if (!c->ix->guild_id[0]) {
        snprintf(why, whylen, "This works inside the cohort's server, not in DMs.");
        return BOT_EINVAL;
    }
    int rc = store_cohort_get(c->app->store, c->ix->guild_id, &x->cohort);
    if (rc) {
        snprintf(why, whylen,
                 rc == BOT_ENOTFOUND
                     ? "No cohort runs in this server yet (an admin starts one with /cohort start)."
                     : "The database is not answering; please try again in a minute.");
        return rc;
    }
    x->cur = c->app->curricula ? curricula_find(c->app->curricula, x->cohort.curriculum) : NULL;
    if (!x->cur) {
        snprintf(why, whylen, "The cohort's curriculum \"%s\" is not loaded.",
                 x->cohort.curriculum);
        return BOT_ENOTFOUND;
    }
    int day = 1;
    cohort_day_at(x->cohort.start_date, x->cohort.timezone, c->now, &day);
    const struct cur_week *w = curriculum_week_of_day(x->cur, day < 1 ? 1 : day);
    x->week = w ? w->number : day < 1 ? 1 : (int)x->cur->n_weeks;
    return 0;
}

static bool link_ok(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 || !s[8] || s[8] == '/' || strlen(s) > PROJ_LINK_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* ---- checklists ---------------------------------------------------------------- */

static int projects_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    char why[300];
    struct proj_ctx x;
    if (proj_ctx_load(c, &x, why, sizeof(why)))
        return ck_say(c, "%s", why);
    const struct cur_week *first;
    int block = proj_block_of_week(x.cur, x.week, &first), fw, lw;
    if (!block)
        return ck_say(c, "Week %d has no project list.", x.week);
    proj_block(x.cur, block, &fw, &lw);
    struct store_proj_item *done;
    size_t n;
    int rc = store_proj_items(c->app->store, x.cohort.id, c->ix->user_id, block, &done, &n);
    if (rc)
        return rc;
    char title[200];
    snprintf(title, sizeof(title), "%s (weeks %d-%d)",
             first->project_set ? first->project_set : "Projects", fw, lw);
    struct buf b;
    buf_init(&b, 4096);
    size_t ndone = 0;
    for (size_t i = 0; i < first->n_projects; i++) {
        const struct store_proj_item *it = NULL;
        for (size_t j = 0; j < n; j++)
            if (done[j].item == (int)i)
                it = &done[j];
        ndone += it != NULL;
        buf_printf(&b, "%s %zu. %s%s%s%s\n", it ? "[x]" : "[ ]", i + 1, first->projects[i],
                   it && it->link[0] ? " <" : "", it && it->link[0] ? it->link : "",
                   it && it->link[0] ? ">" : "");
    }
    buf_printf(&b, "\n%zu of %zu done. Mark one with /project done item:", ndone,
               first->n_projects);
    free(done);
    c->reply->ephemeral = true;
    rc = msg_add_embed(c->reply, title, buf_str(&b)) ? 0 : BOT_ENOMEM;
    buf_free(&b);
    return rc;
}

/* "3", or a unique case-insensitive prefix of an item's text; -1 when none. */
static int find_item(const struct cur_week *w, const char *typed)
{
    char *end;
    long k = strtol(typed, &end, 10);
    if (end != typed && !*end)
        return k >= 1 && k <= (long)w->n_projects ? (int)k - 1 : -1;
    int hit = -1;
    for (size_t i = 0; i < w->n_projects; i++)
        if (strncasecmp(w->projects[i], typed, strlen(typed)) == 0) {
            if (hit >= 0)
                return -1;
            hit = (int)i;
        }
    return hit;
}

static int done_run(struct cmd_ctx *c, const struct cmd_args *a, const struct proj_ctx *x)
{
    const struct cur_week *first;
    int block = proj_block_of_week(x->cur, x->week, &first);
    const char *typed = args_str(a, "item"), *link = args_str(a, "link");
    if (!block)
        return ck_say(c, "Week %d has no project list.", x->week);
    int item = typed ? find_item(first, typed) : -1;
    if (item < 0)
        return ck_say(c, "No such item in this block's list; /projects shows it (pick from the "
                         "suggestions or give its number).");
    if (link && !link_ok(link))
        return ck_say(c, "link must be an https:// address without spaces.");
    bool again;
    int rc = store_proj_item_done(c->app->store, x->cohort.id, c->ix->user_id, block, item, link,
                                  c->now, &again);
    if (rc)
        return rc;
    return ck_say(c, "%s: %d. %s%s", again ? "Already done (link updated)" : "Done", item + 1,
                  first->projects[item], link ? " (link saved)" : "");
}

static int project_complete(struct cmd_ctx *c, const struct cmd_args *a)
{
    const struct cmd_arg *f = args_focused(a);
    char why[300];
    struct proj_ctx x;
    if (!f || strcmp(f->name, "item") != 0 || proj_ctx_load(c, &x, why, sizeof(why)))
        return 0;
    const struct cur_week *first;
    if (!proj_block_of_week(x.cur, x.week, &first))
        return 0;
    for (size_t i = 0; i < first->n_projects; i++) {
        char name[120], val[24];
        if (f->s && *f->s && !strcasestr(first->projects[i], f->s))
            continue;
        snprintf(name, sizeof(name), "%zu. %s", i + 1, first->projects[i]);
        snprintf(val, sizeof(val), "%zu", i + 1);
        msg_add_choice(c->reply, name, val);
    }
    c->reply->kind = MSG_KIND_CHOICES;
    return 0;
}

/* ---- submissions --------------------------------------------------------------- */

static int submit_run(struct cmd_ctx *c, const struct cmd_args *a, const struct proj_ctx *x)
{
    int kind = proj_kind_of(args_str(a, "kind"));
    const char *link = args_str(a, "link"), *notes = args_str(a, "notes");
    int64_t opens, closes;
    int close_days = c->app->cfg ? c->app->cfg->project_close_days : 0;
    if (kind < 0 || proj_window(&x->cohort, x->cur, kind, close_days, &opens, &closes))
        return ck_say(c, "This curriculum has no %s.", args_str(a, "kind"));
    if (!link || !link_ok(link))
        return ck_say(c, "link must be an https:// address without spaces.");
    if (c->now < opens)
        return ck_say(c, "Submissions for the %s open <t:%lld:F>.", proj_kind_title(kind),
                      (long long)opens);
    if (c->now >= closes)
        return ck_say(c, "Submissions for the %s closed <t:%lld:F>.", proj_kind_title(kind),
                      (long long)closes);
    struct store_proj_sub s;
    memset(&s, 0, sizeof(s));
    s.cohort_id = x->cohort.id;
    snprintf(s.user_id, sizeof(s.user_id), "%s", c->ix->user_id);
    s.kind = kind;
    snprintf(s.link, sizeof(s.link), "%s", link);
    snprintf(s.notes, sizeof(s.notes), "%s", notes ? notes : "");
    s.submitted_at = c->now;
    bool replaced = false;
    int rc = store_proj_submit(c->app->store, &s, &replaced);
    if (rc == BOT_EBUSY)
        return ck_say(c, "Reviews of the %s have started; your submission can no longer change.",
                      proj_kind_title(kind));
    if (rc)
        return rc;
    return ck_say(c,
                  "%s your %s: <%s>. Submissions close <t:%lld:F>; then two peers review it "
                  "and /project status shows where it stands.",
                  replaced ? "Replaced" : "Submitted", proj_kind_title(kind), link,
                  (long long)closes);
}

static int project_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    char why[300];
    struct proj_ctx x;
    if (proj_ctx_load(c, &x, why, sizeof(why)))
        return ck_say(c, "%s", why);
    if (strcmp(a->sub, "done") == 0)
        return done_run(c, a, &x);
    if (strcmp(a->sub, "submit") == 0)
        return submit_run(c, a, &x);
    if (strcmp(a->sub, "status") == 0)
        return proj_status_run(c, &x);
    if (strcmp(a->sub, "assign") == 0)
        return proj_assign_run(c, a, &x);
    if (strcmp(a->sub, "decide") == 0)
        return proj_decide_run(c, a, &x);
    return BOT_EINVAL;
}

/* ---- /progress and /cohort report parts ---------------------------------------- */

int project_progress(struct cmd_ctx *c, const struct cohort *co, const char *user_id,
                     struct buf *out)
{
    const struct curriculum *cur =
        c->app->curricula ? curricula_find(c->app->curricula, co->curriculum) : NULL;
    if (!cur)
        return 0;
    size_t total = 0, n;
    int fw, lw;
    for (int b = 1; b <= proj_block_count(cur); b++) {
        const struct cur_week *w = proj_block(cur, b, &fw, &lw);
        total += w ? w->n_projects : 0;
    }
    struct store_proj_item *items;
    int rc = store_proj_items(c->app->store, co->id, user_id, 0, &items, &n);
    if (rc)
        return rc;
    free(items);
    if (total)
        buf_printf(out, "Project checklists: %zu of %zu items done", n, total);
    for (int k = 0; k < PROJ_KINDS; k++) {
        struct store_proj_sub s;
        if (proj_kind_week(cur, k) &&
            store_proj_sub_get(c->app->store, co->id, user_id, k, &s) == 0)
            buf_printf(out, "%s%s submitted", out->len ? "; " : "", proj_kind_title(k));
    }
    return 0;
}

static const char *const KIND_CHOICES[] = {"midterm", "final", "capstone", NULL};

static const struct cmd_opt done_opts[] = {
    {.name = "item",
     .description = "Which project of the current block",
     .type = OPT_STRING,
     .required = true,
     .max_len = 100,
     .autocomplete = true},
    {.name = "link", .description = "https link to your work", .type = OPT_STRING, .max_len = 1000},
};
static const struct cmd_opt submit_opts[] = {
    {.name = "kind",
     .description = "Which evaluation",
     .type = OPT_STRING,
     .required = true,
     .choices = KIND_CHOICES},
    {.name = "link",
     .description = "https link to your project (repository, notebook, …)",
     .type = OPT_STRING,
     .required = true,
     .max_len = 1000},
    {.name = "notes",
     .description = "Notes for your reviewers",
     .type = OPT_STRING,
     .max_len = 500},
};
static const struct cmd_opt assign_opts[] = {
    {.name = "kind",
     .description = "Which evaluation",
     .type = OPT_STRING,
     .required = true,
     .choices = KIND_CHOICES},
};
static const struct cmd_opt decide_opts[] = {
    {.name = "member", .description = "Whose submission", .type = OPT_USER, .required = true},
    {.name = "kind",
     .description = "Which evaluation",
     .type = OPT_STRING,
     .required = true,
     .choices = KIND_CHOICES},
};
static const struct cmd_opt project_opts[] = {
    {.name = "done",
     .description = "Mark a project of the current block done",
     .type = OPT_SUBCOMMAND,
     .sub = done_opts,
     .nsub = CMD_NOPTS(done_opts)},
    {.name = "submit",
     .description = "Submit your mid-term, final or capstone project for peer review",
     .type = OPT_SUBCOMMAND,
     .sub = submit_opts,
     .nsub = CMD_NOPTS(submit_opts)},
    {.name = "status",
     .description = "Your submissions, reviews and results",
     .type = OPT_SUBCOMMAND},
    {.name = "assign",
     .description = "Admins: close submissions and assign reviewers now",
     .type = OPT_SUBCOMMAND,
     .sub = assign_opts,
     .nsub = CMD_NOPTS(assign_opts)},
    {.name = "decide",
     .description = "Mentors and admins: write the deciding review of a flagged submission",
     .type = OPT_SUBCOMMAND,
     .sub = decide_opts,
     .nsub = CMD_NOPTS(decide_opts)},
};

const struct cmd_def cmd_projects_def = {
    .name = "projects",
    .description = "The current block's project checklist",
    .run = projects_run,
};

const struct cmd_def cmd_project_def = {
    .name = "project",
    .description = "Projects: mark done, submit for review, status",
    .opts = project_opts,
    .nopts = CMD_NOPTS(project_opts),
    .run = project_run,
    .complete = project_complete,
};

const struct cmd_component cmd_review_select = {.prefix = "rvs:", .run = proj_select_click};
const struct cmd_component cmd_review_feedback = {.prefix = "rvf:", .run = proj_feedback_click};
const struct cmd_component cmd_review_modal = {.prefix = "rvm:", .run = proj_feedback_submit};
const struct cmd_component cmd_review_open = {.prefix = "rvo:", .run = proj_open_click};
