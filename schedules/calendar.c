/* calendar.c - occurrence expansion and reminders over a parsed feed (see
 * calendar.h). Masters are expanded with calendar_rrule.c plus RDATE/EXDATE;
 * RECURRENCE-ID overrides (exact, date-only and THISANDFUTURE) are merged here,
 * which libical's foreach never does. Pure; loop thread only (libical zones). */
#include "schedules/calendar_int.h"
#include "bot/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400LL
#define MAX_INST 200000 /* per master and window: a guard against absurd rules */

struct occv {
    struct cal_occ *v;
    size_t n, cap;
    long steps;     /* spent on rule iteration, against max_steps */
    size_t max_occ; /* budget of this expansion */
    long max_steps;
    struct cal_zcache *zc; /* offset tables for this expansion */
};

static int occ_push(struct occv *o, const struct cal_occ *c)
{
    if (o->n >= o->max_occ)
        return BOT_ETOOBIG;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 64;
        struct cal_occ *p = realloc(o->v, cap * sizeof(*p));
        if (!p)
            return BOT_ENOMEM;
        o->v = p;
        o->cap = cap;
    }
    o->v[o->n++] = *c;
    return 0;
}

static int64_t fdiv(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* One instance of a master before overrides. */
struct inst {
    int64_t wall, utc, end_utc;
    bool has_end;
};

struct instv {
    struct inst *v;
    size_t n, cap;
};

static int inst_push(struct instv *iv, const struct inst *x)
{
    if (iv->n >= MAX_INST)
        return 0;
    if (iv->n == iv->cap) {
        size_t cap = iv->cap ? iv->cap * 2 : 16;
        struct inst *p = realloc(iv->v, cap * sizeof(*p));
        if (!p)
            return BOT_ENOMEM;
        iv->v = p;
        iv->cap = cap;
    }
    iv->v[iv->n++] = *x;
    return 0;
}

/* Fills start/end/all-day fields of an occurrence from a start value and a span. */
static void place(const struct cal_feed *f, struct cal_zcache *zc, const struct cal_ev *span,
                  int64_t wall, int64_t utc, bool is_date, icaltimezone *tz, struct cal_occ *o)
{
    o->all_day = is_date;
    if (is_date) {
        o->day = fdiv(wall, DAY);
        o->start = cal_zc_wall_to_utc(zc, f->floatz, o->day * DAY);
        o->end =
            cal_zc_wall_to_utc(zc, f->floatz, (o->day + span->dur_days) * DAY) + span->dur_secs;
        return;
    }
    o->start = utc;
    o->end = span->dur_days
                 ? cal_zc_wall_to_utc(zc, tz, wall + span->dur_days * DAY) + span->dur_secs
                 : utc + span->dur_secs;
}

static bool in_window(const struct cal_occ *o, int64_t from, int64_t to)
{
    int64_t key = o->all_day ? o->day * DAY : o->start;
    return key >= from && key < to;
}

static void set_props(struct cal_occ *o, const struct cal_ev *e)
{
    o->uid = e->uid;
    o->summary = e->summary;
    o->location = e->location;
    o->url = e->url;
    o->description = e->description;
    o->cancelled = e->cancelled;
    o->src = e;
}

static bool bsearch_i64(const int64_t *a, int n, int64_t key)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] == key)
            return true;
        if (a[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static int cmp_inst(const void *a, const void *b)
{
    const struct inst *x = a, *y = b;
    return (x->utc > y->utc) - (x->utc < y->utc);
}

/* Instances of RRULEs, RDATEs and DTSTART with UTC start in [lo, hi), sorted, unique. */
static int instances(const struct cal_feed *f, const struct cal_ev *m, int64_t lo, int64_t hi,
                     struct instv *iv, struct occv *out)
{
    long *steps = &out->steps;
    struct cal_zcache *zc = out->zc;
    const struct cal_tval *s = &m->start;
    icaltimezone *tz = s->is_date ? f->floatz : s->tz;
    int rc = 0;
    if (m->nrules == 0 && m->start_utc >= lo && m->start_utc < hi)
        rc = inst_push(iv, &(struct inst){s->wall, m->start_utc, 0, false});
    /* every instance of a rule starts at or after DTSTART: a series that begins after
     * the window (year 4048, say) is not walked at all (libical + ICU took 40 ms to
     * find nothing) */
    bool after = s->wall - CAL_OFF_BOUND - DAY >= hi;
    for (int i = 0; i < m->nrules && !rc && !after; i++) {
        struct cal_rr *r = cal_rr_new(&m->rules[i], s, lo - 2 * DAY, hi + 2 * DAY + CAL_OFF_BOUND);
        if (!r)
            return BOT_ENOMEM;
        int64_t w;
        while (!rc && cal_rr_next(r, &w)) {
            if (w + CAL_OFF_BOUND < lo)
                continue; /* before the window in UTC whatever the offset */
            int64_t u = cal_zc_wall_to_utc(zc, tz, w);
            if (u >= hi)
                break;
            if (u >= lo)
                rc = inst_push(iv, &(struct inst){w, u, 0, false});
        }
        *steps += cal_rr_steps(r);
        cal_rr_free(r);
        if (*steps > out->max_steps)
            return BOT_ETOOBIG; /* a hostile or absurd feed must not stall the loop */
    }
    for (int i = 0; i < m->nrdates && !rc; i++) {
        const struct cal_rdate *d = &m->rdates[i];
        struct inst x = {0, 0, d->end_utc, d->has_end};
        int64_t day = fdiv(d->start.wall, DAY);
        if (s->is_date) { /* all-day series: the RDATE's own calendar date */
            x.wall = day * DAY;
            x.utc = cal_zc_wall_to_utc(zc, tz, x.wall);
        } else if (d->start.is_date) { /* a date RDATE on a timed series: DTSTART's time */
            x.wall = day * DAY + (s->wall - fdiv(s->wall, DAY) * DAY);
            x.utc = cal_zc_wall_to_utc(zc, tz, x.wall);
        } else { /* its own TZID (libical 3.0.16 ignores it) */
            x.utc = cal_zc_wall_to_utc(zc, d->start.tz, d->start.wall);
            x.wall = x.utc + cal_zc_offset(zc, tz, x.utc);
        }
        if (x.utc >= lo && x.utc < hi)
            rc = inst_push(iv, &x);
    }
    if (rc)
        return rc;
    if (iv->n > 1)
        qsort(iv->v, iv->n, sizeof(struct inst), cmp_inst);
    size_t k = 0;
    for (size_t i = 0; i < iv->n; i++)
        if (k == 0 || iv->v[k - 1].utc != iv->v[i].utc) /* RDATE == RRULE instance */
            iv->v[k++] = iv->v[i];
    iv->n = k;
    return 0;
}

/* Overrides of one UID: [*lo, *hi) in f->ovr. */
static void ovr_range(const struct cal_feed *f, const char *uid, size_t *lo, size_t *hi)
{
    size_t a = 0, b = f->novr;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(f->ev[f->ovr[mid]].uid, uid) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (b < f->novr && strcmp(f->ev[f->ovr[b]].uid, uid) == 0)
        b++;
    *hi = a > b ? a : b;
}

/* RECURRENCE-ID vs. an instance: by date when either side is a DATE (Outlook writes
 * RECURRENCE-ID;TZID=...:T000000 for all-day series), else by UTC instant. */
static int rid_cmp(const struct cal_ev *o, const struct inst *x, bool master_date)
{
    if (o->rid.is_date || master_date) {
        int64_t a = fdiv(o->rid.wall, DAY), b = fdiv(x->wall, DAY);
        return (a > b) - (a < b);
    }
    return (o->rid_utc > x->utc) - (o->rid_utc < x->utc);
}

static int emit_instance(const struct cal_feed *f, const struct cal_ev *m, const struct inst *x,
                         size_t olo, size_t ohi, int64_t from, int64_t to, struct occv *out)
{
    const struct cal_ev *fut = NULL;
    for (size_t j = olo; j < ohi; j++) {
        const struct cal_ev *o = &f->ev[f->ovr[j]];
        int c = rid_cmp(o, x, m->start.is_date);
        if (c == 0)
            return 0; /* replaced: the override VEVENT is emitted on its own */
        if (o->rid_future && c < 0 && (!fut || fut->rid_utc < o->rid_utc))
            fut = o;
    }
    if (bsearch_i64(m->ex_utc, m->nex_utc, x->utc) ||
        bsearch_i64(m->ex_day, m->nex_day, fdiv(x->wall, DAY)))
        return 0;
    struct cal_occ o = {0};
    const struct cal_ev *p = fut ? fut : m;
    icaltimezone *tz = m->start.is_date ? f->floatz : m->start.tz;
    int64_t shift = fut ? fut->start_utc - fut->rid_utc : 0;
    set_props(&o, p);
    o.cancelled = p->cancelled || m->cancelled;
    if (fut && fut->start.is_date == m->start.is_date) {
        int64_t sw = m->start.is_date
                         ? (fdiv(fut->start.wall, DAY) - fdiv(fut->rid.wall, DAY)) * DAY
                         : shift;
        place(f, out->zc, p, x->wall + sw, x->utc + shift, m->start.is_date, tz, &o);
    } else {
        place(f, out->zc, m, x->wall, x->utc, m->start.is_date, tz, &o);
        if (x->has_end)
            o.end = x->end_utc;
    }
    o.orig_start = m->start.is_date
                       ? cal_zc_wall_to_utc(out->zc, f->floatz, fdiv(x->wall, DAY) * DAY)
                       : x->utc;
    o.orig_day = fdiv(x->wall, DAY);
    if (!in_window(&o, from, to))
        return 0;
    return occ_push(out, &o);
}

static int expand_master(const struct cal_feed *f, const struct cal_ev *m, int64_t from, int64_t to,
                         struct occv *out)
{
    size_t olo, ohi;
    ovr_range(f, m->uid, &olo, &ohi);
    int64_t ext = 2 * DAY;
    for (size_t j = olo; j < ohi; j++) {
        const struct cal_ev *o = &f->ev[f->ovr[j]];
        int64_t d = o->start_utc - o->rid_utc;
        d = d < 0 ? -d : d;
        if (o->rid_future && d + 2 * DAY > ext)
            ext = d + 2 * DAY;
    }
    if (m->nrules == 0 && m->nrdates == 0 &&
        (m->start_utc < from - ext || m->start_utc >= to + ext))
        return 0;
    struct instv iv = {0};
    int rc = instances(f, m, from - ext, to + ext, &iv, out);
    for (size_t i = 0; i < iv.n && !rc; i++)
        rc = emit_instance(f, m, &iv.v[i], olo, ohi, from, to, out);
    free(iv.v);
    return rc;
}

static int emit_override(const struct cal_feed *f, const struct cal_ev *o, int64_t from, int64_t to,
                         struct occv *out)
{
    struct cal_occ c = {0};
    set_props(&c, o);
    place(f, out->zc, o, o->start.wall, o->start_utc, o->start.is_date, o->start.tz, &c);
    c.orig_start = o->rid.is_date
                       ? cal_zc_wall_to_utc(out->zc, f->floatz, fdiv(o->rid.wall, DAY) * DAY)
                       : o->rid_utc;
    c.orig_day = fdiv(o->rid.wall, DAY);
    if (!in_window(&c, from, to))
        return 0;
    return occ_push(out, &c);
}

struct okey {
    int64_t key, orig;
    const char *uid;
    size_t idx;
};

/* Total order: start key, UID, original start, then emission order (so the result
 * equals a stable sort on the first three). */
static bool okey_less(const struct okey *x, const struct okey *y)
{
    if (x->key != y->key)
        return x->key < y->key;
    int c = x->uid == y->uid ? 0 : strcmp(x->uid, y->uid);
    if (c)
        return c < 0;
    if (x->orig != y->orig)
        return x->orig < y->orig;
    return x->idx < y->idx;
}

/* Merges the ascending runs [a, m) and [m, b) of src into dst. */
static void merge_runs(const struct okey *src, struct okey *dst, size_t a, size_t m, size_t b)
{
    size_t i = a, j = m, k = a;
    while (i < m && j < b)
        dst[k++] = okey_less(&src[j], &src[i]) ? src[j++] : src[i++];
    while (i < m)
        dst[k++] = src[i++];
    while (j < b)
        dst[k++] = src[j++];
}

/* Natural merge sort: each master emits an ascending run, so few passes are needed.
 * Returns the buffer (k or tmp) that holds the sorted keys. */
static struct okey *sort_keys(struct okey *k, struct okey *tmp, size_t n)
{
    for (;;) {
        size_t a = 0, runs = 0;
        while (a < n) {
            size_t m = a + 1;
            while (m < n && !okey_less(&k[m], &k[m - 1]))
                m++;
            size_t b = m < n ? m + 1 : n;
            while (b < n && !okey_less(&k[b], &k[b - 1]))
                b++;
            merge_runs(k, tmp, a, m, b);
            runs++;
            a = b;
        }
        struct okey *t = k;
        k = tmp;
        tmp = t;
        if (runs <= 1)
            return k;
    }
}

static int64_t occ_key(const struct cal_occ *o)
{
    return o->all_day ? o->day * DAY : o->start;
}

/* Position i takes record idx[i] (a permutation), in place: no second big buffer. */
static void permute(struct cal_occ *v, size_t n, size_t (*idx_at)(void *, size_t),
                    void (*idx_set)(void *, size_t, size_t), void *k)
{
    for (size_t i = 0; i < n; i++) {
        if (idx_at(k, i) == i)
            continue;
        struct cal_occ tmp = v[i];
        size_t j = i;
        while (idx_at(k, j) != i) {
            size_t next = idx_at(k, j);
            v[j] = v[next];
            idx_set(k, j, j);
            j = next;
        }
        v[j] = tmp;
        idx_set(k, j, j);
    }
}

static size_t okey_at(void *k, size_t i)
{
    return ((struct okey *)k)[i].idx;
}
static void okey_set(void *k, size_t i, size_t idx)
{
    ((struct okey *)k)[i].idx = idx;
}
static size_t packed_at(void *k, size_t i)
{
    return (uint32_t)((uint64_t *)k)[i];
}
static void packed_set(void *k, size_t i, size_t idx)
{
    uint64_t *p = k;
    p[i] = (p[i] & ~(uint64_t)UINT32_MAX) | idx;
}

/* Packed (key - min) << 32 | idx: ties of one key are ordered by UID, original start
 * and idx (a top-down merge sort; the runs are short in practice). */
static bool packed_less(const struct cal_occ *v, uint64_t a, uint64_t b)
{
    const struct cal_occ *x = &v[(uint32_t)a], *y = &v[(uint32_t)b];
    int c = x->uid == y->uid ? 0 : strcmp(x->uid, y->uid);
    if (c)
        return c < 0;
    if (x->orig_start != y->orig_start)
        return x->orig_start < y->orig_start;
    return (uint32_t)a < (uint32_t)b;
}

static void tie_sort(const struct cal_occ *v, uint64_t *a, uint64_t *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t m = n / 2, i = 0, j = m, k = 0;
    tie_sort(v, a, tmp, m);
    tie_sort(v, a + m, tmp, n - m);
    while (i < m && j < n)
        tmp[k++] = packed_less(v, a[j], a[i]) ? a[j++] : a[i++];
    while (i < m)
        tmp[k++] = a[i++];
    memcpy(a, tmp, k * sizeof(*a)); /* a[j..n) is already in place */
}

/* LSD radix sort on the high 32 bits (stable, so idx order holds within a key). */
static void sort_packed(const struct cal_occ *v, uint64_t *k, uint64_t *tmp, size_t n)
{
    for (int shift = 32; shift < 64; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[((k[i] >> shift) & 255) + 1]++;
        if (cnt[((k[0] >> shift) & 255) + 1] == n)
            continue; /* one digit value: nothing moves */
        for (int d = 0; d < 256; d++)
            cnt[d + 1] += cnt[d];
        for (size_t i = 0; i < n; i++)
            tmp[cnt[(k[i] >> shift) & 255]++] = k[i];
        memcpy(k, tmp, n * sizeof(*k));
    }
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && k[b] >> 32 == k[a] >> 32;)
            b++;
        tie_sort(v, k + a, tmp, b - a);
    }
}

/* Sorts by start (all-day: date at 00:00Z), UID, original start, emission order:
 * 8-byte packed keys when the keys span < 2^32 s, else 32-byte keys. */
static int sort_occ(struct occv *v)
{
    if (v->n < 2)
        return 0;
    int64_t lo = occ_key(&v->v[0]), hi = lo;
    for (size_t i = 1; i < v->n; i++) {
        int64_t key = occ_key(&v->v[i]);
        lo = key < lo ? key : lo;
        hi = key > hi ? key : hi;
    }
    if ((uint64_t)(hi - lo) <= UINT32_MAX && v->n <= UINT32_MAX) {
        uint64_t *k = malloc(2 * v->n * sizeof(*k));
        if (!k)
            return BOT_ENOMEM;
        for (size_t i = 0; i < v->n; i++)
            k[i] = (uint64_t)(occ_key(&v->v[i]) - lo) << 32 | i;
        sort_packed(v->v, k, k + v->n, v->n);
        permute(v->v, v->n, packed_at, packed_set, k);
        free(k);
        return 0;
    }
    struct okey *buf = malloc(2 * v->n * sizeof(*buf));
    if (!buf)
        return BOT_ENOMEM;
    for (size_t i = 0; i < v->n; i++) {
        const struct cal_occ *o = &v->v[i];
        buf[i] = (struct okey){occ_key(o), o->orig_start, o->uid, i};
    }
    permute(v->v, v->n, okey_at, okey_set, sort_keys(buf, buf + v->n, v->n));
    free(buf);
    return 0;
}

/* Rule steps allowed for a budget of max_occ occurrences (libical steps count 10). */
static long steps_for(size_t max_occ)
{
    long s = (long)(max_occ < 100000000 ? max_occ : 100000000) * 10;
    return s > 200000 ? s : 200000;
}

int cal_expand(const struct cal_feed *f, int64_t from, int64_t to, struct cal_occ **out, size_t *n)
{
    return cal_expand_max(f, from, to, CAL_MAX_OCC, out, n);
}

int cal_expand_max(const struct cal_feed *f, int64_t from, int64_t to, size_t max_occ,
                   struct cal_occ **out, size_t *n)
{
    struct cal_zcache zc; /* ~13 KB; tables built lazily per zone */
    cal_zc_init(&zc, from - 8 * DAY, to + 8 * DAY);
    struct occv v = {.zc = &zc, .max_occ = max_occ, .max_steps = steps_for(max_occ)};
    int rc = 0;
    for (size_t i = 0; i < f->nmasters && !rc; i++)
        rc = expand_master(f, &f->ev[f->masters[i]], from, to, &v);
    for (size_t i = 0; i < f->novr && !rc; i++)
        rc = emit_override(f, &f->ev[f->ovr[i]], from, to, &v);
    if (!rc)
        rc = sort_occ(&v);
    if (rc) {
        free(v.v);
        *out = NULL;
        *n = 0;
        return rc;
    }
    *out = v.v;
    *n = v.n;
    return 0;
}

/* ---- reminders ---- */

struct remv {
    struct cal_reminder *v;
    size_t n, cap, max;
};

static int rem_push(struct remv *r, int64_t fire, const struct cal_occ *o, int64_t from, int64_t to)
{
    if (fire < from || fire >= to)
        return 0;
    if (r->n >= r->max)
        return BOT_ETOOBIG;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct cal_reminder *p = realloc(r->v, cap * sizeof(*p));
        if (!p)
            return BOT_ENOMEM;
        r->v = p;
        r->cap = cap;
    }
    r->v[r->n].fire = fire;
    r->v[r->n++].occ = *o;
    return 0;
}

static int occ_reminders(const struct cal_occ *o, const int *lead, size_t nlead, int64_t from,
                         int64_t to, struct remv *r)
{
    const struct cal_ev *e = o->src;
    int rc = 0;
    if (e->nalarms == 0) {
        for (size_t i = 0; i < nlead && !rc; i++)
            rc = rem_push(r, o->start - (int64_t)lead[i] * 60, o, from, to);
        return rc;
    }
    for (int i = 0; i < e->nalarms && !rc; i++) {
        const struct cal_alarm *a = &e->alarms[i];
        int64_t base;
        if (a->kind == ALARM_ABS) {
            /* an absolute trigger belongs to the event's own (first) instance */
            bool own = e->has_rid || o->orig_start == e->start_utc ||
                       (e->start.is_date && o->orig_day == e->start.wall / DAY);
            if (!own)
                continue;
            base = a->off;
        } else {
            base = (a->kind == ALARM_END ? o->end : o->start) + a->off;
        }
        for (int k = 0; k <= a->repeat && !rc; k++)
            rc = rem_push(r, base + (int64_t)k * a->every, o, from, to);
    }
    return rc;
}

/* Fire, start, UID; then the occurrence's identity (original start, source event),
 * so the same lead reached twice for one occurrence sorts next to itself. */
static int cmp_rem(const void *a, const void *b)
{
    const struct cal_reminder *x = a, *y = b;
    if (x->fire != y->fire)
        return x->fire < y->fire ? -1 : 1;
    if (x->occ.start != y->occ.start)
        return x->occ.start < y->occ.start ? -1 : 1;
    int c = strcmp(x->occ.uid, y->occ.uid);
    if (c)
        return c;
    if (x->occ.orig_start != y->occ.orig_start)
        return x->occ.orig_start < y->occ.orig_start ? -1 : 1;
    uintptr_t p = (uintptr_t)x->occ.src, q = (uintptr_t)y->occ.src;
    return p < q ? -1 : p > q;
}

/* Sorts and drops repeats (one occurrence, one fire time): O(n log n). */
static void rem_sort_unique(struct remv *r)
{
    if (r->n < 2)
        return;
    qsort(r->v, r->n, sizeof(*r->v), cmp_rem);
    size_t k = 1;
    for (size_t i = 1; i < r->n; i++) {
        const struct cal_reminder *a = &r->v[k - 1], *b = &r->v[i];
        if (a->fire == b->fire && a->occ.src == b->occ.src &&
            a->occ.orig_start == b->occ.orig_start)
            continue; /* the same lead twice */
        r->v[k++] = *b;
    }
    r->n = k;
}

int cal_reminders(const struct cal_feed *f, int64_t from, int64_t to, const int *lead_min,
                  size_t nlead, struct cal_reminder **out, size_t *n)
{
    return cal_reminders_max(f, from, to, lead_min, nlead, CAL_MAX_OCC, out, n);
}

int cal_reminders_max(const struct cal_feed *f, int64_t from, int64_t to, const int *lead_min,
                      size_t nlead, size_t max_occ, struct cal_reminder **out, size_t *n)
{
    int64_t ahead = f->max_ahead;
    for (size_t i = 0; i < nlead; i++)
        if ((int64_t)lead_min[i] * 60 > ahead)
            ahead = (int64_t)lead_min[i] * 60;
    int64_t lag = f->max_lag;
    for (size_t i = 0; i < nlead; i++)
        if (-(int64_t)lead_min[i] * 60 > lag)
            lag = -(int64_t)lead_min[i] * 60;
    struct cal_occ *occ = NULL;
    size_t no = 0;
    struct remv r = {.max = 2 * max_occ};
    *out = NULL;
    *n = 0;
    int rc = cal_expand_max(f, from - lag - 2 * DAY, to + ahead + 2 * DAY, max_occ, &occ, &no);
    for (size_t i = 0; i < no && !rc; i++)
        if (!occ[i].cancelled)
            rc = occ_reminders(&occ[i], lead_min, nlead, from, to, &r);
    free(occ);
    if (rc) {
        free(r.v);
        return rc;
    }
    rem_sort_unique(&r);
    *out = r.v;
    *n = r.n;
    return 0;
}

bool cal_reminder_due(const struct cal_reminder *r, int64_t now)
{
    return !r->occ.cancelled && r->fire <= now && now < r->occ.start;
}

static void civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
    int64_t day = fdiv(t, DAY), sec = t - day * DAY;
    tz_civil_from_days(day, y, mo, d);
    *h = (int)(sec / 3600);
    *mi = (int)(sec % 3600 / 60);
    *s = (int)(sec % 60);
}

void cal_format_utc(int64_t t, char out[32])
{
    int y, mo, d, h, mi, s;
    civil(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
}

void cal_format_start(const struct cal_occ *o, char out[32])
{
    if (!o->all_day) {
        cal_format_utc(o->start, out);
        return;
    }
    int y, mo, d;
    tz_civil_from_days(o->day, &y, &mo, &d);
    snprintf(out, 32, "%04d-%02d-%02d", y, mo, d);
}

int cal_occ_key(const struct cal_occ *o, int64_t fire, char *out, size_t cap)
{
    int y, mo, d, h, mi, s, fy, fmo, fd, fh, fmi, fs;
    char orig[24];
    civil(fire, &fy, &fmo, &fd, &fh, &fmi, &fs);
    if (o->all_day) {
        tz_civil_from_days(o->orig_day, &y, &mo, &d);
        snprintf(orig, sizeof(orig), "%04d%02d%02d", y, mo, d);
    } else {
        civil(o->orig_start, &y, &mo, &d, &h, &mi, &s);
        snprintf(orig, sizeof(orig), "%04d%02d%02dT%02d%02d%02dZ", y, mo, d, h, mi, s);
    }
    int n = snprintf(out, cap, "%s/%s/%04d%02d%02dT%02d%02d%02dZ", o->uid, orig, fy, fmo, fd, fh,
                     fmi, fs);
    if (n < 0 || (size_t)n >= cap) {
        if (cap)
            out[0] = '\0';
        return BOT_ETOOBIG;
    }
    return 0;
}
