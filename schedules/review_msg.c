/* review_msg.c - the review messages (see review_flow.h): the reviewer's task with
 * one select per criterion, the reminder and the author's result. Pure builders. */
#include "bot/err.h"
#include "config/curriculum.h"
#include "schedules/project.h"
#include "schedules/review_flow.h"
#include "schedules/review_score.h"

#include <stdio.h>
#include <string.h>

static int add_select(const struct curriculum *cur, const struct store_review *r, size_t i,
                      struct message *m)
{
    char id[64], ph[160], name[200];
    snprintf(id, sizeof(id), "rvs:%lld:%zu", (long long)r->id, i);
    struct rev_scale sc;
    proj_scale(cur, r->kind, &sc);
    snprintf(ph, sizeof(ph), "%s (%d%%)%s", proj_criterion(cur, r->kind, i), sc.weight[i],
             r->levels[i] ? "" : ": pick a level");
    struct msg_select *s = msg_add_select(m, id, ph);
    if (!s)
        return BOT_ENOMEM;
    for (int lv = 1; lv <= 4; lv++) {
        char v[4];
        snprintf(v, sizeof(v), "%d", lv);
        proj_level_name(cur, r->kind, i, lv, name, sizeof(name));
        int rc = msg_select_option(s, name, v, NULL, r->levels[i] == lv);
        if (rc)
            return rc;
    }
    return 0;
}

int review_msg_task(const struct curriculum *cur, const struct store_review *r,
                    const struct store_proj_sub *sub, const char *note, struct message *m)
{
    struct rev_scale sc;
    int rc = proj_scale(cur, r->kind, &sc);
    if (rc)
        return rc;
    const char *project = proj_kind_project(cur, r->kind);
    rc = msg_set_content(m, "%s%sPlease review <@%s>'s %s%s%s%s by <t:%lld:f> (<t:%lld:R>).",
                         note ? note : "", note ? "\n" : "", sub->user_id, proj_kind_title(r->kind),
                         project ? " \"" : "", project ? project : "", project ? "\"" : "",
                         (long long)r->deadline, (long long)r->deadline);
    struct msg_embed *e = msg_add_embed(m, r->deciding ? "Deciding review" : "Peer review", NULL);
    if (rc || !e)
        return rc ? rc : BOT_ENOMEM;
    msg_embed_field(e, "Submission", sub->link, false);
    if (sub->notes[0])
        msg_embed_field(e, "Notes from the author", sub->notes, false);
    char buf[1024];
    size_t used = 0;
    for (size_t i = 0; i < sc.n_criteria && used < sizeof(buf); i++) {
        char lv[200] = "not picked yet";
        if (r->levels[i])
            proj_level_name(cur, r->kind, i, r->levels[i], lv, sizeof(lv));
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s (%d%%): %s\n",
                                 proj_criterion(cur, r->kind, i), sc.weight[i], lv);
    }
    msg_embed_field(e, "Your levels (1-4)", buf, false);
    msg_embed_field(e, "Feedback",
                    r->feedback[0] ? r->feedback : "not written yet (at least 50 characters)",
                    false);
    if (r->state != REVIEW_OPEN)
        return msg_embed_footer(e, r->state == REVIEW_DONE ? "Review complete. Thank you!"
                                                           : "This review was reassigned.");
    msg_embed_footer(e, "Each pick is saved at once; the review counts when every criterion and "
                        "the feedback are in.");
    /* one menu per criterion in order; past 4 (the capstone's 5) the first picked
     * ones make room, so every criterion not picked yet has its menu */
    size_t hide = sc.n_criteria > MSG_MAX_SELECTS ? sc.n_criteria - MSG_MAX_SELECTS : 0;
    bool hidden[REV_MAX_CRITERIA] = {false};
    for (size_t i = 0; i < sc.n_criteria && hide; i++)
        if (r->levels[i]) {
            hidden[i] = true;
            hide--;
        }
    for (size_t i = sc.n_criteria; hide && i-- > 0;)
        if (!hidden[i]) {
            hidden[i] = true;
            hide--;
        }
    for (size_t i = 0; i < sc.n_criteria && m->nselects < MSG_MAX_SELECTS && !rc; i++)
        if (!hidden[i])
            rc = add_select(cur, r, i, m);
    char id[48];
    snprintf(id, sizeof(id), "rvf:%lld", (long long)r->id);
    return rc ? rc
              : msg_add_button(m, r->feedback[0] ? "Edit feedback" : "Write feedback", id,
                               MSG_BTN_PRIMARY);
}

int review_msg_reminder(const struct curriculum *cur, const struct store_review *r,
                        struct message *m)
{
    (void)cur;
    return msg_set_content(m,
                           "Reminder: your review of <@%s>'s %s is due <t:%lld:R> (<t:%lld:f>). "
                           "Pick a level for every criterion and write your feedback in the "
                           "review message; after the deadline it goes to a mentor.",
                           r->author_id, proj_kind_title(r->kind), (long long)r->deadline,
                           (long long)r->deadline);
}

/* The reviews that count: a done deciding review alone, else every done one. */
static size_t counted(const struct store_review *rv, size_t n, const struct store_review **out,
                      size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (rv[i].deciding && rv[i].state == REVIEW_DONE) {
            out[0] = &rv[i];
            return 1;
        }
    for (size_t i = 0; i < n && k < max; i++)
        if (rv[i].state == REVIEW_DONE && !rv[i].deciding)
            out[k++] = &rv[i];
    return k;
}

static bool score_of(const struct curriculum *cur, int kind, const struct store_review *rv,
                     size_t n, struct rev_result *res, bool *deciding)
{
    struct rev_scale sc;
    const struct store_review *use[REV_MAX_REVIEWERS];
    size_t k = counted(rv, n, use, REV_MAX_REVIEWERS);
    if (k == 0 || proj_scale(cur, kind, &sc))
        return false;
    int levels[REV_MAX_REVIEWERS * REV_MAX_CRITERIA];
    for (size_t r = 0; r < k; r++)
        for (size_t i = 0; i < sc.n_criteria; i++)
            levels[r * sc.n_criteria + i] = use[r]->levels[i];
    *deciding = use[0]->deciding;
    return rev_score(&sc, levels, k, res) == 0;
}

bool review_figures(const struct curriculum *cur, int kind, const struct store_review *rv, size_t n,
                    bool *flagged, char *out, size_t outlen)
{
    struct rev_result res;
    bool deciding = false;
    *flagged = false;
    if (!score_of(cur, kind, rv, n, &res, &deciding))
        return false;
    *flagged = res.flagged && !deciding;
    if (kind == REV_CAPSTONE)
        snprintf(out, outlen, "%d.%d/20 points, %s%s", res.points10 / 10, res.points10 % 10,
                 res.excellent ? "excellent"
                 : res.passed  ? "passed"
                               : "not passed",
                 deciding ? " (deciding review)" : "");
    else
        snprintf(out, outlen, "weighted score %d.%d/100%s", res.score10 / 10, res.score10 % 10,
                 deciding ? " (deciding review)" : "");
    return true;
}

int review_msg_result(const struct curriculum *cur, const struct store_proj_sub *sub,
                      const struct store_review *rv, size_t n, struct message *m)
{
    struct rev_result res;
    struct rev_scale sc;
    bool deciding = false, flagged;
    char fig[160], buf[1024], lv[200];
    if (!score_of(cur, sub->kind, rv, n, &res, &deciding) || proj_scale(cur, sub->kind, &sc) ||
        !review_figures(cur, sub->kind, rv, n, &flagged, fig, sizeof(fig)))
        return BOT_EINVAL;
    int rc =
        msg_set_content(m, "Your %s has been reviewed: **%s**.", proj_kind_title(sub->kind), fig);
    struct msg_embed *e = msg_add_embed(m, proj_kind_title(sub->kind), sub->link);
    if (rc || !e)
        return rc ? rc : BOT_ENOMEM;
    size_t used = 0;
    for (size_t i = 0; i < sc.n_criteria && used < sizeof(buf); i++) {
        int mean = res.mean10[i];
        proj_level_name(cur, sub->kind, i, (mean + 5) / 10, lv, sizeof(lv));
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s (%d%%): %d.%d (%s)\n",
                                 proj_criterion(cur, sub->kind, i), sc.weight[i], mean / 10,
                                 mean % 10, lv);
    }
    msg_embed_field(e, deciding ? "Levels (the deciding review)" : "Mean level per criterion", buf,
                    false);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (rv[i].state != REVIEW_DONE || (deciding && !rv[i].deciding))
            continue;
        char name[64];
        snprintf(name, sizeof(name), "%s %d", rv[i].deciding ? "Deciding review" : "Reviewer", ++k);
        msg_embed_field(e, name, rv[i].feedback, false);
    }
    return 0;
}
