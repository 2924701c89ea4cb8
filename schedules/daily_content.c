/* daily_content.c - what the daily posts say: the plan of posts and the message
 * builders for day prompts, week overviews and the completion note (pure). */
#include "bot/err.h"
#include "bot/tz.h"
#include "config/curriculum.h"
#include "schedules/daily.h"

#include <stdio.h>
#include <string.h>

static void make_key(struct daily_post *p, const struct cohort *c, const char *what)
{
    snprintf(p->key, sizeof(p->key), "daily/%s/%s/%s", c->guild_id, c->start_date, what);
}

size_t daily_plan(const struct cohort *c, const struct curriculum *cur, int64_t from, int64_t to,
                  struct daily_post *out, size_t max)
{
    size_t n = 0;
    int first = 1, last = (int)cur->n_days + 1;
    /* day numbers whose post time can fall in [from, to): bound by the local date */
    int d_from, d_to;
    if (cohort_day_at(c->start_date, c->timezone, from, &d_from) ||
        cohort_day_at(c->start_date, c->timezone, to, &d_to))
        return 0;
    if (d_from - 1 > first)
        first = d_from - 1;
    if (d_to + 1 < last)
        last = d_to + 1;
    for (int day = first; day <= last; day++) {
        int64_t due;
        if (cohort_post_at(c, day, &due) || due < from || due >= to)
            continue;
        const struct cur_week *w = curriculum_week_of_day(cur, day);
        struct daily_post p = {.day = day, .week = w ? w->number : 0, .due = due};
        char what[32];
        if (day == (int)cur->n_days + 1) {
            p.kind = DAILY_DONE;
            p.week = (int)cur->n_weeks;
            make_key(&p, c, "complete");
            if (n < max)
                out[n] = p;
            n++;
            continue;
        }
        if (w && w->first_day == day) {
            struct daily_post wp = p;
            wp.kind = DAILY_WEEK;
            snprintf(what, sizeof(what), "week-%d", w->number);
            make_key(&wp, c, what);
            if (n < max)
                out[n] = wp;
            n++;
        }
        p.kind = DAILY_DAY;
        snprintf(what, sizeof(what), "day-%d", day);
        make_key(&p, c, what);
        if (n < max)
            out[n] = p;
        n++;
    }
    return n;
}

static const char *icon(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

int daily_day_embed(const struct curriculum *cur, int day, struct message *m)
{
    const struct cur_day *d = curriculum_day(cur, day);
    if (!d)
        return BOT_ENOTFOUND;
    char title[320], name[64], time[160];
    if (d->parts > 1)
        snprintf(title, sizeof(title), "Day %d \xc2\xb7 Week %d \xe2\x80\x94 %s (part %d/%d)",
                 d->number, d->week, d->topic, d->part, d->parts);
    else
        snprintf(title, sizeof(title), "Day %d \xc2\xb7 Week %d \xe2\x80\x94 %s", d->number,
                 d->week, d->topic);
    struct msg_embed *e = msg_add_embed(m, title, NULL);
    if (!e)
        return BOT_ENOMEM;
    e->color = 0x2196f3;
    snprintf(name, sizeof(name), "%s %s", icon(cur->icons.read, "\xf0\x9f\x93\x96"),
             d->read_kind == CUR_STUDY ? "Study" : "Read");
    int rc = msg_embed_field(e, name, d->read, false);
    snprintf(name, sizeof(name), "%s Lab", icon(cur->icons.lab, "\xf0\x9f\xa7\xaa"));
    rc = rc ? rc : msg_embed_field(e, name, d->lab, false);
    snprintf(name, sizeof(name), "%s Success", icon(cur->icons.success, "\xe2\x9c\x85"));
    rc = rc ? rc : msg_embed_field(e, name, d->success, false);
    snprintf(name, sizeof(name), "%s Time", icon(cur->icons.time, "\xe2\x8f\xb1\xef\xb8\x8f"));
    if (d->parts > 1)
        snprintf(time, sizeof(time), "about %.1f h today (%s for the %d-day block)", d->time_hours,
                 d->time_text ? d->time_text : "?", d->parts);
    else
        snprintf(time, sizeof(time), "%s", d->time_text ? d->time_text : "-");
    rc = rc ? rc : msg_embed_field(e, name, time, true);
    if (!rc && d->capstone) {
        struct buf b;
        buf_init(&b, 1024);
        for (size_t i = 0; i < d->capstone->n_platform_requirements; i++)
            buf_printf(&b, "\xe2\x80\xa2 %s\n", d->capstone->platform_requirements[i]);
        rc = msg_embed_field(e, "Capstone requirements", buf_str(&b), false);
        buf_free(&b);
    }
    return rc;
}

static void list_field(struct msg_embed *e, const char *name, const char **items, size_t n)
{
    struct buf b;
    buf_init(&b, 1024);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "\xe2\x80\xa2 %s\n", items[i]);
    if (n)
        msg_embed_field(e, name, buf_str(&b), false);
    buf_free(&b);
}

static void groups_field(const struct curriculum *cur, int week, struct msg_embed *e)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const struct cur_group *g[8];
    size_t n = curriculum_groups_of_week(cur, week, g, 8);
    struct buf b;
    buf_init(&b, 1024);
    for (size_t i = 0; i < n && i < 8; i++) {
        buf_printf(&b, "#%s (%s): ", g[i]->name, g[i]->focus ? g[i]->focus : "study group");
        for (int d = 0, first = 1; d < 7; d++)
            if (g[i]->weekdays & (1u << d)) {
                buf_printf(&b, "%s%s", first ? "" : "/", wd[d]);
                first = 0;
            }
        buf_printf(&b, " %s %s\n", g[i]->time, g[i]->zone);
    }
    if (n)
        msg_embed_field(e, "Study groups", buf_str(&b), false);
    buf_free(&b);
}

int daily_week_embed(const struct curriculum *cur, int week, struct message *m)
{
    const struct cur_week *w = curriculum_week(cur, week);
    if (!w)
        return BOT_ENOTFOUND;
    char title[320], desc[600];
    snprintf(title, sizeof(title), "%s Week %d \xe2\x80\x94 %s", icon(w->icon, "\xf0\x9f\x97\x93"),
             w->number, w->title);
    snprintf(desc, sizeof(desc), "%s%s%s\nDays %d-%d.", w->theme ? w->theme : "",
             w->headline ? ": " : "", w->headline ? w->headline : "", w->first_day, w->last_day);
    struct msg_embed *e = msg_add_embed(m, title, desc);
    if (!e)
        return BOT_ENOMEM;
    e->color = 0x4caf50;
    list_field(e, "Learning objectives", w->objectives, w->n_objectives);
    list_field(e, w->project_set ? w->project_set : "Projects", w->projects, w->n_projects);
    groups_field(cur, week, e);
    const struct cur_assessment *a = curriculum_assessment_of_week(cur, week);
    if (a) {
        char txt[300];
        snprintf(txt, sizeof(txt), "%s: %d questions, pass mark %d%%", a->topic, a->questions,
                 a->pass_percent);
        msg_embed_field(e, "Assessment this week", txt, false);
    }
    char foot[160];
    snprintf(foot, sizeof(foot), "Time target: %s",
             cur->time_target.text ? cur->time_target.text : "15-20 hours/week");
    return msg_embed_footer(e, foot);
}

int daily_message(const struct cohort *c, const struct curriculum *cur, const struct daily_post *p,
                  struct message *m)
{
    if (p->kind == DAILY_WEEK)
        return daily_week_embed(cur, p->week, m);
    if (p->kind == DAILY_DONE) {
        char desc[512];
        snprintf(desc, sizeof(desc),
                 "That was all %zu days of **%s**. Thank you for learning together! See your "
                 "journey with /progress and /streak.",
                 cur->n_days, cur->name);
        return msg_add_embed(m, "\xf0\x9f\x8e\x93 Cohort complete!", desc) ? 0 : BOT_ENOMEM;
    }
    int rc = daily_day_embed(cur, p->day, m);
    char cid[64];
    snprintf(cid, sizeof(cid), "checkin:%lld:%d", (long long)c->id, p->day);
    return rc ? rc : msg_add_button(m, "Check in", cid, MSG_BTN_SUCCESS);
}
