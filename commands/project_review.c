/* project_review.c - /project status|assign|decide, the review components and the
 * projects part of /cohort report. Every custom_id names a review; it must be the
 * clicking member's own, open, and (outside DMs) of this guild's cohort, else it is
 * refused and nothing is written. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_project.h"
#include "commands/ckcore.h"
#include "commands/commands.h"
#include "commands/project_int.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/project.h"
#include "schedules/review_flow.h"
#include "schedules/review_round.h"
#include "schedules/scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *state_text(const struct store_review *r, int64_t now)
{
    if (r->state == REVIEW_DONE)
        return "done";
    if (r->state == REVIEW_REASSIGNED)
        return "reassigned to a mentor";
    return now >= r->deadline ? "late" : "open";
}

static void status_kind(struct cmd_ctx *c, const struct proj_ctx *x, int kind, struct buf *b)
{
    struct store_proj_sub s;
    struct store_review *rv = NULL;
    size_t n = 0;
    if (store_proj_sub_get(c->app->store, x->cohort.id, c->ix->user_id, kind, &s) != 0) {
        buf_puts(b, "not submitted (/project submit)");
        return;
    }
    buf_printf(b, "submitted <t:%lld:d>: <%s>", (long long)s.submitted_at, s.link);
    if (store_reviews_of_sub(c->app->store, s.id, &rv, &n) || n == 0) {
        buf_puts(b, "\nreviewers are assigned when submissions close");
        free(rv);
        return;
    }
    int done = 0, open = 0;
    for (size_t i = 0; i < n; i++) {
        done += rv[i].state == REVIEW_DONE;
        open += rv[i].state == REVIEW_OPEN;
    }
    buf_printf(b, "\nreviews: %d done, %d waiting", done, open);
    bool flagged;
    char fig[160];
    if (!open && review_figures(x->cur, kind, rv, n, &flagged, fig, sizeof(fig)))
        buf_printf(b, flagged ? "\nthe reviewers disagree: a mentor decides" : "\nresult: %s", fig);
    free(rv);
}

int proj_status_run(struct cmd_ctx *c, const struct proj_ctx *x)
{
    c->reply->ephemeral = true;
    struct msg_embed *e = msg_add_embed(c->reply, "Your projects", NULL);
    if (!e)
        return BOT_ENOMEM;
    int close_days = c->app->cfg ? c->app->cfg->project_close_days : 0;
    for (int k = 0; k < PROJ_KINDS; k++) {
        int64_t opens, closes;
        if (proj_window(&x->cohort, x->cur, k, close_days, &opens, &closes))
            continue;
        struct buf b;
        buf_init(&b, 1 << 13);
        buf_printf(&b, "open <t:%lld:d> to <t:%lld:f>\n", (long long)opens, (long long)closes);
        status_kind(c, x, k, &b);
        char name[200];
        const char *p = proj_kind_project(x->cur, k);
        snprintf(name, sizeof(name), "%s%s%s", proj_kind_title(k), p ? ": " : "", p ? p : "");
        msg_embed_field(e, name, buf_str(&b), false);
        buf_free(&b);
    }
    struct store_review *mine;
    size_t n;
    if (store_reviews_of_reviewer(c->app->store, x->cohort.id, c->ix->user_id, &mine, &n) == 0 &&
        n) {
        struct buf b;
        buf_init(&b, 1 << 13);
        int k = 0;
        for (size_t i = 0; i < n; i++) {
            buf_printf(&b, "%s of <@%s>%s: %s, due <t:%lld:R>\n", proj_kind_title(mine[i].kind),
                       mine[i].author_id, mine[i].deciding ? " (deciding)" : "",
                       state_text(&mine[i], c->now), (long long)mine[i].deadline);
            char id[48], label[48];
            snprintf(id, sizeof(id), "rvo:%lld", (long long)mine[i].id);
            snprintf(label, sizeof(label), "Open review %d", ++k);
            if (mine[i].state == REVIEW_OPEN && k <= 5)
                msg_add_button(c->reply, label, id, MSG_BTN_PRIMARY);
        }
        msg_embed_field(e, "Reviews you write", buf_str(&b), false);
        buf_free(&b);
    }
    free(mine);
    return 0;
}

/* /project assign waiting for its round (review_start solves it off the loop). */
struct assign_wait {
    struct app *app;
    struct interaction ix; /* our copy, answered by cmd_finish */
    int kind;
};

static void assigned(void *arg, int rc, const struct review_run *run, const char *err,
                     bool stopping)
{
    struct assign_wait *w = arg;
    if (!stopping) {
        struct message m;
        msg_init(&m);
        if (rc == 0)
            msg_set_content(&m,
                            "%s: submissions closed, %d reviews assigned for %d submissions (%d "
                            "to mentors, %d slots left empty, %d repeats). Reviewers get a DM "
                            "now.",
                            proj_kind_title(w->kind), run->reviews, run->subs, run->mentor_slots,
                            run->empty, run->repeats);
        else if (rc == BOT_EBUSY)
            msg_set_content(&m, "Reviewers of the %s were assigned already.",
                            proj_kind_title(w->kind));
        else
            msg_set_content(&m,
                            "Sorry, the reviewers could not be assigned (%s); the log has "
                            "the details.",
                            err ? "the assignment failed" : bot_strerror(rc));
        cmd_finish(w->app, &w->ix, &m);
        msg_free(&m);
    }
    ix_free(&w->ix);
    free(w);
}

int proj_assign_run(struct cmd_ctx *c, const struct cmd_args *a, const struct proj_ctx *x)
{
    if (!ix_is_admin(c->ix))
        return ck_say(c, "Only admins (Manage Server) can assign reviewers.");
    int kind = proj_kind_of(args_str(a, "kind"));
    if (kind < 0 || !proj_kind_week(x->cur, kind))
        return ck_say(c, "This curriculum has no such project.");
    struct assign_wait *w = calloc(1, sizeof(*w));
    if (!w || ix_copy(&w->ix, c->ix)) {
        free(w);
        return BOT_ENOMEM;
    }
    w->app = c->app;
    w->kind = kind;
    int rc = review_start(c->app, sched_review(c->app->sched), &x->cohort, kind, c->now, true,
                          assigned, w);
    if (rc == 0)
        return CMD_DEFER; /* answered by assigned(), perhaps already */
    ix_free(&w->ix);
    free(w);
    if (rc == BOT_EBUSY)
        return ck_say(c, "Reviewers of the %s were assigned already.", proj_kind_title(kind));
    if (rc == BOT_ENOTFOUND)
        return ck_say(c, "Nobody has submitted a %s yet.", proj_kind_title(kind));
    log_error("review", "assign failed guild=%s: %s", x->cohort.guild_id, bot_strerror(rc));
    return rc;
}

int proj_decide_run(struct cmd_ctx *c, const struct cmd_args *a, const struct proj_ctx *x)
{
    const char *who = args_str(a, "member");
    int kind = proj_kind_of(args_str(a, "kind"));
    struct store_mentor m;
    bool mentor =
        store_mentor_get(c->app->store, x->cohort.id, c->ix->user_id, &m) == 0 && m.active;
    if (!mentor && !ix_is_admin(c->ix))
        return ck_say(c, "Only mentors and admins write deciding reviews.");
    struct store_proj_sub s;
    struct store_rev_round rd;
    if (!who || kind < 0 || store_proj_sub_get(c->app->store, x->cohort.id, who, kind, &s) != 0 ||
        store_rev_round_get(c->app->store, x->cohort.id, kind, &rd) != 0)
        return ck_say(c, "There is no reviewed submission of that kind from <@%s>.",
                      who ? who : "?");
    if (strcmp(who, c->ix->user_id) == 0)
        return ck_say(c, "You cannot decide on your own submission.");
    if (!s.flagged)
        return ck_say(c, "That submission is not flagged: its reviewers agree.");
    int64_t id;
    int rc = store_review_add(c->app->store, rd.id, s.id, c->ix->user_id, true, true, c->now,
                              c->now + (int64_t)(c->app->cfg && c->app->cfg->review_days > 0
                                                     ? c->app->cfg->review_days
                                                     : 7) *
                                           86400,
                              &id);
    if (rc == BOT_EBUSY)
        return ck_say(c, "You already review that submission; /project status lists it.");
    if (rc)
        return rc;
    return ck_say(c, "You write the deciding review of <@%s>'s %s; it comes as a DM.", who,
                  proj_kind_title(kind));
}

/* ---- the review components ------------------------------------------------------ */

/* Parses "<prefix><review id>[:<n>]" and loads the review, checking it is the
 * clicker's own, open, and of this guild's cohort (when clicked in a guild). 0, or a
 * refusal already written to the reply (returns 1). */
static int load_own(struct cmd_ctx *c, const char *cid, size_t plen, struct store_review *r,
                    long *n, const struct curriculum **cur)
{
    char *end;
    long long id = strtoll(cid + plen, &end, 10);
    *n = -1;
    if (*end == ':') {
        char *e2;
        *n = strtol(end + 1, &e2, 10);
        end = e2;
    }
    c->reply->ephemeral = true;
    if (id <= 0 || *end || store_review_get(c->app->store, id, r) != 0 ||
        strcmp(r->reviewer_id, c->ix->user_id) != 0) {
        log_warn("review", "refused custom_id for user=%s", c->ix->user_id);
        msg_set_content(c->reply, "This review is not yours.");
        return 1;
    }
    struct cohort co;
    if (c->ix->guild_id[0] &&
        (store_cohort_get(c->app->store, c->ix->guild_id, &co) != 0 || co.id != r->cohort_id)) {
        msg_set_content(c->reply, "This review belongs to another server's cohort.");
        return 1;
    }
    if (r->state != REVIEW_OPEN) {
        msg_set_content(c->reply, r->state == REVIEW_DONE
                                      ? "This review is complete; thank you."
                                      : "This review was reassigned to a mentor.");
        return 1;
    }
    char slug[64];
    *cur = NULL;
    if (store_proj_cohort_curriculum(c->app->store, r->cohort_id, slug, sizeof(slug)) == 0 &&
        c->app->curricula)
        *cur = curricula_find(c->app->curricula, slug);
    if (!*cur) {
        msg_set_content(c->reply, "The cohort's curriculum is not loaded.");
        return 1;
    }
    return 0;
}

/* Re-renders the task after a pick or the feedback: an update of the message in a
 * DM, a private copy in a guild channel (the fallback message there is shared). */
static int show_task(struct cmd_ctx *c, const struct curriculum *cur, int64_t review_id,
                     const char *note)
{
    struct store_review r;
    struct store_proj_sub s;
    if (store_review_get(c->app->store, review_id, &r) ||
        store_proj_sub_by_id(c->app->store, r.sub_id, &s))
        return BOT_EIO;
    msg_free(c->reply);
    if (!c->ix->guild_id[0])
        c->reply->kind = MSG_KIND_UPDATE;
    else
        c->reply->ephemeral = true;
    return review_msg_task(cur, &r, &s, note, c->reply);
}

static int finish_note(struct cmd_ctx *c, const struct curriculum *cur,
                       const struct store_review *r, char *note, size_t len)
{
    struct rev_scale sc;
    bool done = false;
    int rc = proj_scale(cur, r->kind, &sc);
    if (!rc)
        rc = store_review_finish(c->app->store, r->id, (int)sc.n_criteria, c->now, &done);
    snprintf(note, len, "%s",
             done ? "**Your review is complete and counts. Thank you!**" : "Saved.");
    return rc;
}

int proj_select_click(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct store_review r;
    const struct curriculum *cur;
    long crit;
    if (load_own(c, a->sub, 4, &r, &crit, &cur))
        return 0;
    struct rev_scale sc;
    const char *v = args_str(a, "value");
    char *end = NULL;
    long level = v ? strtol(v, &end, 10) : 0;
    if (proj_scale(cur, r.kind, &sc) || crit < 0 || (size_t)crit >= sc.n_criteria || !v || *end ||
        level < 1 || level > 4)
        return msg_set_content(c->reply, "That pick is not valid for this review.");
    int rc = store_review_level(c->app->store, r.id, (int)crit, (int)level);
    char note[120];
    if (!rc)
        rc = finish_note(c, cur, &r, note, sizeof(note));
    return rc ? rc : show_task(c, cur, r.id, note);
}

/* rvo:<id> from /project status: the task again, privately. */
int proj_open_click(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct store_review r;
    const struct curriculum *cur;
    long extra;
    if (load_own(c, a->sub, 4, &r, &extra, &cur))
        return 0;
    return extra != -1 ? msg_set_content(c->reply, "This button is out of date.")
                       : show_task(c, cur, r.id, NULL);
}

int proj_feedback_click(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct store_review r;
    const struct curriculum *cur;
    long extra;
    if (load_own(c, a->sub, 4, &r, &extra, &cur))
        return 0;
    if (extra != -1)
        return msg_set_content(c->reply, "This button is out of date.");
    char id[48];
    snprintf(id, sizeof(id), "rvm:%lld", (long long)r.id);
    c->reply->ephemeral = false;
    int rc = msg_set_modal(c->reply, id, "Feedback for the author");
    return rc ? rc
              : msg_modal_input(c->reply, "feedback",
                                "What works, what to improve (50+ characters)", true, true,
                                PROJ_FEEDBACK_MAX, "Specific, kind and useful: name what you saw.");
}

int proj_feedback_submit(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct store_review r;
    const struct curriculum *cur;
    long extra;
    if (load_own(c, a->sub, 4, &r, &extra, &cur))
        return 0;
    const char *text = args_str(a, "feedback");
    size_t chars = text ? msg_utf8_len(text) : 0;
    if (extra != -1 || chars < REVIEW_FEEDBACK_MIN || strlen(text) > PROJ_FEEDBACK_MAX)
        return msg_set_content(c->reply,
                               "Feedback needs at least %d characters (you wrote %zu) and at "
                               "most %d; nothing was saved. Press Write feedback again.",
                               REVIEW_FEEDBACK_MIN, chars, PROJ_FEEDBACK_MAX);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p < ' ' && *p != '\n') || *p == 0x7f)
            return msg_set_content(c->reply, "Feedback may not contain control characters.");
    int rc = store_review_feedback(c->app->store, r.id, text);
    char note[120];
    if (!rc)
        rc = finish_note(c, cur, &r, note, sizeof(note));
    return rc ? rc : show_task(c, cur, r.id, note);
}

/* ---- /cohort report ---------------------------------------------------------------- */

int project_report(struct cmd_ctx *c, const struct cohort *co)
{
    const struct curriculum *cur =
        c->app->curricula ? curricula_find(c->app->curricula, co->curriculum) : NULL;
    if (!cur)
        return 0;
    struct msg_embed *e = msg_add_embed(c->reply, "Projects and reviews", NULL);
    if (!e)
        return BOT_ENOMEM;
    for (int k = 0; k < PROJ_KINDS; k++) {
        if (!proj_kind_week(cur, k))
            continue;
        struct store_proj_sub *subs;
        size_t ns, nr = 0;
        if (store_proj_subs(c->app->store, co->id, k, &subs, &ns))
            return BOT_EIO;
        int flagged = 0, done = 0, late = 0, open = 0;
        for (size_t i = 0; i < ns; i++)
            flagged += subs[i].flagged;
        free(subs);
        struct store_rev_round rd;
        struct store_review *rv = NULL;
        if (store_rev_round_get(c->app->store, co->id, k, &rd) == 0 &&
            store_reviews_of_round(c->app->store, rd.id, &rv, &nr) == 0)
            for (size_t i = 0; i < nr; i++) {
                done += rv[i].state == REVIEW_DONE;
                late += rv[i].state == REVIEW_REASSIGNED ||
                        (rv[i].state == REVIEW_OPEN && c->now >= rv[i].deadline);
                open += rv[i].state == REVIEW_OPEN && c->now < rv[i].deadline;
            }
        free(rv);
        char line[300];
        snprintf(line, sizeof(line),
                 "%zu submissions; reviews: %d done, %d open, %d late or reassigned; %d "
                 "flagged (reviewers 2+ levels apart)",
                 ns, done, open, late, flagged);
        msg_embed_field(e, proj_kind_title(k), line, false);
    }
    return 0;
}
