/* mentee.c - /mentee join|leave: sign up to be matched with a mentor every round
 * (an optional track of interest from the curriculum and an optional zone), or leave. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "commands/mentorship_util.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <string.h>

static int join_run(struct cmd_ctx *c, const struct cmd_args *a, const struct cohort *co,
                    const struct curriculum *cur)
{
    struct store_mentee m = {0};
    char why[400], next[160];
    const char *interest = args_str(a, "interest"), *zone = args_str(a, "timezone");
    if (interest &&
        mship_tracks(cur, interest, true, m.interest, sizeof(m.interest), why, sizeof(why)))
        return msg_set_content(c->reply, "`interest`: %s", why);
    if (mship_zone_ok(c, zone))
        return 0;
    snprintf(m.user_id, sizeof(m.user_id), "%s", c->ix->user_id);
    snprintf(m.timezone, sizeof(m.timezone), "%s", zone ? zone : "");
    if (store_mentee_put(c->app->store, co->id, &m, c->now))
        return BOT_EIO;
    mship_next_text(c, co, cur, next, sizeof(next));
    return msg_set_content(c->reply,
                           "You are signed up for mentoring%s%s%s. You get a DM naming your "
                           "mentor when a round runs. %s",
                           m.interest[0] ? " (interest: " : "", m.interest,
                           m.interest[0] ? ")" : "", next);
}

static int leave_run(struct cmd_ctx *c, const struct cohort *co)
{
    int rc = store_mentee_leave(c->app->store, co->id, c->ix->user_id);
    if (rc == BOT_ENOTFOUND)
        return msg_set_content(c->reply, "You are not signed up for mentoring.");
    if (rc)
        return rc;
    return msg_set_content(c->reply, "You left mentoring; you will not be matched in later "
                                     "rounds. Join again with /mentee join.");
}

static int mentee_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    if (strcmp(a->sub, "join") == 0)
        return join_run(c, a, &co, cur);
    if (strcmp(a->sub, "leave") == 0)
        return leave_run(c, &co);
    return BOT_EINVAL;
}

static int mentee_complete(struct cmd_ctx *c, const struct cmd_args *a)
{
    const struct cmd_arg *f = args_focused(a);
    if (f && strcmp(f->name, "timezone") == 0)
        return tz_complete(c->reply, f->s);
    if (f && strcmp(f->name, "interest") == 0)
        return mship_track_complete(c, f->s, false);
    return 0;
}

static const struct cmd_opt join_opts[] = {
    {.name = "interest",
     .description = "The track you most want help with",
     .type = OPT_STRING,
     .max_len = 64,
     .autocomplete = true},
    {.name = "timezone",
     .description = "IANA zone of your working hours (default: your /timezone)",
     .type = OPT_STRING,
     .max_len = 64,
     .autocomplete = true},
};
static const struct cmd_opt mentee_opts[] = {
    {.name = "join",
     .description = "Be matched with a mentor every round",
     .type = OPT_SUBCOMMAND,
     .sub = join_opts,
     .nsub = 2},
    {.name = "leave", .description = "Stop being matched", .type = OPT_SUBCOMMAND},
};

const struct cmd_def cmd_mentee_def = {
    .name = "mentee",
    .description = "Get a mentor every two weeks",
    .opts = mentee_opts,
    .nopts = 2,
    .run = mentee_run,
    .complete = mentee_complete,
};
