/* timezone.c - /timezone zone: stores the member's IANA zone (it decides their cohort
 * day and their midnight), with autocomplete over IANA names (tz_complete). */
#include "bot/app.h"
#include "bot/tz.h"
#include "commands/ckcore.h"
#include "commands/commands.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int timezone_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    const char *zone = args_str(a, "zone");
    if (!c->ix->guild_id[0])
        return ck_say(c, "Use /timezone inside the cohort's server.");
    if (!zone || !tz_valid(zone))
        return ck_say(c,
                      "\"%.64s\" is not a time zone I know. Pick one from the list (IANA "
                      "names such as Europe/Berlin or America/New_York).",
                      zone ? zone : "");
    struct member m;
    int rc = store_member_get(c->app->store, c->ix->guild_id, c->ix->user_id, &m);
    if (rc)
        return rc;
    snprintf(m.timezone, sizeof(m.timezone), "%s", zone);
    if ((rc = store_member_put(c->app->store, &m)))
        return rc;
    struct civil now;
    tz_from_utc(zone, c->now, &now);
    return ck_say(c,
                  "Your time zone is now %s (it is %02d:%02d there). Your cohort day and "
                  "your midnight for streaks follow it.",
                  zone, now.hour, now.minute);
}

static int timezone_complete(struct cmd_ctx *c, const struct cmd_args *a)
{
    const struct cmd_arg *f = args_focused(a);
    const char *typed = f && f->s ? f->s : "";
    if (strncasecmp("UTC", typed, strlen(typed)) == 0)
        msg_add_choice(c->reply, "UTC", "UTC");
    return tz_complete(c->reply, typed);
}

static const struct cmd_opt timezone_opts[] = {
    {.name = "zone",
     .description = "Your time zone, e.g. Europe/Berlin",
     .type = OPT_STRING,
     .required = true,
     .max_len = 64,
     .autocomplete = true},
};

const struct cmd_def cmd_timezone_def = {
    .name = "timezone",
    .description = "Set your time zone (decides your day and your midnight)",
    .opts = timezone_opts,
    .nopts = CMD_NOPTS(timezone_opts),
    .run = timezone_run,
    .complete = timezone_complete,
};
