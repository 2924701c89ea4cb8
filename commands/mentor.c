/* mentor.c - /mentor join|pause|leave: sign up as a mentor of the guild's cohort
 * (tracks from the curriculum, 1-5 mentees per round, an optional zone), pause
 * until a date, or leave. Leaving keeps past pairs (they are history). */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/tz.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "commands/mentorship_util.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <string.h>

static int join_run(struct cmd_ctx *c, const struct cmd_args *a, const struct cohort *co,
                    const struct curriculum *cur)
{
    struct store_mentor m = {0};
    char why[400], next[160];
    int64_t cap = 0;
    const char *zone = args_str(a, "timezone");
    args_int(a, "capacity", &cap);
    if (mship_tracks(cur, args_str(a, "tracks"), false, m.tracks, sizeof(m.tracks), why,
                     sizeof(why)))
        return msg_set_content(c->reply, "`tracks`: %s", why);
    if (cap < 1 || cap > 5)
        return msg_set_content(c->reply, "`capacity` must be 1 to 5 mentees per round.");
    if (mship_zone_ok(c, zone))
        return 0;
    snprintf(m.user_id, sizeof(m.user_id), "%s", c->ix->user_id);
    snprintf(m.timezone, sizeof(m.timezone), "%s", zone ? zone : "");
    m.capacity = (int)cap;
    if (store_mentor_put(c->app->store, co->id, &m, c->now))
        return BOT_EIO;
    mship_next_text(c, co, cur, next, sizeof(next));
    return msg_set_content(c->reply,
                           "You are a mentor in this cohort: tracks %s, up to %d mentee%s per "
                           "round, working hours 09:00-18:00 in %s. %s",
                           m.tracks, m.capacity, m.capacity == 1 ? "" : "s",
                           zone ? zone : "your /timezone (or the cohort's zone)", next);
}

static int pause_run(struct cmd_ctx *c, const struct cmd_args *a, const struct cohort *co)
{
    const char *until = args_str(a, "until");
    int y, mo, d;
    struct civil today;
    if (tz_parse_date(until, &y, &mo, &d))
        return msg_set_content(c->reply, "`until` must be a date written YYYY-MM-DD, not \"%s\".",
                               until);
    tz_from_utc(co->timezone, c->now, &today);
    if (tz_days_from_civil(y, mo, d) <= tz_days_from_civil(today.year, today.month, today.day))
        return msg_set_content(c->reply, "`until` must be a date after today.");
    int rc = store_mentor_pause(c->app->store, co->id, c->ix->user_id, until);
    if (rc == BOT_ENOTFOUND)
        return msg_set_content(c->reply, "You are not a mentor here; join with /mentor join.");
    if (rc)
        return rc;
    return msg_set_content(c->reply,
                           "Paused: you are left out of pairing rounds until %s and matched "
                           "again from that day on.",
                           until);
}

static int leave_run(struct cmd_ctx *c, const struct cohort *co)
{
    int rc = store_mentor_leave(c->app->store, co->id, c->ix->user_id);
    if (rc == BOT_ENOTFOUND)
        return msg_set_content(c->reply, "You are not a mentor here.");
    if (rc)
        return rc;
    return msg_set_content(c->reply, "You left the mentors. Thank you for mentoring! "
                                     "Join again any time with /mentor join.");
}

static int mentor_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    if (strcmp(a->sub, "join") == 0)
        return join_run(c, a, &co, cur);
    if (strcmp(a->sub, "pause") == 0)
        return pause_run(c, a, &co);
    if (strcmp(a->sub, "leave") == 0)
        return leave_run(c, &co);
    return BOT_EINVAL;
}

static int mentor_complete(struct cmd_ctx *c, const struct cmd_args *a)
{
    const struct cmd_arg *f = args_focused(a);
    if (f && strcmp(f->name, "timezone") == 0)
        return tz_complete(c->reply, f->s);
    if (f && strcmp(f->name, "tracks") == 0)
        return mship_track_complete(c, f->s, true);
    return 0;
}

static const struct cmd_opt join_opts[] = {
    {.name = "tracks",
     .description = "Your specialisations, comma separated (e.g. streaming,ml-platform)",
     .type = OPT_STRING,
     .required = true,
     .max_len = 200,
     .autocomplete = true},
    {.name = "capacity",
     .description = "Mentees per round, 1-5",
     .type = OPT_INTEGER,
     .required = true,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 5},
    {.name = "timezone",
     .description = "IANA zone of your working hours (default: your /timezone)",
     .type = OPT_STRING,
     .max_len = 64,
     .autocomplete = true},
};
static const struct cmd_opt pause_opts[] = {
    {.name = "until",
     .description = "First date you can be matched again, YYYY-MM-DD",
     .type = OPT_STRING,
     .required = true,
     .max_len = 10},
};
static const struct cmd_opt mentor_opts[] = {
    {.name = "join",
     .description = "Mentor in this cohort",
     .type = OPT_SUBCOMMAND,
     .sub = join_opts,
     .nsub = 3},
    {.name = "pause",
     .description = "Skip pairing rounds until a date",
     .type = OPT_SUBCOMMAND,
     .sub = pause_opts,
     .nsub = 1},
    {.name = "leave", .description = "Stop mentoring", .type = OPT_SUBCOMMAND},
};

const struct cmd_def cmd_mentor_def = {
    .name = "mentor",
    .description = "Mentor learners of this cohort",
    .opts = mentor_opts,
    .nopts = 3,
    .run = mentor_run,
    .complete = mentor_complete,
};
