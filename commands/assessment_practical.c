/* assessment_practical.c - /assessment practical submit|mark|list: the practical
 * component of an assessment is a link and a note that a mentor of the cohort or an
 * admin marks passed or not (never their own). Self-contained: the projects feature
 * may route submissions to peer review later. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "commands/assessment_int.h"
#include "commands/ckcore.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 20

static bool link_ok(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 || !s[8] || s[8] == '/' || strlen(s) > 1000)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

static const char *status_text(int st)
{
    return st == ASM_PR_PASSED       ? "passed"
           : st == ASM_PR_NOT_PASSED ? "not passed"
                                     : "waiting for a mark";
}

void asm_practical_line(struct cmd_ctx *c, const struct asm_ctx *x, const char *user_id, int week,
                        char *out, size_t outlen)
{
    out[0] = '\0';
    const struct cur_assessment *as = curriculum_assessment_of_week(x->cur, week);
    if (!as || !as->practical)
        return;
    struct store_practical p;
    if (store_practical_get(c->app->store, x->cohort.id, user_id, week, &p) != 0) {
        snprintf(out, outlen, "%s: not submitted (/assessment practical submit week:%d link:…)",
                 as->practical, week);
        return;
    }
    snprintf(out, outlen, "%s: %s%s%s%s", as->practical, status_text(p.status),
             p.comment[0] ? " (\"" : "", p.comment, p.comment[0] ? "\")" : "");
}

static bool may_mark(struct cmd_ctx *c, const struct asm_ctx *x)
{
    if (ix_is_admin(c->ix))
        return true;
    struct store_mentor m;
    return store_mentor_get(c->app->store, x->cohort.id, c->ix->user_id, &m) == 0 && m.active;
}

static int submit_run(struct cmd_ctx *c, const struct cmd_args *a, const struct asm_ctx *x)
{
    int64_t week = 0;
    args_int(a, "week", &week);
    const struct cur_assessment *as = curriculum_assessment_of_week(x->cur, (int)week);
    if (!as || !as->practical)
        return ck_say(c, "Week %lld has no assessment with a practical component.",
                      (long long)week);
    const char *link = args_str(a, "link"), *note = args_str(a, "note");
    if (!link || !link_ok(link))
        return ck_say(c, "link must be an https:// address without spaces.");
    struct store_practical p;
    memset(&p, 0, sizeof(p));
    snprintf(p.user_id, sizeof(p.user_id), "%s", c->ix->user_id);
    p.week = (int)week;
    snprintf(p.link, sizeof(p.link), "%s", link);
    snprintf(p.note, sizeof(p.note), "%s", note ? note : "");
    p.submitted_at = c->now;
    int rc = store_practical_submit(c->app->store, x->cohort.id, &p);
    if (rc)
        return rc;
    return ck_say(c,
                  "Submitted your week %lld practical (%s): <%s>. A mentor or an admin will "
                  "mark it; /assessment results shows the outcome.",
                  (long long)week, as->practical, link);
}

struct pr_sent {
    struct app *app;
    char key[192];
};

static void pr_done(void *arg, const struct chat_result *res)
{
    struct pr_sent *s = arg;
    store_delivery_mark(s->app->store, s->key, res->rc ? DLV_FAILED : DLV_SENT, res->id,
                        res->rc ? res->detail : NULL, app_now(s->app));
    if (res->rc)
        log_warn("assessment", "practical DM failed key=%s code=%d", s->key, res->discord_code);
    free(s);
}

/* Tells the learner by DM, once per marking (delivery ledger); best effort: they also
 * see it in /assessment results. */
static void tell_learner(struct cmd_ctx *c, const struct asm_ctx *x, const char *who, int week,
                         bool passed, const char *comment)
{
    const struct cur_assessment *as = curriculum_assessment_of_week(x->cur, week);
    struct pr_sent *s = calloc(1, sizeof(*s));
    if (!s || !as)
        goto out;
    s->app = c->app;
    snprintf(s->key, sizeof(s->key), "asmprac/%s/%s/%s/week-%02d/%lld", x->cohort.guild_id,
             x->cohort.start_date, who, week, (long long)c->now);
    struct delivery dl;
    bool created = false;
    if (store_delivery_begin(c->app->store, s->key, "assessment", who, c->now, c->now, &dl,
                             &created) ||
        dl.state != DLV_PENDING)
        goto out;
    struct message m;
    msg_init(&m);
    msg_set_content(&m, "Your week %d practical (%s) was marked **%s** by <@%s>.%s%.500s%s", week,
                    as->practical ? as->practical : as->topic, passed ? "passed" : "not passed",
                    c->ix->user_id, comment && *comment ? " Comment: \"" : "",
                    comment ? comment : "", comment && *comment ? "\"" : "");
    int rc = c->app->chat.ops->dm(c->app->chat.impl, who, &m, dl.nonce, pr_done, s);
    msg_free(&m);
    if (rc == 0)
        return;
out:
    free(s);
}

static int mark_run(struct cmd_ctx *c, const struct cmd_args *a, const struct asm_ctx *x)
{
    if (!may_mark(c, x))
        return ck_say(c, "Only the cohort's mentors and server admins can mark practicals.");
    const char *who = args_str(a, "member");
    int64_t week = 0;
    bool passed = false;
    args_int(a, "week", &week);
    args_bool(a, "passed", &passed);
    if (!who || !snowflake_valid(who))
        return ck_say(c, "member: pick a member of this server.");
    if (strcmp(who, c->ix->user_id) == 0)
        return ck_say(c, "You cannot mark your own practical; ask another mentor or an admin.");
    int rc = store_practical_mark(c->app->store, x->cohort.id, who, (int)week, passed,
                                  c->ix->user_id, args_str(a, "comment"), c->now);
    if (rc == BOT_ENOTFOUND)
        return ck_say(c, "<@%s> has not submitted a week %lld practical.", who, (long long)week);
    if (rc)
        return rc;
    log_info("assessment", "practical marked user=%s week=%lld by=%s passed=%d", who,
             (long long)week, c->ix->user_id, passed);
    tell_learner(c, x, who, (int)week, passed, args_str(a, "comment"));
    return ck_say(c, "Marked <@%s>'s week %lld practical as %s; they get a DM.", who,
                  (long long)week, passed ? "passed" : "not passed");
}

static int list_run(struct cmd_ctx *c, const struct cmd_args *a, const struct asm_ctx *x)
{
    if (!may_mark(c, x))
        return ck_say(c, "Only the cohort's mentors and server admins can list submissions.");
    int64_t week = 0;
    args_int(a, "week", &week);
    struct store_practical *rows;
    size_t n;
    int rc = store_practical_list(c->app->store, x->cohort.id, NULL, (int)week, true, &rows, &n);
    if (rc)
        return rc;
    struct buf b;
    buf_init(&b, 1 << 16);
    buf_printf(&b, "%zu practical%s waiting for a mark%s", n, n == 1 ? "" : "s", n ? ":" : ".");
    for (size_t i = 0; i < n && i < LIST_MAX; i++)
        buf_printf(&b, "\n- week %d, <@%s>, <t:%lld:d>: <%s>%s%.200s", rows[i].week,
                   rows[i].user_id, (long long)rows[i].submitted_at, rows[i].link,
                   rows[i].note[0] ? " — " : "", rows[i].note);
    if (n > LIST_MAX)
        buf_printf(&b, "\n… and %zu more.", n - LIST_MAX);
    free(rows);
    c->reply->ephemeral = true;
    msg_set_content(c->reply, "%s", buf_str(&b));
    buf_free(&b);
    return 0;
}

int asm_practical_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    char why[300];
    struct asm_ctx x;
    if (asm_ctx_load(c, &x, why, sizeof(why)))
        return ck_say(c, "%s", why);
    if (strcmp(a->sub, "practical submit") == 0)
        return submit_run(c, a, &x);
    if (strcmp(a->sub, "practical mark") == 0)
        return mark_run(c, a, &x);
    if (strcmp(a->sub, "practical list") == 0)
        return list_run(c, a, &x);
    return BOT_EINVAL;
}
