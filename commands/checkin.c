/* checkin.c - /checkin and the daily post's "Check in" button (custom_id
 * checkin:<cohort_id>:<day>), its "Add hours & note" button (…:form) and modal
 * (…:save). The row is committed before the handler returns, i.e. before the
 * registry sends the reply. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/ckcore.h"
#include "commands/commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refusal text for a day, or NULL when the day may be recorded. */
static const char *day_refusal(const struct ck_who *w, int day, bool given, int allow_until,
                               char *why, size_t whylen)
{
    char date[11] = "";
    if (w->today < 1 && allow_until < 1) {
        cohort_date_of_day(w->cohort.start_date, 1, date);
        snprintf(why, whylen, "The cohort starts on %s (day 1); check-ins open then.", date);
    } else if (day < 1 || day > w->plan.n_days) {
        if (!given)
            snprintf(why, whylen,
                     "The cohort has finished (all %d days are past). To record a past day, "
                     "give day: (1-%d).",
                     w->plan.n_days, w->plan.n_days);
        else
            snprintf(why, whylen, "Day %d is outside the curriculum (days 1-%d).", day,
                     w->plan.n_days);
    } else if (day > allow_until) {
        snprintf(why, whylen,
                 "Day %d hasn't started yet: today is day %d in your time zone (%s). "
                 "Set yours with /timezone.",
                 day, w->today, w->zone);
    } else {
        return NULL;
    }
    return why;
}

/* Strict: https://host[...], no spaces or control characters. */
static bool link_ok(const char *s)
{
    if (strncmp(s, "https://", 8) != 0 || !s[8] || s[8] == '/' || strlen(s) > 1000)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* "2", "2.5", "2,5" -> hours in 0..24. */
static bool hours_parse(const char *s, double *out)
{
    char tmp[32];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof(tmp))
        return false;
    memcpy(tmp, s, n + 1);
    for (char *p = tmp; *p; p++)
        if (*p == ',')
            *p = '.';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    while (*end == ' ')
        end++;
    if (errno || end == tmp || *end || !isfinite(v) || v < 0 || v > 24)
        return false;
    *out = v;
    return true;
}

static void add_summary(struct cmd_ctx *c, const struct ck_who *w, int day)
{
    struct ck_stats st;
    if (ck_stats_load(c, w, ck_grace(c), &st))
        return; /* the check-in itself is saved; the summary is a courtesy */
    int wk = ck_week_of(c->app, &w->cohort, w->today > 0 ? w->today : day);
    double h = wk <= CK_MAX_WEEKS ? st.week_hours[wk] : 0;
    char bar[32];
    streak_bar(h, w->plan.target_min, 10, bar, sizeof(bar));
    msg_append(c->reply, "\nStreak: %d day%s (longest %d).", st.streak.current,
               st.streak.current == 1 ? "" : "s", st.streak.longest);
    msg_append(c->reply, "\nWeek %d: %.1f h of the %.0f-%.0f h target %s", wk, h,
               w->plan.target_min, w->plan.target_max, bar);
}

/* Saves and fills the confirmation. Returns 0 or a handler error. */
static int record(struct cmd_ctx *c, const struct ck_who *w, int day, double hours,
                  const char *note, const char *link)
{
    struct checkin ck = {.cohort_id = w->cohort.id, .day = day, .hours = hours};
    snprintf(ck.user_id, sizeof(ck.user_id), "%s", c->ix->user_id);
    snprintf(ck.note, sizeof(ck.note), "%s", note ? note : "");
    snprintf(ck.link, sizeof(ck.link), "%s", link ? link : "");
    bool updated = false;
    int rc = store_checkin_put(c->app->store, &ck, c->now, &updated);
    if (rc)
        return rc; /* the registry apologises: nothing was acknowledged */
    char topic[256];
    ck_day_topic(c->app, &w->cohort, day, topic, sizeof(topic));
    c->reply->ephemeral = true;
    msg_set_content(c->reply, "%s day %d%s%s%s.",
                    updated ? "Updated your check-in for" : "Checked in for", day,
                    topic[0] ? ": **" : "", topic, topic[0] ? "**" : "");
    if (updated)
        msg_append(c->reply, " (You had already checked in for that day; what you gave now "
                             "replaces the old values.)");
    add_summary(c, w, day);
    return 0;
}

static int checkin_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    char why[400];
    struct ck_who w;
    if (ck_who_load(c, c->ix->user_id, &w, why, sizeof(why)))
        return ck_say(c, "%s", why);
    int64_t day64 = w.today;
    bool given = args_int(a, "day", &day64);
    double hours = -1;
    args_num(a, "hours", &hours);
    const char *link = args_str(a, "link");
    if (link && !link_ok(link))
        return ck_say(c, "link must be an https:// address without spaces (got \"%.80s\").", link);
    int day = day64 > 100000 || day64 < -100000 ? 100000 : (int)day64;
    if (day_refusal(&w, day, given, w.today, why, sizeof(why)))
        return ck_say(c, "%s", why);
    return record(c, &w, day, hours, args_str(a, "note"), link);
}

/* checkin:<cohort>:<day>[:form|:save] */
static bool parse_custom_id(const char *cid, int64_t *cohort, int *day, char *tail, size_t n)
{
    const char *p = cid + strlen("checkin:");
    char *end;
    errno = 0;
    long long co = strtoll(p, &end, 10);
    if (errno || end == p || *end != ':' || co < 1)
        return false;
    p = end + 1;
    long d = strtol(p, &end, 10);
    if (errno || end == p || d < 1 || d > 100000 || (*end && *end != ':'))
        return false;
    snprintf(tail, n, "%s", *end ? end + 1 : "");
    *cohort = co;
    *day = (int)d;
    return true;
}

static int open_form(struct cmd_ctx *c, int64_t cohort, int day)
{
    char id[64], title[48];
    snprintf(id, sizeof(id), "checkin:%lld:%d:save", (long long)cohort, day);
    snprintf(title, sizeof(title), "Day %d: hours and note", day);
    msg_set_modal(c->reply, id, title);
    msg_modal_input(c->reply, "hours", "Hours spent (0-24)", false, false, 5, "e.g. 2.5");
    msg_modal_input(c->reply, "note", "What did you do? (optional)", true, false, 500,
                    "e.g. finished the lab");
    return 0;
}

static int button_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    int64_t cohort;
    int day;
    char tail[16], why[400];
    if (!parse_custom_id(a->sub, &cohort, &day, tail, sizeof(tail)))
        return ck_say(c, "This button is damaged; use /checkin instead.");
    struct ck_who w;
    if (ck_who_load(c, c->ix->user_id, &w, why, sizeof(why)))
        return ck_say(c, "%s", why);
    if (w.cohort.id != cohort)
        return ck_say(c, "This button belongs to an earlier cohort; use /checkin for the "
                         "current one.");
    /* The post went out on the cohort's day; a learner whose zone is behind may still be
     * on the previous day, so the later of the two days is allowed. */
    int cohort_today = w.today;
    cohort_day_at(w.cohort.start_date, w.cohort.timezone, c->now, &cohort_today);
    int until = cohort_today > w.today ? cohort_today : w.today;
    if (day_refusal(&w, day, true, until, why, sizeof(why)))
        return ck_say(c, "%s", why);
    if (strcmp(tail, "form") == 0)
        return open_form(c, cohort, day);
    double hours = -1;
    const char *h = args_str(a, "hours"), *note = args_str(a, "note");
    /* a modal submit is as untrusted as any option: the form's own limits again */
    if ((h && msg_utf8_len(h) > 5) || (note && msg_utf8_len(note) > 500))
        return ck_say(c, "That form is longer than the form allows (hours 5, note 500 "
                         "characters). Nothing was saved; press the button again.");
    if (strcmp(tail, "save") == 0 && h && *h && !hours_parse(h, &hours))
        return ck_say(c,
                      "Hours must be a number from 0 to 24, like 2 or 2.5 (got \"%.20s\"). "
                      "Nothing was saved; press the button again.",
                      h);
    int rc = record(c, &w, day, hours, note, NULL);
    if (rc == 0 && tail[0] == '\0') {
        char id[64];
        snprintf(id, sizeof(id), "checkin:%lld:%d:form", (long long)cohort, day);
        msg_add_button(c->reply, "Add hours & note", id, MSG_BTN_SECONDARY);
    }
    return rc;
}

static const struct cmd_opt checkin_opts[] = {
    {.name = "day",
     .description = "Cohort day (default: today in your time zone)",
     .type = OPT_INTEGER,
     .has_min = true,
     .min = 1,
     .has_max = true,
     .max = 366},
    {.name = "hours",
     .description = "Hours spent (0-24)",
     .type = OPT_NUMBER,
     .has_min = true,
     .min = 0,
     .has_max = true,
     .max = 24},
    {.name = "note", .description = "What you did", .type = OPT_STRING, .max_len = 500},
    {.name = "link",
     .description = "An https:// link to your work",
     .type = OPT_STRING,
     .max_len = 1000},
};

const struct cmd_def cmd_checkin_def = {
    .name = "checkin",
    .description = "Record today's (or a past day's) study",
    .opts = checkin_opts,
    .nopts = CMD_NOPTS(checkin_opts),
    .run = checkin_run,
};

const struct cmd_component cmd_checkin_button = {
    .prefix = "checkin:",
    .run = button_run,
};
