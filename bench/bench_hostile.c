/* bench_hostile.c - what a hostile guild admin can make the host do, in figures:
 * for every file of tests/data/hostile, the parse (on a feed worker) and the
 * reminder computation of the bot's window (on the loop thread, within the
 * expansion budget), the worst of each; and the RSS growth after 300 time-zone
 * names that alias real zone files (each used to load and keep a zone). */
#include "bot/err.h"
#include "bot/tz.h"
#include "schedules/calendar.h"
#include "schedules/feed_pool.h"

#include <stdbool.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static long rss_kib(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (fp && fgets(line, sizeof(line), fp))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    if (fp)
        fclose(fp);
    return kib;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    if (p && fread(p, 1, (size_t)n, fp) == (size_t)n)
        p[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return p;
}

static void one(const char *dir, const char *name, double *worst_parse, double *worst_loop)
{
    char path[1400], err[BOT_ERR_LEN] = "";
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        return;
    const int64_t now = 1799064000; /* 2027-01-04T12:00:00Z */
    int leads[] = {1440, 60, 10};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct cal_feed *f = NULL;
    int rc = cal_parse(text, len, "UTC", &f, err);
    double tp = ms_since(&t0);
    double tr = 0;
    size_t n = 0;
    int rrc = 0;
    if (!rc) {
        struct cal_reminder *r = NULL;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rrc = cal_reminders(f, now - 12 * 3600, now + 86400, leads, 3, &r, &n);
        tr = ms_since(&t0);
        free(r);
        cal_feed_free(f);
    }
    /* the worker runs this once as its trial; a trial over budget or over
     * FEED_TRIAL_MAX_US marks the feed too costly and the loop never expands it */
    bool heavy = !rc && (rrc == BOT_ETOOBIG || tr * 1000 > FEED_TRIAL_MAX_US);
    printf("  %-24s %8zu B  parse %7.2f ms (%s)  trial %8.2f ms (%s, %zu)%s\n", name, len, tp,
           rc ? "refused" : "ok", tr,
           rrc == BOT_ETOOBIG ? "over budget"
           : rrc              ? "error"
                              : "ok",
           n, heavy ? "  -> paused, never on the loop" : "");
    *worst_parse = tp + tr > *worst_parse ? tp + tr : *worst_parse;
    if (!rc && !heavy)
        *worst_loop = tr > *worst_loop ? tr : *worst_loop;
    free(text);
}

int main(void)
{
    const char *src = getenv("COHORTBOT_SRCDIR") ? getenv("COHORTBOT_SRCDIR") : COHORTBOT_SRCDIR;
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/tests/data/hostile", src);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_hostile: no %s\n", dir);
        return 1;
    }
    double wp = 0, wl = 0;
    struct dirent *e;
    printf("hostile calendars (bot budget %d occurrences per window):\n", CAL_MAX_OCC);
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".ics"))
            one(dir, e->d_name, &wp, &wl);
    closedir(d);
    printf("worst parse + trial (feed worker): %.2f ms; worst reminder pass (loop thread): %.2f "
           "ms\n",
           wp, wl);
    long before = rss_kib();
    int accepted = 0;
    for (int i = 0; i < 300; i++) {
        char name[160] = "";
        for (int k = 0; k < i % 10; k++)
            strcat(name, "./");
        strcat(name, "Asia");
        for (int k = 0; k < i / 10; k++)
            strcat(name, "/.");
        strcat(name, "/Tokyo");
        accepted += tz_valid(name);
        tz_offset(name, 1799064000);
    }
    printf("300 aliasing zone names: %d accepted, RSS %+ld KiB\n", accepted, rss_kib() - before);
    return 0;
}
