/* pairing_cost.c - input checks, working windows, the load cost, the suggested
 * meeting slot, the cost of one pair, reason strings and the dry-run CSV (see
 * pairing.h and pairing_cost.h). */
#include "schedules/pairing_cost.h"
#include "bot/err.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>

#define DAY_MIN PAIR_DAY_MIN
#define MAX_OFFSET_MIN 840 /* UTC-14:00 .. UTC+14:00 */

static void set_err(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, BOT_ERR_LEN, fmt, ap);
    va_end(ap);
}

static int check_id(const char *id, const char *what, size_t i, char *err)
{
    if (!id || !id[0] || strnlen(id, PAIR_ID_MAX + 1) > PAIR_ID_MAX) {
        set_err(err, "%s #%zu: id missing, empty or longer than %d bytes", what, i, PAIR_ID_MAX);
        return BOT_EINVAL;
    }
    return 0;
}

static int check_mentor(const struct pair_input *in, size_t i, char *err)
{
    const struct pair_mentor *p = &in->mentors[i];
    if (check_id(p->id, "mentor", i, err) != 0)
        return BOT_EINVAL;
    uint64_t all = in->n_tracks >= 64 ? UINT64_MAX : ((uint64_t)1 << in->n_tracks) - 1;
    struct pair_uwin w;
    if (p->capacity < PAIR_MIN_CAPACITY || p->capacity > PAIR_MAX_CAPACITY)
        set_err(err, "mentor %s: capacity %d not in %d-%d", p->id, p->capacity, PAIR_MIN_CAPACITY,
                PAIR_MAX_CAPACITY);
    else if (p->tracks == 0 || (p->tracks & ~all))
        set_err(err, "mentor %s: tracks must be a non-empty subset of the %zu tracks", p->id,
                in->n_tracks);
    else if (pair_window_resolve(&p->win, &w) != 0)
        set_err(err, "mentor %s: bad working window or UTC offset", p->id);
    else
        return 0;
    return BOT_EINVAL;
}

static int check_mentee(const struct pair_input *in, size_t i, char *err)
{
    const struct pair_mentee *p = &in->mentees[i];
    if (check_id(p->id, "mentee", i, err) != 0)
        return BOT_EINVAL;
    struct pair_uwin w;
    if (p->interest < -1 || p->interest >= (int)in->n_tracks)
        set_err(err, "mentee %s: interest %d is not a track index", p->id, p->interest);
    else if (pair_window_resolve(&p->win, &w) != 0)
        set_err(err, "mentee %s: bad working window or UTC offset", p->id);
    else
        return 0;
    return BOT_EINVAL;
}

static int check_sizes(const struct pair_input *in, char *err)
{
    if (in->round < 1) {
        set_err(err, "round %d: rounds start at 1", in->round);
        return BOT_EINVAL;
    }
    if (in->n_tracks > PAIR_MAX_TRACKS || (in->n_tracks && !in->tracks)) {
        set_err(err, "%zu tracks: at most %d, and a names array", in->n_tracks, PAIR_MAX_TRACKS);
        return BOT_EINVAL;
    }
    for (size_t i = 0; i < in->n_tracks; i++)
        if (!in->tracks[i] || !in->tracks[i][0]) {
            set_err(err, "track #%zu has no name", i);
            return BOT_EINVAL;
        }
    if (in->n_mentors > PAIR_MAX_PEOPLE || in->n_mentees > PAIR_MAX_PEOPLE ||
        in->n_history > PAIR_MAX_HISTORY || (in->n_mentors && !in->mentors) ||
        (in->n_mentees && !in->mentees) || (in->n_history && !in->history) ||
        in->k_best > PAIR_MAX_K) {
        set_err(err,
                "too many people (max %d per side) or history rows (max %d), missing "
                "arrays, or k_best > %d",
                PAIR_MAX_PEOPLE, PAIR_MAX_HISTORY, PAIR_MAX_K);
        return BOT_EINVAL;
    }
    return 0;
}

/* Everything but duplicate ids, which the matcher finds while indexing them. */
int pair_check_input(const struct pair_input *in, char *err)
{
    int rc = check_sizes(in, err);
    for (size_t i = 0; rc == 0 && i < in->n_mentors; i++)
        rc = check_mentor(in, i, err);
    for (size_t i = 0; rc == 0 && i < in->n_mentees; i++)
        rc = check_mentee(in, i, err);
    for (size_t i = 0; rc == 0 && i < in->n_history; i++) {
        const struct pair_history *h = &in->history[i];
        if (!h->mentor_id || !h->mentee_id || h->round < 1 || h->round >= in->round) {
            set_err(err, "history row #%zu: missing id or round %d not in 1..%d", i, h->round,
                    in->round - 1);
            rc = BOT_EINVAL;
        }
    }
    return rc;
}

int pair_window_resolve(const struct pair_window *w, struct pair_uwin *out)
{
    int start = w->start_min, end = w->end_min;
    if (start == 0 && end == 0) {
        start = PAIR_DEFAULT_START;
        end = PAIR_DEFAULT_END;
    }
    if (w->utc_offset_min < -MAX_OFFSET_MIN || w->utc_offset_min > MAX_OFFSET_MIN)
        return BOT_EINVAL;
    if (start < 0 || start >= DAY_MIN || end <= start || end > DAY_MIN)
        return BOT_EINVAL;
    int s = (start - w->utc_offset_min) % DAY_MIN;
    out->start = s < 0 ? s + DAY_MIN : s;
    out->len = end - start;
    return 0;
}

int64_t pair_load_cost(int load)
{
    if (load <= 1)
        return 0;
    return (int64_t)PAIR_LOAD_STEP * load * (load - 1) / 2;
}

static const char *first_track(const struct pair_input *in, uint64_t tracks, int *more)
{
    int first = -1;
    *more = 0;
    for (int b = 0; b < (int)in->n_tracks; b++)
        if ((tracks >> b) & 1u) {
            if (first < 0)
                first = b;
            else
                (*more)++;
        }
    return first >= 0 ? in->tracks[first] : "no track";
}

/* Fills a->reason. Long track names are cut at PAIR_REASON_LEN, on purpose. */
void pair_reason(const struct pair_input *in, struct pair_assignment *a)
{
    const struct pair_mentor *mr = &in->mentors[a->mentor];
    int interest = in->mentees[a->mentee].interest, more;
    const char *mt = first_track(in, mr->tracks, &more);
    char track[96], hours[64];
    if (interest >= 0 && ((mr->tracks >> interest) & 1u))
        snprintf(track, sizeof(track), "both on %s", in->tracks[interest]);
    else if (interest >= 0)
        snprintf(track, sizeof(track), "wants %s, mentor on %s%s", in->tracks[interest], mt,
                 more ? " and more" : "");
    else
        snprintf(track, sizeof(track), "open to any track, mentor on %s%s", mt,
                 more ? " and more" : "");
    int ov = a->slot.overlap_min;
    if (!a->slot.in_overlap)
        snprintf(hours, sizeof(hours), "no 45-minute overlap in working hours");
    else if (ov % 60 == 0)
        snprintf(hours, sizeof(hours), "%d h overlap in working hours", ov / 60);
    else if (ov > 60)
        snprintf(hours, sizeof(hours), "%d h %d min overlap in working hours", ov / 60, ov % 60);
    else
        snprintf(hours, sizeof(hours), "%d min overlap in working hours", ov);
    if (a->last_met_round == 0)
        snprintf(a->reason, sizeof(a->reason), "%s, %s, first time meeting", track, hours);
    else
        snprintf(a->reason, sizeof(a->reason), "%s, %s, %s in round %d", track, hours,
                 a->repeat ? "met before" : "last met", a->last_met_round);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Earliest minute m >= from_min where [m, m + 45) is inside copies of both windows
 * (minutes relative to the UTC day start `base`), or -1. */
static int earliest_common(const struct pair_uwin *a, const struct pair_uwin *b, int from_min)
{
    int best = -1;
    for (int ka = -1; ka <= 2; ka++) {
        int alo = a->start + ka * DAY_MIN, ahi = alo + a->len;
        if (a->len == DAY_MIN) { /* all day: one unbroken interval */
            alo = -2 * DAY_MIN;
            ahi = 4 * DAY_MIN;
        }
        for (int kb = -1; kb <= 2; kb++) {
            int blo = b->start + kb * DAY_MIN, bhi = blo + b->len;
            if (b->len == DAY_MIN) {
                blo = -2 * DAY_MIN;
                bhi = 4 * DAY_MIN;
            }
            int lo = alo > blo ? alo : blo;
            int hi = ahi < bhi ? ahi : bhi;
            if (lo < from_min)
                lo = from_min;
            if (hi - lo >= PAIR_SLOT_MIN && (best < 0 || lo < best))
                best = lo;
        }
    }
    return best;
}

int pair_slot(const struct pair_window *a, const struct pair_window *b, int64_t from,
              struct pair_slot *out)
{
    struct pair_uwin ua, ub;
    if (!a || !b || !out || pair_window_resolve(a, &ua) != 0 || pair_window_resolve(b, &ub) != 0)
        return BOT_EINVAL;
    int longest;
    pair_overlap(&ua, &ub, &out->overlap_min, &longest);
    int64_t base = floor_div(from, 86400) * 86400;
    /* round `from` up to a quarter hour, in minutes after base (0..1440) */
    int from_min = (int)((from - base + 899) / 900) * 15;
    int m = earliest_common(&ua, &ub, from_min);
    out->in_overlap = m >= 0;
    if (m < 0) {
        /* fallback: b's next window start at or after from_min */
        m = ub.start;
        while (m < from_min)
            m += DAY_MIN;
    }
    out->start = base + (int64_t)m * 60;
    return 0;
}

/* ---- single-pair helpers and CSV ----------------------------------------- */

int pair_edge_cost(const struct pair_input *in, size_t mentor, size_t mentee, int64_t *cost)
{
    if (!in || !cost || mentor >= in->n_mentors || mentee >= in->n_mentees)
        return BOT_EINVAL;
    const struct pair_mentor *mr = &in->mentors[mentor];
    const struct pair_mentee *ee = &in->mentees[mentee];
    struct pair_uwin wm, we;
    if (!mr->id || !ee->id || strcmp(mr->id, ee->id) == 0 ||
        pair_window_resolve(&mr->win, &wm) != 0 || pair_window_resolve(&ee->win, &we) != 0)
        return BOT_EINVAL;
    int last = 0;
    for (size_t i = 0; i < in->n_history; i++) {
        const struct pair_history *h = &in->history[i];
        if (h->mentor_id && h->mentee_id && h->round < in->round && h->round > last &&
            strcmp(h->mentor_id, mr->id) == 0 && strcmp(h->mentee_id, ee->id) == 0)
            last = h->round;
    }
    *cost = pair_cost_terms(&wm, &we, mr->tracks, ee->interest, in->round, last);
    return 0;
}

static int csv_field(struct buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (!s[0] || s[strlen(s) - 1] != ' '))
        return buf_puts(b, s);
    int rc = buf_puts(b, "\"");
    for (const char *p = s; rc == 0 && *p; p++)
        rc = *p == '"' ? buf_puts(b, "\"\"") : buf_append(b, p, 1);
    return rc == 0 ? buf_puts(b, "\"") : rc;
}

int pair_format_csv(const struct pair_input *in, const struct pair_result *r, struct buf *out)
{
    if (!in || !r || !out)
        return BOT_EINVAL;
    int rc = buf_puts(out, "mentor_id,mentee_id,cost,reason\n");
    for (size_t i = 0; rc == 0 && i < r->n_assign; i++) {
        const struct pair_assignment *a = &r->assign[i];
        rc = csv_field(out, a->mentor_id);
        if (rc == 0)
            rc = buf_puts(out, ",");
        if (rc == 0)
            rc = csv_field(out, a->mentee_id);
        if (rc == 0)
            rc = buf_printf(out, ",%" PRId64 ",", a->cost);
        if (rc == 0)
            rc = csv_field(out, a->reason);
        if (rc == 0)
            rc = buf_puts(out, "\n");
    }
    for (size_t i = 0; rc == 0 && i < r->n_unmatched; i++) {
        if (r->unmatched[i] >= in->n_mentees)
            return BOT_EINVAL;
        rc = buf_puts(out, ",");
        if (rc == 0)
            rc = csv_field(out, in->mentees[r->unmatched[i]].id);
        if (rc == 0)
            rc = buf_puts(out, ",,unmatched\n");
    }
    return rc;
}
