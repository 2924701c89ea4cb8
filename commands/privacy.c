/* privacy.c - /privacy [progress:public|private] [leaderboard:on|off] [nudges:on|off]
 * [session_reminders:on|off]:
 * the member's visibility and nudge settings; without options it shows them. */
#include "bot/app.h"
#include "config/config.h"
#include "commands/ckcore.h"
#include "commands/commands.h"
#include "bot/store_studygroup.h"

#include <stdio.h>
#include <string.h>

static int privacy_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    if (!c->ix->guild_id[0])
        return ck_say(c, "Use /privacy inside the cohort's server.");
    struct member m;
    int rc = store_member_get(c->app->store, c->ix->guild_id, c->ix->user_id, &m);
    if (rc)
        return rc;
    const char *p = args_str(a, "progress"), *l = args_str(a, "leaderboard"),
               *n = args_str(a, "nudges"), *sr = args_str(a, "session_reminders");
    if (sr && (rc = store_sg_optout_set(c->app->store, c->ix->guild_id, c->ix->user_id,
                                        strcmp(sr, "off") == 0)))
        return rc;
    if (p)
        m.progress_public = strcmp(p, "public") == 0;
    if (l)
        m.leaderboard = strcmp(l, "on") == 0;
    if (n)
        m.nudges = strcmp(n, "on") == 0;
    if ((p || l || n) && (rc = store_member_put(c->app->store, &m)))
        return rc;
    int after =
        c->app->cfg && c->app->cfg->nudge_after_days > 0 ? c->app->cfg->nudge_after_days : 3;
    return ck_say(c,
                  "%s\nprogress: %s (%s)\nleaderboard: %s\nnudges: %s (a friendly DM after "
                  "%d days without a check-in)\nsession_reminders: %s (a DM before study-group "
                  "sessions you marked Interested)",
                  p || l || n || sr ? "Saved. Your settings:" : "Your settings:",
                  m.progress_public ? "public" : "private",
                  m.progress_public ? "any member can see /progress for you"
                                    : "only you, admins and your mentor see it",
                  m.leaderboard ? "on (listed)" : "off (never listed)", m.nudges ? "on" : "off",
                  after,
                  store_sg_optout(c->app->store, c->ix->guild_id, c->ix->user_id) ? "off" : "on");
}

static const char *const public_private[] = {"public", "private", NULL};
static const char *const on_off[] = {"on", "off", NULL};

static const struct cmd_opt privacy_opts[] = {
    {.name = "progress",
     .description = "Who may see your /progress",
     .type = OPT_STRING,
     .choices = public_private},
    {.name = "leaderboard",
     .description = "Be listed on /leaderboard",
     .type = OPT_STRING,
     .choices = on_off},
    {.name = "nudges",
     .description = "A friendly DM after days without a check-in",
     .type = OPT_STRING,
     .choices = on_off},
    {.name = "session_reminders",
     .description = "A DM before study-group sessions you marked Interested",
     .type = OPT_STRING,
     .choices = on_off},
};

const struct cmd_def cmd_privacy_def = {
    .name = "privacy",
    .description = "Who sees your progress; leaderboard and nudge settings",
    .opts = privacy_opts,
    .nopts = CMD_NOPTS(privacy_opts),
    .run = privacy_run,
};
