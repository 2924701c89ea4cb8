/* streak.c - /streak: current and longest streak, and for each of the last two weeks
 * whether the day counted and why (the learner's own zone decides midnight). */
#include "bot/app.h"
#include "bot/tz.h"
#include "commands/ckcore.h"
#include "commands/commands.h"

#include <stdio.h>

static const char *mark(enum streak_why why)
{
    switch (why) {
    case STREAK_COUNTED:
        return "[x]";
    case STREAK_GRACE:
        return "[~]";
    case STREAK_OPEN:
        return "[ ]";
    default:
        return "[-]";
    }
}

static void day_line(struct cmd_ctx *c, const struct ck_who *w, const struct streak_day *d)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    char date[11];
    cohort_date_of_day(w->cohort.start_date, d->day, date);
    struct civil when = {0};
    int y, m, dd;
    tz_parse_date(date, &y, &m, &dd);
    int wday = (int)((tz_days_from_civil(y, m, dd) % 7 + 11) % 7); /* 1970-01-01 = Thu */
    msg_append(c->reply, "\n%s Day %d (%s %s): %s", mark(d->why), d->day, wd[wday], date,
               streak_why_text(d->why));
    if (d->first_at && tz_from_utc(w->zone, d->first_at, &when) == 0)
        msg_append(c->reply, " (at %04d-%02d-%02d %02d:%02d)", when.year, when.month, when.day,
                   when.hour, when.minute);
}

static int streak_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    char why[400];
    struct ck_who w;
    if (ck_who_load(c, c->ix->user_id, &w, why, sizeof(why)))
        return ck_say(c, "%s", why);
    if (w.today < 1)
        return ck_say(c, "The cohort hasn't started yet (it starts %s); no streak to show.",
                      w.cohort.start_date);
    struct ck_stats st;
    int grace = ck_grace(c);
    int rc = ck_stats_load(c, &w, grace, &st);
    if (rc)
        return rc;
    c->reply->ephemeral = true;
    msg_set_content(c->reply,
                    "Streak: **%d** day%s, longest %d. Days count when you check in "
                    "before midnight in your zone (%s).",
                    st.streak.current, st.streak.current == 1 ? "" : "s", st.streak.longest,
                    w.zone);
    if (grace > 0)
        msg_append(c->reply, " %d grace day%s per week keep%s a streak alive.", grace,
                   grace == 1 ? "" : "s", grace == 1 ? "s" : "");
    msg_append(c->reply, "\nLast %d days:", st.streak.nwindow);
    for (int i = 0; i < st.streak.nwindow; i++)
        day_line(c, &w, &st.streak.window[i]);
    return 0;
}

const struct cmd_def cmd_streak_def = {
    .name = "streak",
    .description = "Your streak, and why each of the last 14 days counted or not",
    .run = streak_run,
};
