/* content.c - /today, /day and /week: the curriculum content for the member's cohort,
 * shown only to them. */
#include "bot/app.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "config/curriculum.h"
#include "schedules/daily.h"

static int today_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    struct cohort co;
    const struct curriculum *cur;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    int day;
    cohort_day_at(co.start_date, co.timezone, c->now, &day);
    if (day < 1)
        return msg_set_content(c->reply,
                               "The cohort starts on %s (in %d day%s). Day 1 will be "
                               "posted at %s %s.",
                               co.start_date, 1 - day, 1 - day == 1 ? "" : "s", co.post_time,
                               co.timezone);
    if (day > (int)cur->n_days)
        return msg_set_content(c->reply,
                               "The cohort finished all %zu days. Look back with /day "
                               "number:N.",
                               cur->n_days);
    return daily_day_embed(cur, day, c->reply);
}

static int day_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    int64_t n = 0;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    args_int(a, "number", &n);
    if (n < 1 || n > (int64_t)cur->n_days)
        return msg_set_content(c->reply, "`number` must be a day from 1 to %zu.", cur->n_days);
    return daily_day_embed(cur, (int)n, c->reply);
}

static int week_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    int64_t n = 0;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    if (!args_int(a, "number", &n)) {
        int day;
        cohort_day_at(co.start_date, co.timezone, c->now, &day);
        const struct cur_week *w =
            curriculum_week_of_day(cur, day < 1                  ? 1
                                        : day > (int)cur->n_days ? (int)cur->n_days
                                                                 : day);
        n = w ? w->number : 1;
    }
    if (n < 1 || n > (int64_t)cur->n_weeks)
        return msg_set_content(c->reply, "`number` must be a week from 1 to %zu.", cur->n_weeks);
    return daily_week_embed(cur, (int)n, c->reply);
}

static const struct cmd_opt day_opts[] = {
    {.name = "number",
     .description = "Day number (1-70)",
     .type = OPT_INTEGER,
     .required = true,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 366},
};
static const struct cmd_opt week_opts[] = {
    {.name = "number",
     .description = "Week number (default: this week)",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 52},
};

const struct cmd_def cmd_today_def = {
    .name = "today", .description = "Today's prompt for your cohort", .run = today_run};
const struct cmd_def cmd_day_def = {.name = "day",
                                    .description = "Show one day's prompt",
                                    .opts = day_opts,
                                    .nopts = CMD_NOPTS(day_opts),
                                    .run = day_run};
const struct cmd_def cmd_week_def = {.name = "week",
                                     .description = "Show a week's overview",
                                     .opts = week_opts,
                                     .nopts = CMD_NOPTS(week_opts),
                                     .run = week_run};
