/* calendar_cli.c - the `calendar` subcommand (see calendar_cli.h). Output lines:
 * START<TAB>UID<TAB>SUMMARY, or FIRE<TAB>UID<TAB>START<TAB>SUMMARY with --reminders;
 * sorted; cancelled occurrences omitted. Calling thread; blocking. */
#include "schedules/calendar_cli.h"
#include "schedules/calendar.h"
#include "schedules/feed.h"
#include "bot/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LEADS 16

struct cli {
    const char *source, *zone;
    int64_t from, to;
    bool have_from, have_to, reminders;
    int leads[MAX_LEADS];
    size_t nleads;
};

static int usage(const char *why)
{
    fprintf(stderr,
            "calendar: %s\nusage: cohortbot calendar SOURCE [--from YYYY-MM-DD] [--to YYYY-MM-DD]"
            " [--tz ZONE] [--reminders] [--lead 1440,60,10]\n",
            why);
    return 2;
}

static int parse_leads(const char *s, struct cli *c)
{
    c->nleads = 0;
    while (*s) {
        char *e;
        long v = strtol(s, &e, 10);
        if (e == s || v < 0 || v > 525600 || (*e && *e != ',') || c->nleads == MAX_LEADS)
            return -1;
        c->leads[c->nleads++] = (int)v;
        s = *e ? e + 1 : e;
    }
    return c->nleads ? 0 : -1;
}

static int parse_day(const char *s, int64_t *out)
{
    int y, m, d;
    if (!s || tz_parse_date(s, &y, &m, &d))
        return -1;
    *out = tz_days_from_civil(y, m, d) * 86400;
    return 0;
}

static int parse_args(int argc, char **argv, struct cli *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--reminders") == 0) {
            c->reminders = true;
            continue;
        }
        if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
            bool from = a[2] == 'f';
            if (parse_day(v, from ? &c->from : &c->to))
                return usage("--from/--to need a date YYYY-MM-DD");
            *(from ? &c->have_from : &c->have_to) = true;
        } else if (strcmp(a, "--tz") == 0) {
            if (!v || !tz_valid(v))
                return usage("--tz needs a known IANA zone name");
            c->zone = v;
        } else if (strcmp(a, "--lead") == 0) {
            if (!v || parse_leads(v, c))
                return usage("--lead needs minutes like 1440,60,10");
        } else if (a[0] == '-' && a[1] == '-') {
            return usage("unknown option");
        } else {
            if (c->source)
                return usage("only one SOURCE");
            c->source = a;
            continue;
        }
        i++;
    }
    if (!c->source)
        return usage("missing SOURCE (file path or https URL)");
    if (!c->have_from)
        c->from = (int64_t)time(NULL) / 86400 * 86400;
    if (!c->have_to)
        c->to = c->from + 30 * 86400;
    if (c->to <= c->from)
        return usage("--to must be after --from");
    return 0;
}

/* Tabs and newlines would break the line format. */
static void put_clean(const char *s)
{
    for (; *s; s++)
        putchar((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

static int print_occurrences(const struct cal_feed *f, const struct cli *c)
{
    struct cal_occ *o;
    size_t n;
    if (cal_expand_max(f, c->from, c->to, CAL_TOOL_MAX_OCC, &o, &n))
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (o[i].cancelled)
            continue;
        char start[32];
        cal_format_start(&o[i], start);
        printf("%s\t", start);
        put_clean(o[i].uid);
        putchar('\t');
        put_clean(o[i].summary);
        putchar('\n');
    }
    free(o);
    return 0;
}

static int print_reminders(const struct cal_feed *f, const struct cli *c)
{
    struct cal_reminder *r;
    size_t n;
    if (cal_reminders_max(f, c->from, c->to, c->leads, c->nleads, CAL_TOOL_MAX_OCC, &r, &n))
        return 1;
    for (size_t i = 0; i < n; i++) {
        char fire[32], start[32];
        cal_format_utc(r[i].fire, fire);
        cal_format_start(&r[i].occ, start);
        printf("%s\t", fire);
        put_clean(r[i].occ.uid);
        printf("\t%s\t", start);
        put_clean(r[i].occ.summary);
        putchar('\n');
    }
    free(r);
    return 0;
}

int cal_cli_main(int argc, char **argv)
{
    struct cli c = {.zone = "UTC", .leads = {1440, 60, 10}, .nleads = 3};
    int rc = parse_args(argc, argv, &c);
    if (rc)
        return rc;
    struct feed_result res;
    if (feed_fetch(c.source, NULL, NULL, &res)) {
        fprintf(stderr, "calendar: %s\n", res.err);
        return 1;
    }
    struct cal_feed *f = NULL;
    char err[BOT_ERR_LEN];
    rc = cal_parse(res.body, res.len, c.zone, &f, err);
    feed_result_free(&res);
    if (rc) {
        fprintf(stderr, "calendar: %s: %s\n", c.source, err);
        return 1;
    }
    rc = c.reminders ? print_reminders(f, &c) : print_occurrences(f, &c);
    if (rc)
        fprintf(stderr, "calendar: out of memory\n");
    cal_feed_free(f);
    fflush(stdout);
    return rc;
}
