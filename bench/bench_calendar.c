/* bench_calendar.c - generates a Google-export-shaped feed (~2 MB, ~5,000 VEVENTs:
 * single and recurring events, overrides, EXDATEs, VALARMs, several zones incl. a
 * Windows name and X-WR-TIMEZONE floating times) and reports ms for cal_parse and
 * for cal_expand over one year separately, plus cal_reminders and peak RSS.
 * Default mix: like a real Google export, 3 of 4 open series end 1-3 years after
 * they start; `dense` keeps every series open (worst case).
 * Usage: bench_calendar [events] [rounds] [dense|realistic] [out.ics] */
#include "bot/buf.h"
#include "schedules/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char *VTZ =
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

static const char *ZONES[] = {"Europe/Berlin", "America/New_York", "W. Europe Standard Time",
                              "Asia/Kolkata", NULL /* floating */};
static const char *RULES[] = {"FREQ=WEEKLY",
                              "FREQ=WEEKLY;BYDAY=MO,WE",
                              "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                              "FREQ=DAILY;COUNT=30",
                              "FREQ=MONTHLY;BYDAY=-1FR",
                              "FREQ=YEARLY",
                              "FREQ=WEEKLY;UNTIL=20261231T000000Z;BYDAY=TH",
                              "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=24"};

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

static void dt(struct buf *b, const char *prop, const char *zone, int y, int mo, int d, int h)
{
    if (zone)
        buf_printf(b, "%s;TZID=%s:%04d%02d%02dT%02d0000\r\n", prop, zone, y, mo, d, h);
    else
        buf_printf(b, "%s:%04d%02d%02dT%02d0000\r\n", prop, y, mo, d, h);
}

static int dense; /* 1: every series open-ended (worst case); 0: most series ended */

static void event(struct buf *b, unsigned *s, int i, int *recurring, int nrec)
{
    int y = 2015 + (int)(rnd(s) % 12), mo = 1 + (int)(rnd(s) % 12), d = 1 + (int)(rnd(s) % 28);
    int h = 8 + (int)(rnd(s) % 12);
    const char *zone = ZONES[rnd(s) % 5];
    unsigned kind = rnd(s) % 100;
    buf_puts(b, "BEGIN:VEVENT\r\n");
    if (kind < 10 && nrec > 0) { /* override of an earlier recurring event */
        int m = recurring[rnd(s) % (unsigned)nrec];
        buf_printf(b, "UID:ev-%d@bench\r\nRECURRENCE-ID:%04d%02d%02dT%02d0000Z\r\n", m, y, mo, d,
                   h);
        dt(b, "DTSTART", NULL, y, mo, d, h + 1);
        buf_puts(b, (kind & 1) ? "STATUS:CANCELLED\r\n" : "SUMMARY:Moved session\r\n");
    } else {
        buf_printf(b, "UID:ev-%d@bench\r\n", i);
        dt(b, "DTSTART", zone, y, mo, d, h);
        dt(b, "DTEND", zone, y, mo, d, h + 1);
        if (kind < 45) {
            const char *rule = RULES[rnd(s) % 8];
            if (!dense && !strstr(rule, "COUNT") && !strstr(rule, "UNTIL") && rnd(s) % 4)
                buf_printf(b, "RRULE:%s;UNTIL=%04d1231T000000Z\r\n", rule,
                           y + 1 + (int)(rnd(s) % 3));
            else
                buf_printf(b, "RRULE:%s\r\n", rule);
            recurring[nrec % 4096] = i;
            if (kind < 20)
                buf_printf(b, "EXDATE:%04d%02d%02dT%02d0000Z,%04d%02d%02dT%02d0000Z\r\n", y + 1, mo,
                           d, h, y + 2, mo, d, h);
        }
        buf_printf(b, "SUMMARY:Event %d - study session %u\r\n", i, rnd(s) % 1000);
    }
    buf_printf(b,
               "DTSTAMP:20261124T020000Z\r\nCREATED:20240101T000000Z\r\n"
               "LAST-MODIFIED:20240101T000000Z\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\n"
               "TRANSP:OPAQUE\r\nLOCATION:Room %u\\, Building B\r\n",
               rnd(s) % 50);
    buf_puts(b, "DESCRIPTION:Bring your notebook. We go through the week's exercises\\, "
                "review pull\r\n  requests and pair on the hardest problem.\\nJoin link: "
                "https://meet.example.com/abc-defg-hij\r\n");
    if (kind % 7 == 0)
        buf_puts(b, "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\n"
                    "TRIGGER:-P1D\r\nEND:VALARM\r\n");
    buf_puts(b, "END:VEVENT\r\n");
}

static double ms_since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void run(const struct buf *b, int nev, int nrec, int rounds);

int main(int argc, char **argv)
{
    int nev = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 5000;
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 15;
    if (nev < 1 || rounds < 1 || rounds > 100)
        return 2;
    dense = argc > 3 && strcmp(argv[3], "dense") == 0;
    struct buf b;
    buf_init(&b, 64u << 20);
    buf_puts(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
                 "X-WR-TIMEZONE:Europe/Berlin\r\n");
    buf_puts(&b, VTZ);
    static int recurring[4096];
    unsigned seed = 42;
    int nrec = 0;
    for (int i = 0; i < nev; i++) {
        size_t before = b.len;
        event(&b, &seed, i, recurring, nrec);
        if (strstr(b.p + before, "RRULE:"))
            nrec++;
    }
    buf_puts(&b, "END:VCALENDAR\r\n");
    if (argc > 4) {
        FILE *f = fopen(argv[4], "wb");
        if (f) {
            fwrite(b.p, 1, b.len, f);
            fclose(f);
        }
    }
    run(&b, nev, nrec, rounds);
    buf_free(&b);
    return 0;
}

static void run(const struct buf *b, int nev, int nrec, int rounds)
{
    double tp[100], te[100], tr[100];
    size_t nocc = 0, nrem = 0;
    const int64_t from = 1767225600 /* 2026-01-01 */, to = from + 365 * 86400LL;
    int leads[] = {1440, 60, 10};
    for (int r = 0; r < rounds; r++) {
        struct cal_feed *f;
        char err[BOT_ERR_LEN];
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (cal_parse(b->p, b->len, "UTC", &f, err)) {
            fprintf(stderr, "parse: %s\n", err);
            exit(1);
        }
        tp[r] = ms_since(&t0);
        struct cal_occ *o;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (cal_expand_max(f, from, to, CAL_TOOL_MAX_OCC, &o, &nocc))
            exit(1);
        te[r] = ms_since(&t0);
        free(o);
        struct cal_reminder *rm;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (cal_reminders_max(f, from, from + 7 * 86400, leads, 3, CAL_TOOL_MAX_OCC, &rm, &nrem))
            exit(1);
        tr[r] = ms_since(&t0);
        free(rm);
        cal_feed_free(f);
    }
    qsort(tp, (size_t)rounds, sizeof(double), cmp_d);
    qsort(te, (size_t)rounds, sizeof(double), cmp_d);
    qsort(tr, (size_t)rounds, sizeof(double), cmp_d);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("feed: %.2f MB, %d VEVENTs (%d recurring masters), %s mix\n", (double)b->len / 1048576.0,
           nev, nrec, dense ? "dense" : "realistic");
    printf("parse:            median %.1f ms  min %.1f ms  (%d rounds)\n", tp[rounds / 2], tp[0],
           rounds);
    printf("expand 1 year:    median %.1f ms  min %.1f ms  -> %zu occurrences\n", te[rounds / 2],
           te[0], nocc);
    printf("reminders 1 week: median %.1f ms  min %.1f ms  -> %zu reminders\n", tr[rounds / 2],
           tr[0], nrem);
    printf("parse + expand:   median %.1f ms\n", tp[rounds / 2] + te[rounds / 2]);
    printf("peak RSS: %ld KiB (includes the generated text)\n", ru.ru_maxrss);
}
