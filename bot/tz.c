/* tz.c - IANA zone conversions through libical, civil-date arithmetic (see tz.h). */
#include "bot/tz.h"
#include "bot/err.h"

#include <libical/ical.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* libical's built-in zone list (zone.tab), copied and sorted by name once (kept for
 * the process's life, ~420 names). A name that is not
 * exactly in it never reaches icaltimezone_get_builtin_timezone, which would
 * otherwise open "<zoneinfo>/<name>" as a file and keep every alias it loaded. */
static const char **g_names;
static size_t g_nnames;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list_names(void)
{
    icalarray *zones = icaltimezone_get_builtin_timezones();
    size_t n = zones ? zones->num_elements : 0;
    g_names = n ? calloc(n, sizeof(*g_names)) : NULL;
    if (!g_names)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *name = icaltimezone_get_location(icalarray_element_at(zones, i));
        /* copied: libical replaces a zone's location string when it loads it */
        char *copy = name && *name ? strdup(name) : NULL;
        if (copy)
            g_names[g_nnames++] = copy;
    }
    qsort(g_names, g_nnames, sizeof(*g_names), cmp_name);
}

const char *tz_canonical(const char *zone)
{
    if (!zone || !*zone || strlen(zone) > TZ_NAME_MAX)
        return NULL;
    if (strcmp(zone, "UTC") == 0 || strcmp(zone, "Etc/UTC") == 0)
        return zone[0] == 'U' ? "UTC" : "Etc/UTC";
    pthread_once(&g_once, list_names); /* the feed worker parses too */
    const char **hit =
        g_nnames ? bsearch(&zone, g_names, g_nnames, sizeof(*g_names), cmp_name) : NULL;
    return hit ? *hit : NULL;
}

static icaltimezone *zone_get(const char *zone)
{
    const char *name = tz_canonical(zone);
    if (!name)
        return NULL;
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
        return icaltimezone_get_utc_timezone();
    return icaltimezone_get_builtin_timezone(name);
}

bool tz_valid(const char *zone)
{
    return zone_get(zone) != NULL;
}

int64_t tz_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil algorithm (public-domain arithmetic). */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void tz_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return BOT_EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int tz_parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return BOT_EINVAL;
    if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
        return BOT_EINVAL;
    if (*y < 1970 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
        return BOT_EINVAL;
    return 0;
}

int tz_parse_hhmm(const char *s, int *h, int *mi)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return BOT_EINVAL;
    if (digits(s, 2, h) || digits(s + 3, 2, mi) || *h > 23 || *mi > 59)
        return BOT_EINVAL;
    return 0;
}

int tz_to_utc(const char *zone, const struct civil *l, int64_t *out)
{
    icaltimezone *z = zone_get(zone);
    if (!z || l->month < 1 || l->month > 12 || l->day < 1 ||
        l->day > days_in_month(l->year, l->month) || l->hour < 0 || l->hour > 23 || l->minute < 0 ||
        l->minute > 59 || l->second < 0 || l->second > 60)
        return BOT_EINVAL;
    /* naive = the wall time read as if it were UTC; subtract the offset in force.
     * Two passes settle the offset at the resulting instant. */
    int64_t naive = tz_days_from_civil(l->year, l->month, l->day) * 86400 + l->hour * 3600 +
                    l->minute * 60 + l->second;
    int64_t guess = naive - tz_offset(zone, naive);
    int64_t t = naive - tz_offset(zone, guess);
    struct civil back;
    tz_from_utc(zone, t, &back);
    if (back.hour != l->hour || back.minute != l->minute) {
        /* In a gap: use the offset from before the transition. */
        t = naive - tz_offset(zone, guess - 86400 / 4);
    }
    *out = t;
    return 0;
}

int tz_offset(const char *zone, int64_t t)
{
    icaltimezone *z = zone_get(zone);
    if (!z)
        return 0;
    icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
    int is_dst = 0;
    return icaltimezone_get_utc_offset_of_utc_time(z, &tt, &is_dst);
}

int tz_from_utc(const char *zone, int64_t t, struct civil *out)
{
    if (!zone_get(zone))
        return BOT_EINVAL;
    int64_t local = t + tz_offset(zone, t);
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int64_t secs = local - days * 86400;
    tz_civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs % 3600 / 60);
    out->second = (int)(secs % 60);
    out->wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    return 0;
}

int tz_parse_iso_utc(const char *s, int64_t *out)
{
    char date[11];
    struct civil c = {0};
    if (!s || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return BOT_EINVAL;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (tz_parse_date(date, &c.year, &c.month, &c.day) || digits(s + 11, 2, &c.hour) ||
        digits(s + 14, 2, &c.minute) || digits(s + 17, 2, &c.second) || c.hour > 23 ||
        c.minute > 59 || c.second > 59)
        return BOT_EINVAL;
    *out = tz_days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 +
           c.second;
    return 0;
}
