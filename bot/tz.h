/* tz.h - time-zone arithmetic on IANA names (libical's zone database) and civil
 * dates. Internally all instants are UTC seconds (int64_t). Loop thread only:
 * libical's builtin-zone cache is not thread-safe. Pure apart from that cache. */
#ifndef COHORT_TZ_H
#define COHORT_TZ_H

#include <stdbool.h>
#include <stdint.h>

struct civil {
    int year, month, day; /* month 1-12, day 1-31 */
    int hour, minute, second;
    int wday; /* 0 = Sunday (filled by tz_from_utc) */
};

#define TZ_NAME_MAX 64 /* longer names are never valid */

/* True if `zone` is "UTC", "Etc/UTC" or exactly a name in libical's built-in zone
 * list (case-sensitive). Nothing else is ever handed to libical: a name is never
 * used as a path. */
bool tz_valid(const char *zone);
/* The list's own copy of `zone` (static storage), or NULL when not valid. */
const char *tz_canonical(const char *zone);
/* Local wall time in `zone` -> UTC seconds. In a DST gap the wall time is read with
 * the offset before the gap (09:00 never falls in one; 02:30 becomes 03:30).
 * 0 or BOT_EINVAL (unknown zone or impossible date). */
int tz_to_utc(const char *zone, const struct civil *local, int64_t *out);
/* UTC seconds -> local wall time in `zone`. 0 or BOT_EINVAL. */
int tz_from_utc(const char *zone, int64_t t, struct civil *out);
/* Seconds east of UTC in `zone` at instant t (0 for unknown zones). */
int tz_offset(const char *zone, int64_t t);

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t tz_days_from_civil(int y, int m, int d);
void tz_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Strict parsers: "YYYY-MM-DD" (a real calendar date) and "HH:MM" (00:00-23:59). */
int tz_parse_date(const char *s, int *y, int *m, int *d);
int tz_parse_hhmm(const char *s, int *h, int *mi);
/* "YYYY-MM-DDTHH:MM:SSZ" -> UTC seconds. 0 or BOT_EINVAL. */
int tz_parse_iso_utc(const char *s, int64_t *out);

#endif
