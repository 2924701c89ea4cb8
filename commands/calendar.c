/* calendar.c - /calendar add|list|remove|refresh (admins) and /schedule (everyone):
 * the guild's iCal feeds and the upcoming events they describe. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/netpolicy.h"
#include "bot/store.h"
#include "commands/commands.h"
#include "config/config.h"
#include "schedules/feed.h"
#include "schedules/reminders.h"
#include "schedules/scheduler.h"
#include "schedules/study_groups.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CALENDAR_DIR COHORTBOT_SRCDIR "/config/calendars"

/* Accepts an https URL (http only for the operator's allow-listed endpoints), the
 * generated study-group calendar, or a .ics file inside config/calendars (a Discord
 * admin must not read the host's files, learn which exist, or see the install path;
 * the console operator may name any .ics file). */
static const char *source_problem(const struct config *cfg, const char *src, bool console,
                                  char *resolved, size_t len)
{
    snprintf(resolved, len, "%s", src);
    if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)
        return feed_url_allowed(src, (const char *const *)cfg->allow_private, cfg->nallow)
                   ? NULL
                   : "only https:// URLs (http:// only for endpoints the bot's operator allowed)";
    if (strcmp(src, STUDY_GROUPS_SOURCE) == 0)
        return NULL;
    size_t n = strlen(src);
    if (n < 5 || strcmp(src + n - 4, ".ics") != 0)
        return "a local calendar must be a .ics file";
    static const char none[] = "there is no such calendar file among the bot's shipped calendars";
    char path[PATH_MAX], real[PATH_MAX], dir[PATH_MAX];
    if (!console && (src[0] == '/' || strstr(src, "..")))
        return none; /* one answer whether or not the file exists: no oracle */
    if (console)
        snprintf(path, sizeof(path), "%s", src);
    else
        snprintf(path, sizeof(path), "%s/%s", CALENDAR_DIR, src);
    bool found = realpath(path, real) && access(real, R_OK) == 0;
    if (!console) {
        size_t dn = realpath(CALENDAR_DIR, dir) ? strlen(dir) : 0;
        if (!found || !dn || strncmp(real, dir, dn) != 0 || real[dn] != '/')
            return none; /* the separator matters: calendars-private/ is not inside */
    } else if (!found) {
        return "that file does not exist or cannot be read";
    }
    if (strlen(real) >= len)
        return "that path is too long";
    memcpy(resolved, real, strlen(real) + 1);
    return NULL;
}

/* How a feed's source is shown in Discord: URLs without their secrets, shipped
 * files by their name inside the calendars folder, never a host path. */
static void source_shown(const char *src, char *out, size_t cap)
{
    char dir[PATH_MAX];
    if (strstr(src, "://")) {
        net_redact_url(src, out, cap);
        return;
    }
    size_t dn = realpath(CALENDAR_DIR, dir) ? strlen(dir) : 0;
    if (dn && strncmp(src, dir, dn) == 0 && src[dn] == '/')
        snprintf(out, cap, "calendars/%s", src + dn + 1);
    else if (src[0] == '/')
        snprintf(out, cap, "%s", strrchr(src, '/') + 1);
    else
        snprintf(out, cap, "%s", src);
}

static int add_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    const char *src = args_str(a, "source"), *ch = args_str(a, "channel");
    const char *leads = args_str(a, "lead");
    int tmp[CFG_MAX_LEADS];
    char resolved[512], lead_text[64] = "";
    const char *why = source_problem(c->app->cfg, src, c->ix->console, resolved, sizeof(resolved));
    if (why)
        return msg_set_content(c->reply, "`source`: %s.", why);
    int have = store_feed_count(c->app->store, c->ix->guild_id);
    if (have < 0)
        return have;
    if (have >= c->app->cfg->guild_max_feeds)
        return msg_set_content(c->reply,
                               "This server already has %d calendars, the most this bot allows "
                               "per server; remove one with /calendar remove first.",
                               have);
    if (leads && rem_parse_leads(leads, tmp, CFG_MAX_LEADS) < 0)
        return msg_set_content(c->reply, "`lead` must be minutes before each event, comma "
                                         "separated, e.g. 1440,60,10 (at most 8, each up to "
                                         "40320).");
    for (int i = 0; !leads && i < c->app->cfg->nleads; i++) {
        size_t u = strlen(lead_text);
        snprintf(lead_text + u, sizeof(lead_text) - u, "%s%d", i ? "," : "", c->app->cfg->leads[i]);
    }
    int64_t id = 0;
    int rc = store_feed_add(c->app->store, c->ix->guild_id, resolved, ch, leads ? leads : lead_text,
                            c->now, &id);
    if (rc == BOT_EBUSY)
        return msg_set_content(c->reply, "That calendar already posts in <#%s> (feed %" PRId64 ").",
                               ch, id);
    if (rc)
        return rc;
    if (c->app->sched)
        rem_feeds_changed(sched_rem(c->app->sched), id);
    return msg_set_content(c->reply,
                           "Calendar %" PRId64 " added: reminders go to <#%s> %s minutes "
                           "before each event (or at the event's own alarms). It is "
                           "being fetched now; see /calendar list.",
                           id, ch, leads ? leads : lead_text);
}

static int list_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    struct feed_row *rows;
    size_t n;
    if (store_feed_list(c->app->store, c->ix->guild_id, &rows, &n))
        return BOT_EIO;
    struct buf b;
    buf_init(&b, 4000);
    for (size_t i = 0; i < n; i++) {
        const struct feed_row *f = &rows[i];
        long ev = c->app->sched ? rem_feed_events(sched_rem(c->app->sched), f->id) : -1;
        char shown[300];
        source_shown(f->source, shown, sizeof(shown));
        buf_printf(&b, "**%" PRId64 "** %s \xe2\x86\x92 <#%s>, leads %s min", f->id, shown,
                   f->channel_id, f->leads);
        if (ev >= 0)
            buf_printf(&b, ", %ld events", ev);
        if (f->last_ok_at)
            buf_printf(&b, ", updated <t:%lld:R>", (long long)f->last_ok_at);
        if (f->last_error[0])
            buf_printf(&b, "\n  \xe2\x9a\xa0 last refresh failed: %s%s", f->last_error,
                       f->last_ok_at ? " (using the last good copy)" : "");
        buf_puts(&b, "\n");
    }
    free(rows);
    int rc = msg_add_embed(c->reply, "Calendars",
                           n ? buf_str(&b) : "No calendars yet. Add one with /calendar add.")
                 ? 0
                 : BOT_ENOMEM;
    buf_free(&b);
    return rc;
}

static int remove_or_refresh(struct cmd_ctx *c, const struct cmd_args *a, bool remove)
{
    int64_t id = 0;
    struct feed_row row;
    args_int(a, "id", &id);
    if (store_feed_get(c->app->store, id, &row) || strcmp(row.guild_id, c->ix->guild_id) != 0)
        return msg_set_content(c->reply,
                               "There is no calendar %" PRId64 " here; see /calendar "
                               "list.",
                               id);
    if (remove && store_feed_remove(c->app->store, c->ix->guild_id, id))
        return BOT_EIO;
    if (c->app->sched)
        rem_feeds_changed(sched_rem(c->app->sched), remove ? 0 : id);
    return msg_set_content(c->reply,
                           remove ? "Calendar %" PRId64 " removed; no more reminders "
                                    "from it."
                                  : "Calendar %" PRId64 " is being refreshed now.",
                           id);
}

static int calendar_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    c->reply->ephemeral = true;
    if (!c->ix->guild_id[0])
        return msg_set_content(c->reply, "Use this command in your study server.");
    if (strcmp(a->sub, "add") == 0)
        return add_run(c, a);
    if (strcmp(a->sub, "list") == 0)
        return list_run(c, a);
    return remove_or_refresh(c, a, strcmp(a->sub, "remove") == 0);
}

static int schedule_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    int64_t days = 7;
    args_int(a, "days", &days);
    c->reply->ephemeral = true;
    if (!c->app->sched || !c->ix->guild_id[0])
        return msg_set_content(c->reply, "Use this command in your study server.");
    return rem_schedule(c->app, sched_rem(c->app->sched), c->ix->guild_id, c->now, (int)days,
                        c->reply);
}

static const struct cmd_opt add_opts[] = {
    {.name = "source",
     .description = "https URL of an .ics feed, or a file in config/calendars",
     .type = OPT_STRING,
     .required = true,
     .max_len = 500},
    {.name = "channel",
     .description = "Where the reminders go",
     .type = OPT_CHANNEL,
     .required = true},
    {.name = "lead",
     .description = "Minutes before each event, e.g. 1440,60,10",
     .type = OPT_STRING,
     .max_len = 60},
};
static const struct cmd_opt id_opts[] = {
    {.name = "id",
     .description = "Calendar number from /calendar list",
     .type = OPT_INTEGER,
     .required = true,
     .has_min = true,
     .min = 1},
};
static const struct cmd_opt calendar_opts[] = {
    {.name = "add",
     .description = "Post reminders from an iCal feed",
     .type = OPT_SUBCOMMAND,
     .sub = add_opts,
     .nsub = CMD_NOPTS(add_opts)},
    {.name = "list", .description = "The calendars and their state", .type = OPT_SUBCOMMAND},
    {.name = "remove",
     .description = "Stop a calendar's reminders",
     .type = OPT_SUBCOMMAND,
     .sub = id_opts,
     .nsub = CMD_NOPTS(id_opts)},
    {.name = "refresh",
     .description = "Fetch a calendar again now",
     .type = OPT_SUBCOMMAND,
     .sub = id_opts,
     .nsub = CMD_NOPTS(id_opts)},
};
static const struct cmd_opt schedule_opts[] = {
    {.name = "days",
     .description = "How many days ahead (1-30, default 7)",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 30},
};

const struct cmd_def cmd_calendar_def = {.name = "calendar",
                                         .description = "Calendar feeds and reminders (admins)",
                                         .admin_only = true,
                                         .opts = calendar_opts,
                                         .nopts = CMD_NOPTS(calendar_opts),
                                         .run = calendar_run};
const struct cmd_def cmd_schedule_def = {.name = "schedule",
                                         .description = "Upcoming events for your cohort",
                                         .opts = schedule_opts,
                                         .nopts = CMD_NOPTS(schedule_opts),
                                         .run = schedule_run};
