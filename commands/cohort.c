/* cohort.c - /cohort (admins): start or update the guild's cohort, show its status,
 * map week channels, create the missing ones, and the organisers' report. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/tz.h"
#include "commands/ckcore.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "commands/picture.h"
#include "commands/progress_card.h"
#include "bot/log.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/daily.h"
#include "schedules/reminders.h"
#include "schedules/study_groups.h"
#include "schedules/scheduler.h"
#include "schedules/sessions_sync.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Appends "field: old → new" when they differ. */
static void diff(struct buf *b, const char *field, const char *old, const char *new_)
{
    if (strcmp(old, new_) != 0)
        buf_printf(b, "\n\xe2\x80\xa2 %s: %s \xe2\x86\x92 %s", field, old, new_);
}

static const struct curriculum *pick_curriculum(struct cmd_ctx *c, const char *slug,
                                                const char *current)
{
    const struct curricula *set = c->app->curricula;
    if (slug)
        return curricula_find(set, slug);
    if (current && curricula_find(set, current))
        return curricula_find(set, current);
    return set && set->n ? set->items[0] : NULL;
}

static int start_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co = {0}, old = {0};
    const struct config *cfg = c->app->cfg;
    const char *date = args_str(a, "date"), *zone = args_str(a, "timezone");
    const char *at = args_str(a, "post_time"), *slug = args_str(a, "curriculum");
    int y, m, d, h, mi;
    c->reply->ephemeral = true;
    bool exists = store_cohort_get(c->app->store, c->ix->guild_id, &old) == 0;
    if (tz_parse_date(date, &y, &m, &d))
        return msg_set_content(c->reply,
                               "`date` must be a real date written YYYY-MM-DD "
                               "(for example 2027-01-04), not \"%s\".",
                               date);
    zone = zone ? zone : exists ? old.timezone : cfg->default_timezone;
    if (!tz_valid(zone))
        return msg_set_content(c->reply,
                               "`timezone`: unknown zone \"%s\". Use an IANA name such "
                               "as America/New_York or Europe/Berlin.",
                               zone);
    at = at ? at : exists ? old.post_time : cfg->default_post_time;
    if (tz_parse_hhmm(at, &h, &mi))
        return msg_set_content(c->reply,
                               "`post_time` must be HH:MM on a 24-hour clock (for "
                               "example 09:00), not \"%s\".",
                               at);
    const struct curriculum *cur = pick_curriculum(c, slug, exists ? old.curriculum : NULL);
    if (!cur)
        return msg_set_content(c->reply, "`curriculum`: no curriculum named \"%s\" is installed.",
                               slug ? slug : "(default)");
    co = exists ? old : co;
    snprintf(co.guild_id, sizeof(co.guild_id), "%s", c->ix->guild_id);
    snprintf(co.start_date, sizeof(co.start_date), "%s", date);
    snprintf(co.timezone, sizeof(co.timezone), "%s", zone);
    snprintf(co.post_time, sizeof(co.post_time), "%s", at);
    snprintf(co.curriculum, sizeof(co.curriculum), "%s", cur->slug);
    if (store_cohort_put(c->app->store, &co, c->now))
        return BOT_EIO;
    sg_sync_soon(sched_sg(c->app->sched), co.id); /* study-group events follow the dates */
    struct buf b;
    buf_init(&b, 2000);
    if (exists) {
        buf_puts(&b, "Cohort updated.");
        diff(&b, "start date", old.start_date, co.start_date);
        diff(&b, "time zone", old.timezone, co.timezone);
        diff(&b, "post time", old.post_time, co.post_time);
        diff(&b, "curriculum", old.curriculum, co.curriculum);
        if (b.len == strlen("Cohort updated."))
            buf_puts(&b, " Nothing changed.");
    } else {
        int64_t first;
        cohort_post_at(&co, 1, &first);
        buf_printf(&b,
                   "Cohort started: **%s**, %zu days. Day 1 is %s; each day's prompt is "
                   "posted at %s %s (first one <t:%lld:F>) into the week's channel.",
                   cur->name, cur->n_days, co.start_date, co.post_time, co.timezone,
                   (long long)first);
    }
    const char *sg = args_str(a, "study_groups");
    int64_t feed = 0;
    if (sg) {
        int frc = store_feed_add(c->app->store, co.guild_id, STUDY_GROUPS_SOURCE, sg, "60,10",
                                 c->now, &feed);
        if (frc && frc != BOT_EBUSY)
            return frc;
        if (c->app->sched)
            rem_feeds_changed(sched_rem(c->app->sched), feed);
        buf_printf(&b, "\nStudy-group reminders (calendar %lld) go to <#%s>.", (long long)feed, sg);
    }
    buf_puts(&b, "\nCheck the week channels with /cohort status.");
    int rc = msg_set_content(c->reply, "%s", buf_str(&b));
    buf_free(&b);
    return rc;
}

/* Next post instant (the next day's post time not yet passed), or 0 when finished. */
static int64_t next_post(const struct cohort *co, const struct curriculum *cur, int64_t now)
{
    for (int d = 1; d <= (int)cur->n_days + 1; d++) {
        int64_t t;
        if (cohort_post_at(co, d, &t) == 0 && t > now)
            return t;
    }
    return 0;
}

static void channels_field(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur,
                           struct msg_embed *e)
{
    struct buf b;
    buf_init(&b, 1024);
    int missing = 0;
    char fb[24] = "";
    for (size_t w = 1; w <= cur->n_weeks; w++) {
        char chan[24];
        const char *id = daily_week_channel(c->app, co, (int)w, chan, sizeof(chan), fb, sizeof(fb));
        if (id)
            buf_printf(&b, "Week %zu: <#%s>\n", w, id);
        else {
            buf_printf(&b, "Week %zu: **missing**\n", w);
            missing++;
        }
    }
    if (fb[0])
        buf_printf(&b, "Fallback: <#%s>\n", fb);
    else if (missing)
        buf_puts(&b, "No fallback channel (set one with /cohort channel week:0).\n");
    if (missing)
        buf_printf(&b, "%d week channel%s missing: run /cohort channels create.", missing,
                   missing == 1 ? " is" : "s are");
    msg_embed_field(e, "Week channels", buf_str(&b), false);
    buf_free(&b);
}

static int status_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    struct cohort co;
    const struct curriculum *cur;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    int day;
    cohort_day_at(co.start_date, co.timezone, c->now, &day);
    char title[200], line[400];
    if (day < 1)
        snprintf(title, sizeof(title), "%s: starts in %d day%s", cur->name, 1 - day,
                 1 - day == 1 ? "" : "s");
    else if (day > (int)cur->n_days)
        snprintf(title, sizeof(title), "%s: finished (%zu days)", cur->name, cur->n_days);
    else {
        const struct cur_week *w = curriculum_week_of_day(cur, day);
        snprintf(title, sizeof(title), "%s: day %d of %zu, week %d", cur->name, day, cur->n_days,
                 w ? w->number : 0);
    }
    struct msg_embed *e = msg_add_embed(c->reply, title, NULL);
    if (!e)
        return BOT_ENOMEM;
    snprintf(line, sizeof(line), "Start %s, posts at %s %s", co.start_date, co.post_time,
             co.timezone);
    msg_embed_field(e, "Schedule", line, false);
    int64_t next = next_post(&co, cur, c->now);
    if (next) {
        struct civil l;
        tz_from_utc(co.timezone, next, &l);
        snprintf(line, sizeof(line), "%04d-%02d-%02d %02d:%02d %s (<t:%lld:R>)", l.year, l.month,
                 l.day, l.hour, l.minute, co.timezone, (long long)next);
        msg_embed_field(e, "Next post", line, false);
    }
    channels_field(c, &co, cur, e);
    char waiting[300];
    if (c->app->sched &&
        daily_waiting(sched_daily(c->app->sched), co.guild_id, waiting, sizeof(waiting)) > 0)
        msg_embed_field(e, "Waiting for a channel", waiting, false);
    return 0;
}

static int channel_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    int64_t week = 0;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    args_int(a, "week", &week);
    const char *ch = args_str(a, "channel");
    if (week > (int64_t)cur->n_weeks)
        return msg_set_content(c->reply, "`week` must be 0 (fallback) to %zu.", cur->n_weeks);
    if (store_week_channel_set(c->app->store, co.id, (int)week, ch))
        return BOT_EIO;
    if (week == 0)
        return msg_set_content(c->reply,
                               "Fallback channel set to <#%s>: posts whose week "
                               "channel is missing go there.",
                               ch);
    return msg_set_content(c->reply, "Week %lld prompts will be posted in <#%s>.", (long long)week,
                           ch);
}

/* Asks for the charts, drawn on the render worker after the text reply and added to it
 * beside the assessments' CSV (files[1]) when there is one. A failure is logged only. */
static void report_chart(struct cmd_ctx *c)
{
    if (!c->pic || !c->app->render)
        return; /* no worker: the text alone */
    char err[BOT_ERR_LEN];
    struct render_job *job = checkin_report_job(c, err, sizeof(err));
    if (!job) {
        log_info("render", "%s", err);
        return;
    }
    pic_want(c, job, "cohort-report.png", "Cohort charts", "cohort-report.png");
}

/* Check-ins per week and learners at risk, then the mentorship round's outcome. */
static int report_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    int rc = checkin_report(c, a);
    struct cohort co;
    if (rc || store_cohort_get(c->app->store, c->ix->guild_id, &co))
        return rc;
    struct msg_embed *e = msg_add_embed(c->reply, "Mentorship", NULL);
    rc = e ? pairing_report(c, &co, e) : BOT_ENOMEM;
    rc = rc ? rc : studygroup_report(c, &co);
    rc = rc ? rc : project_report(c, &co);
    rc = rc ? rc : assessment_report(c, &co);
    if (!rc)
        report_chart(c);
    return rc;
}

static int cohort_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    if (strcmp(a->sub, "start") == 0)
        return start_run(c, a);
    if (strcmp(a->sub, "status") == 0)
        return status_run(c, a);
    if (strcmp(a->sub, "channel") == 0)
        return channel_run(c, a);
    if (strcmp(a->sub, "channels create") == 0)
        return cohort_channels_create(c);
    if (strcmp(a->sub, "report") == 0)
        return report_run(c, a);
    return BOT_EINVAL;
}

static int cohort_complete(struct cmd_ctx *c, const struct cmd_args *a)
{
    const struct cmd_arg *f = args_focused(a);
    if (f && strcmp(f->name, "timezone") == 0)
        return tz_complete(c->reply, f->s);
    for (size_t i = 0; f && c->app->curricula && i < c->app->curricula->n; i++) {
        const struct curriculum *cu = c->app->curricula->items[i];
        if (strncasecmp(cu->slug, f->s, strlen(f->s)) == 0)
            msg_add_choice(c->reply, cu->title, cu->slug);
    }
    return 0;
}

static const struct cmd_opt start_opts[] = {
    {.name = "date",
     .description = "Day 1 of the cohort, YYYY-MM-DD",
     .type = OPT_STRING,
     .required = true,
     .max_len = 10},
    {.name = "timezone",
     .description = "IANA zone (default America/New_York)",
     .type = OPT_STRING,
     .max_len = 64,
     .autocomplete = true},
    {.name = "post_time",
     .description = "Local time of the daily post, HH:MM (default 09:00)",
     .type = OPT_STRING,
     .max_len = 5},
    {.name = "curriculum",
     .description = "Curriculum (default data-engineer)",
     .type = OPT_STRING,
     .max_len = 64,
     .autocomplete = true},
    {.name = "study_groups",
     .description = "Post study-group session reminders in this channel",
     .type = OPT_CHANNEL},
};
static const struct cmd_opt channel_opts[] = {
    {.name = "week",
     .description = "Week number (0 = fallback channel)",
     .type = OPT_INTEGER,
     .required = true,
     .has_min = true,
     .min = 0,
     .has_max = true,
     .max = 52},
    {.name = "channel", .description = "The channel", .type = OPT_CHANNEL, .required = true},
};
static const struct cmd_opt create_opts[] = {
    {.name = "create", .description = "Create the missing week channels", .type = OPT_SUBCOMMAND},
};
static const struct cmd_opt cohort_opts[] = {
    {.name = "start",
     .description = "Start or update the cohort",
     .type = OPT_SUBCOMMAND,
     .sub = start_opts,
     .nsub = CMD_NOPTS(start_opts)},
    {.name = "status", .description = "Day, week, next post and channels", .type = OPT_SUBCOMMAND},
    {.name = "channel",
     .description = "Use a channel for a week's prompts",
     .type = OPT_SUBCOMMAND,
     .sub = channel_opts,
     .nsub = CMD_NOPTS(channel_opts)},
    {.name = "channels",
     .description = "Week channels",
     .type = OPT_GROUP,
     .sub = create_opts,
     .nsub = CMD_NOPTS(create_opts)},
    {.name = "report",
     .description = "Check-ins per week, median hours, learners at risk",
     .type = OPT_SUBCOMMAND},
};

const struct cmd_def cmd_cohort_def = {
    .name = "cohort",
    .description = "Run the study cohort (admins)",
    .admin_only = true,
    .opts = cohort_opts,
    .nopts = CMD_NOPTS(cohort_opts),
    .run = cohort_run,
    .complete = cohort_complete,
};
