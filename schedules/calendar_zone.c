/* calendar_zone.c - TZID resolution (in-file VTIMEZONE, IANA, Windows names) and
 * wall-clock <-> UTC conversion with RFC 5545 gap/overlap rules (libical 3.0.16
 * picks the second instant of an overlap; we pick the first). Loop thread only. */
#include "schedules/calendar_int.h"
#include "bot/tz.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Windows zone names (CLDR windowsZones, territory 001) -> IANA. */
static const struct {
    const char *win, *iana;
} win_zones[] = {
    {"Dateline Standard Time", "Etc/GMT+12"},
    {"UTC-11", "Etc/GMT+11"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Pacific Standard Time (Mexico)", "America/Tijuana"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"Mountain Standard Time (Mexico)", "America/Mazatlan"},
    {"Mountain Standard Time", "America/Denver"},
    {"Central America Standard Time", "America/Guatemala"},
    {"Central Standard Time (Mexico)", "America/Mexico_City"},
    {"Central Standard Time", "America/Chicago"},
    {"Canada Central Standard Time", "America/Regina"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"Eastern Standard Time (Mexico)", "America/Cancun"},
    {"Eastern Standard Time", "America/New_York"},
    {"US Eastern Standard Time", "America/Indianapolis"},
    {"Venezuela Standard Time", "America/Caracas"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"SA Western Standard Time", "America/La_Paz"},
    {"Pacific SA Standard Time", "America/Santiago"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Argentina Standard Time", "America/Buenos_Aires"},
    {"SA Eastern Standard Time", "America/Cayenne"},
    {"Greenland Standard Time", "America/Godthab"},
    {"Montevideo Standard Time", "America/Montevideo"},
    {"UTC-02", "Etc/GMT+2"},
    {"Azores Standard Time", "Atlantic/Azores"},
    {"Cape Verde Standard Time", "Atlantic/Cape_Verde"},
    {"UTC", "Etc/UTC"},
    {"Coordinated Universal Time", "Etc/UTC"},
    {"GMT Standard Time", "Europe/London"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"Morocco Standard Time", "Africa/Casablanca"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Romance Standard Time", "Europe/Paris"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"W. Central Africa Standard Time", "Africa/Lagos"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Kaliningrad Standard Time", "Europe/Kaliningrad"},
    {"Jordan Standard Time", "Asia/Amman"},
    {"Arabic Standard Time", "Asia/Baghdad"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"Arab Standard Time", "Asia/Riyadh"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"E. Africa Standard Time", "Africa/Nairobi"},
    {"Iran Standard Time", "Asia/Tehran"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Azerbaijan Standard Time", "Asia/Baku"},
    {"Georgian Standard Time", "Asia/Tbilisi"},
    {"Afghanistan Standard Time", "Asia/Kabul"},
    {"West Asia Standard Time", "Asia/Tashkent"},
    {"Pakistan Standard Time", "Asia/Karachi"},
    {"India Standard Time", "Asia/Calcutta"},
    {"Sri Lanka Standard Time", "Asia/Colombo"},
    {"Nepal Standard Time", "Asia/Katmandu"},
    {"Central Asia Standard Time", "Asia/Almaty"},
    {"Bangladesh Standard Time", "Asia/Dhaka"},
    {"Myanmar Standard Time", "Asia/Rangoon"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"China Standard Time", "Asia/Shanghai"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"Taipei Standard Time", "Asia/Taipei"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"AUS Central Standard Time", "Australia/Darwin"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"West Pacific Standard Time", "Pacific/Port_Moresby"},
    {"Tasmania Standard Time", "Australia/Hobart"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
    {"Fiji Standard Time", "Pacific/Fiji"},
    {"Tonga Standard Time", "Pacific/Tongatapu"},
    {"Samoa Standard Time", "Pacific/Apia"},
};

const char *cal_windows_zone(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof(win_zones) / sizeof(win_zones[0]); i++)
        if (strcasecmp(name, win_zones[i].win) == 0)
            return win_zones[i].iana;
    return NULL;
}

int cal_tz_offset(icaltimezone *tz, int64_t utc)
{
    if (!tz)
        return 0;
    int64_t days = utc >= 0 ? utc / 86400 : -((-utc + 86399) / 86400);
    int64_t secs = utc - days * 86400;
    struct icaltimetype tt = icaltime_null_time();
    if (days < -700000 || days > 3000000)
        return 0;
    tz_civil_from_days(days, &tt.year, &tt.month, &tt.day);
    tt.hour = (int)(secs / 3600);
    tt.minute = (int)(secs % 3600 / 60);
    tt.second = (int)(secs % 60);
    tt.zone = icaltimezone_get_utc_timezone();
    int dst = 0;
    return icaltimezone_get_utc_offset_of_utc_time(tz, &tt, &dst);
}

void cal_zc_init(struct cal_zcache *zc, int64_t lo, int64_t hi)
{
    zc->nz = 0;
    zc->last = 0;
    zc->lo = lo;
    zc->hi = hi > lo && hi - lo <= CAL_ZC_SPAN ? hi : lo;
}

/* Samples [lo, hi) every CAL_ZC_STEP; each change is bisected to the second. */
static void ztab_build(struct cal_ztab *t, icaltimezone *tz, int64_t lo, int64_t hi)
{
    t->tz = tz;
    t->ok = true;
    t->n = 1;
    t->at[0] = lo;
    int cur = t->off[0] = cal_tz_offset(tz, lo);
    int64_t a = lo;
    while (a < hi - 1) {
        int64_t b = a + CAL_ZC_STEP < hi - 1 ? a + CAL_ZC_STEP : hi - 1;
        int ob = cal_tz_offset(tz, b);
        if (ob == cur) {
            a = b;
            continue;
        }
        while (b - a > 1) { /* invariant: offset(a) == cur, offset(b) != cur */
            int64_t mid = a + (b - a) / 2;
            int om = cal_tz_offset(tz, mid);
            if (om == cur)
                a = mid;
            else {
                b = mid;
                ob = om;
            }
        }
        if (t->n > CAL_ZC_CHANGES) {
            t->ok = false;
            return;
        }
        t->at[t->n] = b;
        t->off[t->n++] = cur = ob;
        a = b;
    }
}

static const struct cal_ztab *ztab_get(struct cal_zcache *zc, icaltimezone *tz)
{
    if (zc->last < zc->nz && zc->z[zc->last].tz == tz)
        return &zc->z[zc->last];
    for (int i = 0; i < zc->nz; i++)
        if (zc->z[i].tz == tz) {
            zc->last = i;
            return &zc->z[i];
        }
    if (zc->nz == CAL_ZC_ZONES)
        return NULL;
    ztab_build(&zc->z[zc->nz], tz, zc->lo, zc->hi);
    zc->last = zc->nz;
    return &zc->z[zc->nz++];
}

int cal_zc_offset(struct cal_zcache *zc, icaltimezone *tz, int64_t utc)
{
    if (!tz)
        return 0;
    if (!zc || utc < zc->lo || utc >= zc->hi)
        return cal_tz_offset(tz, utc);
    const struct cal_ztab *t = ztab_get(zc, tz);
    if (!t || !t->ok)
        return cal_tz_offset(tz, utc);
    int lo = 0, hi = t->n; /* last i with at[i] <= utc; at[0] = zc->lo <= utc */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (t->at[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return t->off[lo];
}

int64_t cal_zc_wall_to_utc(struct cal_zcache *zc, icaltimezone *tz, int64_t wall)
{
    if (!tz)
        return wall;
    /* Offsets in force a day before and a day after; at most one change between. */
    int before = cal_zc_offset(zc, tz, wall - 86400);
    int after = cal_zc_offset(zc, tz, wall + 86400);
    if (before == after) /* no change within a day either side */
        return wall - before;
    int64_t t1 = wall - before, t2 = wall - after;
    bool ok1 = t1 + cal_zc_offset(zc, tz, t1) == wall;
    bool ok2 = t2 + cal_zc_offset(zc, tz, t2) == wall;
    if (ok1 && ok2)
        return t1 < t2 ? t1 : t2; /* overlap: the first instant */
    if (ok1)
        return t1;
    if (ok2)
        return t2;
    return t1; /* gap: offset from before the gap, e.g. 02:30 EST -> 03:30 EDT */
}

int64_t cal_wall_to_utc(icaltimezone *tz, int64_t wall)
{
    return cal_zc_wall_to_utc(NULL, tz, wall);
}

int64_t cal_tval_utc(const struct cal_tval *v)
{
    return cal_wall_to_utc(v->tz, v->wall);
}

static bool is_utc_name(const char *s)
{
    static const char *names[] = {"UTC",  "Etc/UTC", "GMT",       "Etc/GMT",       "Z",
                                  "Zulu", "UCT",     "Universal", "Etc/Universal", "Etc/Zulu"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(s, names[i]) == 0)
            return true;
    return false;
}

/* A zone of libical's built-in list by exact name, also in libical's own TZID form
 * ("/freeassociation.sourceforge.net/[Tzfile/]Europe/Berlin"). Only listed names
 * reach libical (tz_canonical): a feed's TZID is never a path. */
static icaltimezone *builtin(const char *name)
{
    static const char prefix[] = "/freeassociation.sourceforge.net/";
    if (strncmp(name, prefix, sizeof(prefix) - 1) == 0) {
        name += sizeof(prefix) - 1;
        if (strncmp(name, "Tzfile/", 7) == 0)
            name += 7;
    }
    const char *canon = tz_canonical(name);
    if (!canon || strcmp(canon, "UTC") == 0 || strcmp(canon, "Etc/UTC") == 0)
        return NULL; /* UTC names are handled by is_utc_name */
    return icaltimezone_get_builtin_timezone(canon);
}

/* One lookup of a candidate name; *tz NULL = UTC. */
static bool lookup(struct cal_feed *f, const char *name, icaltimezone **tz)
{
    if (!*name)
        return false;
    if (f->tzcal) {
        icaltimezone *z = icalcomponent_get_timezone(f->tzcal, name);
        if (z) {
            *tz = z;
            return true;
        }
    }
    if (is_utc_name(name)) {
        *tz = NULL;
        return true;
    }
    icaltimezone *z = builtin(name);
    if (!z) {
        const char *iana = cal_windows_zone(name);
        if (iana && is_utc_name(iana)) {
            *tz = NULL;
            return true;
        }
        if (iana)
            z = builtin(iana);
    }
    if (!z)
        return false;
    *tz = z;
    return true;
}

static bool resolve(struct cal_feed *f, const char *tzid, icaltimezone **tz);

bool cal_zone_resolve(struct cal_feed *f, const char *tzid, icaltimezone **tz)
{
    if (!tzid)
        return false;
    for (int i = 0; i < f->nzcache; i++)
        if (strcmp(f->zcache[i].tzid, tzid) == 0) {
            *tz = f->zcache[i].tz;
            return f->zcache[i].ok;
        }
    bool ok = resolve(f, tzid, tz);
    if (f->nzcache < 16 && strlen(tzid) < sizeof(f->zcache[0].tzid)) {
        snprintf(f->zcache[f->nzcache].tzid, sizeof(f->zcache[0].tzid), "%s", tzid);
        f->zcache[f->nzcache].tz = ok ? *tz : NULL;
        f->zcache[f->nzcache++].ok = ok;
    }
    return ok;
}

static bool resolve(struct cal_feed *f, const char *tzid, icaltimezone **tz)
{
    if (lookup(f, tzid, tz))
        return true;
    /* Trim quotes, spaces and stray punctuation ("Pacific Standard Time:"). */
    char tmp[128];
    size_t n = strlen(tzid);
    while (n && (isspace((unsigned char)tzid[n - 1]) || strchr(":;,\"'", tzid[n - 1])))
        n--;
    size_t s = 0;
    while (s < n && (isspace((unsigned char)tzid[s]) || strchr("\"'", tzid[s])))
        s++;
    if (n - s == 0 || n - s >= sizeof(tmp))
        return false;
    memcpy(tmp, tzid + s, n - s);
    tmp[n - s] = '\0';
    if (strcmp(tmp, tzid) == 0)
        return false;
    return lookup(f, tmp, tz);
}
