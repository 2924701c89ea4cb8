/* simulate.c - the dry run of the daily schedule (see simulate.h). Uses the cohorts
 * in --db when there are any, else a cohort described by the flags. */
#include "schedules/simulate.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/tz.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/daily.h"
#include "schedules/sessions.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sim {
    const struct curricula *set;
    struct store *store;
    int64_t from, to;
    int count, events;
    int window_days;
};

static void print_post(struct sim *s, const struct cohort *c, const struct curriculum *cur,
                       const struct daily_post *p)
{
    struct civil l, u;
    char chan[40], mapped[24];
    tz_from_utc(c->timezone, p->due, &l);
    tz_from_utc("UTC", p->due, &u);
    if (s->store && store_week_channel_get(s->store, c->id, p->week, mapped, sizeof(mapped)) == 0)
        snprintf(chan, sizeof(chan), "<#%s>", mapped);
    else
        snprintf(chan, sizeof(chan), "#week-%02d", p->week);
    char title[300];
    const struct cur_day *d = curriculum_day(cur, p->day);
    const struct cur_week *w = curriculum_week(cur, p->week);
    if (p->kind == DAILY_WEEK)
        snprintf(title, sizeof(title), "Week %d overview: %s", p->week, w ? w->title : "");
    else if (p->kind == DAILY_DONE)
        snprintf(title, sizeof(title), "Cohort complete");
    else
        snprintf(title, sizeof(title), "Day %d \xc2\xb7 Week %d \xe2\x80\x94 %s", p->day, p->week,
                 d ? d->topic : "");
    printf("%04d-%02d-%02d %02d:%02d %s\t%04d-%02d-%02dT%02d:%02dZ\t%s\t%s\n", l.year, l.month,
           l.day, l.hour, l.minute, c->timezone, u.year, u.month, u.day, u.hour, u.minute, chan,
           title);
    s->count++;
}

/* The Discord scheduled events of the study groups in [from, to): one per session, on
 * the group's voice channel, created window_days ahead. */
static void print_events(struct sim *s, const struct cohort *c, const struct curriculum *cur,
                         int64_t from, int64_t to)
{
    struct sg_session *ss;
    size_t n;
    if (sg_sessions(cur, c->start_date, c->timezone, &ss, &n))
        return;
    for (size_t i = 0; i < n; i++) {
        if (ss[i].start < from || ss[i].start >= to)
            continue;
        const struct cur_group *g = &cur->groups[ss[i].group];
        const char *zone = g->zone && *g->zone ? g->zone : c->timezone;
        struct civil l, u, k;
        tz_from_utc(zone, ss[i].start, &l);
        tz_from_utc("UTC", ss[i].start, &u);
        tz_from_utc("UTC", ss[i].start - (int64_t)s->window_days * 86400, &k);
        printf("%04d-%02d-%02d %02d:%02d %s	%04d-%02d-%02dT%02d:%02dZ	event on voice "
               "%s	"
               "Study group #%s: %s (%s, week %d; created from %04d-%02d-%02dT%02d:%02dZ)\n",
               l.year, l.month, l.day, l.hour, l.minute, zone, u.year, u.month, u.day, u.hour,
               u.minute, g->name, g->name, g->focus ? g->focus : "", ss[i].key, ss[i].week, k.year,
               k.month, k.day, k.hour, k.minute);
        s->events++;
    }
    free(ss);
}

static int sim_cohort(void *arg, const struct cohort *c)
{
    struct sim *s = arg;
    const struct curriculum *cur = curricula_find(s->set, c->curriculum);
    if (!cur) {
        fprintf(stderr, "simulate: cohort of guild %s uses unknown curriculum %s\n", c->guild_id,
                c->curriculum);
        return 0;
    }
    int64_t from = s->from, to = s->to;
    if (from == 0 && cohort_post_at(c, 0, &from))
        return 0;
    if (to == 0 && cohort_post_at(c, (int)cur->n_days + 2, &to))
        return 0;
    size_t cap = cur->n_days + cur->n_weeks + 2;
    struct daily_post *plan = calloc(cap, sizeof(*plan));
    if (!plan)
        return 1;
    size_t n = daily_plan(c, cur, from, to, plan, cap);
    printf("# guild %s: %s from %s, %s %s\n", c->guild_id, cur->name, c->start_date, c->post_time,
           c->timezone);
    for (size_t i = 0; i < n && i < cap; i++)
        print_post(s, c, cur, &plan[i]);
    free(plan);
    print_events(s, c, cur, from, to);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: cohortbot simulate [--from YYYY-MM-DD] [--days N] [--db FILE]\n"
                    "         [--start YYYY-MM-DD] [--timezone ZONE] [--post-time HH:MM]\n"
                    "         [--curriculum SLUG] [--config FILE]\n");
    return 1;
}

/* The cohorts of the database, or else the one described on the command line. */
static int run_simulation(struct sim *s, const struct config *cfg, struct cohort *hypo,
                          const char *db)
{
    char err[BOT_ERR_LEN];
    int n = 0;
    if (db) {
        if (store_open_shared(db, &s->store, err, sizeof(err))) {
            fprintf(stderr, "simulate: %s\n", err);
            return 3;
        }
        store_cohort_each(s->store, sim_cohort, s);
        n = s->count;
    }
    if (!db || (n == 0 && hypo->start_date[0])) {
        if (!hypo->start_date[0]) {
            int y, m, d;
            tz_civil_from_days((s->from ? s->from : (int64_t)time(NULL)) / 86400, &y, &m, &d);
            snprintf(hypo->start_date, sizeof(hypo->start_date), "%04d-%02d-%02d", y, m, d);
        }
        if (!hypo->timezone[0])
            snprintf(hypo->timezone, sizeof(hypo->timezone), "%s", cfg->default_timezone);
        if (!hypo->post_time[0])
            snprintf(hypo->post_time, sizeof(hypo->post_time), "%s", cfg->default_post_time);
        int y, m, d, h, mi;
        if (tz_parse_date(hypo->start_date, &y, &m, &d) || !tz_valid(hypo->timezone) ||
            tz_parse_hhmm(hypo->post_time, &h, &mi)) {
            fprintf(stderr, "simulate: bad --start, --timezone or --post-time\n");
            store_close(s->store);
            return 1;
        }
        sim_cohort(s, hypo);
    }
    store_close(s->store);
    s->store = NULL;
    fprintf(stderr, "simulate: %d posts\n", s->count);
    fprintf(stderr,
            "simulate: %d study-group events (single voice events, created %d days "
            "ahead)\n",
            s->events, s->window_days);
    return 0;
}

static int parse_day(const char *s, int64_t *out)
{
    int y, m, d;
    if (tz_parse_date(s, &y, &m, &d))
        return BOT_EINVAL;
    *out = tz_days_from_civil(y, m, d) * 86400;
    return 0;
}

int simulate_main(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"days", required_argument, NULL, 'n'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"start", required_argument, NULL, 's'},
                                         {"timezone", required_argument, NULL, 'z'},
                                         {"post-time", required_argument, NULL, 't'},
                                         {"curriculum", required_argument, NULL, 'c'},
                                         {"config", required_argument, NULL, 'C'},
                                         {NULL, 0, NULL, 0}};
    struct config cfg;
    struct cohort hypo = {.id = 0};
    const char *db = NULL, *conf = NULL, *days = NULL;
    struct sim s = {0};
    int ch, rc = 1;
    config_defaults(&cfg);
    snprintf(hypo.guild_id, sizeof(hypo.guild_id), "simulated");
    snprintf(hypo.curriculum, sizeof(hypo.curriculum), "data-engineer");
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (parse_day(optarg, &s.from))
                goto bad;
            break;
        case 'n':
            days = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 's':
            snprintf(hypo.start_date, sizeof(hypo.start_date), "%s", optarg);
            break;
        case 'z':
            snprintf(hypo.timezone, sizeof(hypo.timezone), "%s", optarg);
            break;
        case 't':
            snprintf(hypo.post_time, sizeof(hypo.post_time), "%s", optarg);
            break;
        case 'c':
            snprintf(hypo.curriculum, sizeof(hypo.curriculum), "%s", optarg);
            break;
        case 'C':
            conf = optarg;
            break;
        default:
            goto bad;
        }
    }
    if (days) {
        char *end;
        long n = strtol(days, &end, 10);
        if (*end || n < 1 || n > 3660)
            goto bad;
        if (!s.from)
            s.from = (int64_t)time(NULL) / 86400 * 86400;
        s.to = s.from + n * 86400;
    }
    struct buf errs;
    buf_init(&errs, 1 << 16);
    if (conf && config_load_file(&cfg, conf, &errs)) {
        fprintf(stderr, "%s", buf_str(&errs));
        buf_free(&errs);
        goto out;
    }
    s.window_days = cfg.sg_window_days;
    struct curricula *set = NULL;
    if (curricula_load_dir(cfg.curricula_dir, &set, &errs) < 0 || !set || !set->n) {
        fprintf(stderr, "simulate: no curriculum: %s", buf_str(&errs));
        buf_free(&errs);
        curricula_free(set);
        goto out;
    }
    buf_free(&errs);
    s.set = set;
    rc = run_simulation(&s, &cfg, &hypo, db);
    curricula_free(set);
    goto out;
bad:
    rc = usage();
out:
    config_free(&cfg);
    return rc;
}
