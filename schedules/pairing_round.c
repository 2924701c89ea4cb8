/* pairing_round.c - the round schedule, the inputs JSON (collected from the store,
 * parsed back into a pair_input), the result JSON, and running/storing/re-running a
 * round (see pairing_round.h). A fresh run and a re-run share one path: the inputs
 * are always built as JSON first and matched from that JSON. Loop thread. */
#include "schedules/pairing_round.h"
#include "bot/log.h"
#include "bot/tz.h"
#include "config/curriculum.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int pairing_every_days(const struct curriculum *cur)
{
    int d = cur ? cur->mentorship.every_days : 0;
    return d >= 1 && d <= 366 ? d : 14;
}

int pairing_round_count(const struct curriculum *cur)
{
    int every = pairing_every_days(cur), days = cur ? (int)cur->n_days : 0;
    return days >= 1 ? (days - 1) / every + 1 : 0;
}

int pairing_round_time(const struct cohort *co, const struct curriculum *cur, int weekday,
                       const char *hhmm, int k, int64_t *out)
{
    int y, m, d, h, mi;
    if (k < 1 || k > 1000 || weekday < 1 || weekday > 7 ||
        tz_parse_date(co->start_date, &y, &m, &d) || tz_parse_hhmm(hhmm, &h, &mi))
        return BOT_EINVAL;
    int64_t day0 = tz_days_from_civil(y, m, d) + (int64_t)(k - 1) * pairing_every_days(cur);
    /* 1970-01-01 was a Thursday: ISO weekday (Mon 1 .. Sun 7) = (days + 3) % 7 + 1 */
    int64_t wd = ((day0 % 7) + 7 + 3) % 7 + 1;
    day0 += (weekday - wd + 7) % 7;
    struct civil l = {.hour = h, .minute = mi};
    tz_civil_from_days(day0, &l.year, &l.month, &l.day);
    return tz_to_utc(co->timezone, &l, out);
}

int pairing_period_at(const struct cohort *co, const struct curriculum *cur, int64_t now)
{
    int day;
    if (cohort_day_at(co->start_date, co->timezone, now, &day) || day < 1)
        return 0;
    return (day - 1) / pairing_every_days(cur) + 1;
}

uint64_t pairing_seed(const char *guild_id, int round_no)
{
    char key[64];
    snprintf(key, sizeof(key), "%s/%d", guild_id, round_no);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * UINT64_C(0x100000001b3);
    return h;
}

void pairing_key_prefix(const char *guild_id, int round_no, char *out, size_t outlen)
{
    snprintf(out, outlen, "pair/%s/%d/", guild_id, round_no);
}

/* ---- collecting inputs ---- */

/* The zone of a member: their own choice, else /timezone, else the cohort's. */
static const char *member_zone(struct store *st, const struct cohort *co, const char *own,
                               const char *user, char *buf, size_t len)
{
    if (own[0] && tz_valid(own))
        return own;
    if (store_pair_member_zone(st, co->guild_id, user, buf, len) == 0 && buf[0] && tz_valid(buf))
        return buf;
    return co->timezone;
}

static json_t *track_list(const struct curriculum *cur, const char *csv)
{
    json_t *a = json_array();
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", csv);
    for (char *t = copy, *end; a && *t; t = end) {
        end = t + strcspn(t, ",");
        if (*end)
            *end++ = '\0';
        while (*t == ' ')
            t++;
        for (size_t i = 0; i < cur->mentorship.n_tracks; i++)
            if (strcasecmp(cur->mentorship.tracks[i].slug, t) == 0)
                json_array_append_new(a, json_string(cur->mentorship.tracks[i].slug));
    }
    return a;
}

static int add_mentors(struct store *st, const struct cohort *co, const struct curriculum *cur,
                       int64_t slot_from, const char *today, json_t *arr)
{
    struct store_mentor *ms;
    size_t n;
    int rc = store_mentors_active(st, co->id, today, &ms, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        char zb[64];
        const char *zone = member_zone(st, co, ms[i].timezone, ms[i].user_id, zb, sizeof(zb));
        json_t *tracks = track_list(cur, ms[i].tracks);
        if (!tracks || json_array_size(tracks) == 0) {
            log_warn("pairing", "mentor left out: no known track user=%s tracks=%s", ms[i].user_id,
                     ms[i].tracks);
            json_decref(tracks);
            continue;
        }
        if (json_array_append_new(arr,
                                  json_pack("{s:s,s:o,s:i,s:s,s:i}", "id", ms[i].user_id, "tracks",
                                            tracks, "capacity", ms[i].capacity, "zone", zone,
                                            "offset_min", tz_offset(zone, slot_from) / 60)))
            rc = BOT_ENOMEM;
    }
    free(ms);
    return rc;
}

static int add_mentees(struct store *st, const struct cohort *co, const struct curriculum *cur,
                       int64_t slot_from, json_t *arr)
{
    struct store_mentee *ms;
    size_t n;
    int rc = store_mentees_active(st, co->id, &ms, &n);
    for (size_t i = 0; !rc && i < n; i++) {
        char zb[64];
        const char *zone = member_zone(st, co, ms[i].timezone, ms[i].user_id, zb, sizeof(zb));
        const struct cur_track *t =
            ms[i].interest[0] ? curriculum_track(cur, ms[i].interest) : NULL;
        if (json_array_append_new(arr,
                                  json_pack("{s:s,s:o,s:s,s:i}", "id", ms[i].user_id, "interest",
                                            t ? json_string(t->slug) : json_null(), "zone", zone,
                                            "offset_min", tz_offset(zone, slot_from) / 60)))
            rc = BOT_ENOMEM;
    }
    free(ms);
    return rc;
}

static int add_history(struct store *st, const struct cohort *co, int round_no, json_t *arr)
{
    struct store_pair *ps;
    size_t n;
    int rc = store_pairs_history(st, co->id, round_no, &ps, &n);
    for (size_t i = 0; !rc && i < n; i++)
        if (json_array_append_new(arr,
                                  json_pack("{s:s,s:s,s:i}", "mentor", ps[i].mentor_id, "mentee",
                                            ps[i].mentee_id, "round", ps[i].round_no)))
            rc = BOT_ENOMEM;
    free(ps);
    return rc;
}

int pairing_collect(struct store *st, const struct cohort *co, const struct curriculum *cur,
                    int round_no, int64_t now, json_t **out)
{
    char seed[20], today[11];
    struct civil l;
    if (tz_from_utc(co->timezone, now, &l))
        return BOT_EINVAL;
    snprintf(today, sizeof(today), "%04d-%02d-%02d", l.year, l.month, l.day);
    snprintf(seed, sizeof(seed), "%016" PRIx64, pairing_seed(co->guild_id, round_no));
    json_t *tracks = json_array(), *mentors = json_array(), *mentees = json_array();
    json_t *hist = json_array();
    for (size_t i = 0; tracks && i < cur->mentorship.n_tracks; i++)
        json_array_append_new(tracks, json_string(cur->mentorship.tracks[i].slug));
    /* slots are suggested from an hour after the round runs */
    int64_t slot_from = now + 3600;
    json_t *root = json_pack("{s:i,s:s,s:I,s:o,s:o,s:o,s:o}", "round", round_no, "seed", seed,
                             "slot_from", (json_int_t)slot_from, "tracks", tracks, "mentors",
                             mentors, "mentees", mentees, "history", hist);
    if (!root)
        return BOT_ENOMEM;
    int rc = add_mentors(st, co, cur, slot_from, today, mentors);
    if (!rc)
        rc = add_mentees(st, co, cur, slot_from, mentees);
    if (!rc)
        rc = add_history(st, co, round_no, hist);
    if (rc) {
        json_decref(root);
        return rc;
    }
    *out = root;
    return 0;
}

/* ---- parsing inputs ---- */

static int track_index(const struct pairing_inputs *pi, const char *slug)
{
    for (size_t i = 0; slug && i < pi->in.n_tracks; i++)
        if (strcmp(pi->tracks[i], slug) == 0)
            return (int)i;
    return -1;
}

static int bad(char err[BOT_ERR_LEN], const char *what, size_t i)
{
    if (err)
        snprintf(err, BOT_ERR_LEN, "pairing inputs: %s (item %zu)", what, i);
    return BOT_EINVAL;
}

static int parse_mentors(struct pairing_inputs *pi, json_t *arr, char err[BOT_ERR_LEN])
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        struct pair_mentor *m = &pi->mentors[i];
        json_t *tr = json_object_get(v, "tracks"), *t;
        json_int_t cap = json_integer_value(json_object_get(v, "capacity"));
        json_int_t off = json_integer_value(json_object_get(v, "offset_min"));
        m->id = json_string_value(json_object_get(v, "id"));
        if (!m->id || !json_is_array(tr) || cap < 1 || cap > 5 || off < -840 || off > 840)
            return bad(err, "mentor needs id, tracks, capacity 1-5, offset_min", i);
        m->capacity = (int)cap;
        m->win.utc_offset_min = (int)off;
        size_t j;
        json_array_foreach(tr, j, t)
        {
            int k = track_index(pi, json_string_value(t));
            if (k < 0)
                return bad(err, "mentor track not in tracks", i);
            m->tracks |= UINT64_C(1) << k;
        }
    }
    return 0;
}

static int parse_mentees(struct pairing_inputs *pi, json_t *arr, char err[BOT_ERR_LEN])
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        struct pair_mentee *m = &pi->mentees[i];
        json_t *interest = json_object_get(v, "interest");
        json_int_t off = json_integer_value(json_object_get(v, "offset_min"));
        m->id = json_string_value(json_object_get(v, "id"));
        if (!m->id || off < -840 || off > 840)
            return bad(err, "mentee needs id and offset_min", i);
        m->win.utc_offset_min = (int)off;
        m->interest = -1;
        if (json_is_string(interest) &&
            (m->interest = track_index(pi, json_string_value(interest))) < 0)
            return bad(err, "mentee interest not in tracks", i);
    }
    return 0;
}

static int parse_history(struct pairing_inputs *pi, json_t *arr, char err[BOT_ERR_LEN])
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        struct pair_history *h = &pi->history[i];
        h->mentor_id = json_string_value(json_object_get(v, "mentor"));
        h->mentee_id = json_string_value(json_object_get(v, "mentee"));
        json_int_t r = json_integer_value(json_object_get(v, "round"));
        if (!h->mentor_id || !h->mentee_id || r < 1 || r >= pi->in.round)
            return bad(err, "history needs mentor, mentee and an earlier round", i);
        h->round = (int)r;
    }
    return 0;
}

static int parse_head(struct pairing_inputs *pi, json_t *root, char err[BOT_ERR_LEN])
{
    json_t *tracks = json_object_get(root, "tracks"), *t;
    const char *seed = json_string_value(json_object_get(root, "seed"));
    json_int_t round = json_integer_value(json_object_get(root, "round"));
    char *end = NULL;
    if (!json_is_array(tracks) || json_array_size(tracks) > PAIR_MAX_TRACKS || !seed || round < 1 ||
        round > 100000 || !json_is_integer(json_object_get(root, "slot_from")))
        return bad(err, "needs round, seed, slot_from and at most 64 tracks", 0);
    pi->in.seed = strtoull(seed, &end, 16);
    if (!*seed || *end)
        return bad(err, "seed must be hex", 0);
    pi->in.round = (int)round;
    pi->in.slot_from = json_integer_value(json_object_get(root, "slot_from"));
    pi->in.n_tracks = json_array_size(tracks);
    pi->tracks = calloc(pi->in.n_tracks + 1, sizeof(*pi->tracks));
    if (!pi->tracks)
        return BOT_ENOMEM;
    size_t i;
    json_array_foreach(tracks, i, t)
    {
        if (!(pi->tracks[i] = json_string_value(t)))
            return bad(err, "track names must be strings", i);
    }
    pi->in.tracks = pi->tracks;
    return 0;
}

int pairing_inputs_parse(json_t *root, struct pairing_inputs *pi, char err[BOT_ERR_LEN])
{
    memset(pi, 0, sizeof(*pi));
    if (!json_is_object(root))
        return bad(err, "not a JSON object", 0);
    pi->root = json_incref(root);
    json_t *ms = json_object_get(root, "mentors"), *es = json_object_get(root, "mentees");
    json_t *hs = json_object_get(root, "history");
    int rc = parse_head(pi, root, err);
    if (!rc && (!json_is_array(ms) || !json_is_array(es) || !json_is_array(hs) ||
                json_array_size(ms) > PAIR_MAX_PEOPLE || json_array_size(es) > PAIR_MAX_PEOPLE ||
                json_array_size(hs) > PAIR_MAX_HISTORY))
        rc = bad(err, "mentors, mentees and history must be arrays within limits", 0);
    if (!rc) {
        pi->mentors = calloc(json_array_size(ms) + 1, sizeof(*pi->mentors));
        pi->mentees = calloc(json_array_size(es) + 1, sizeof(*pi->mentees));
        pi->history = calloc(json_array_size(hs) + 1, sizeof(*pi->history));
        if (!pi->mentors || !pi->mentees || !pi->history)
            rc = BOT_ENOMEM;
    }
    if (!rc)
        rc = parse_mentors(pi, ms, err);
    if (!rc)
        rc = parse_mentees(pi, es, err);
    if (!rc)
        rc = parse_history(pi, hs, err);
    if (rc) {
        pairing_inputs_free(pi);
        return rc;
    }
    pi->in.mentors = pi->mentors;
    pi->in.n_mentors = json_array_size(ms);
    pi->in.mentees = pi->mentees;
    pi->in.n_mentees = json_array_size(es);
    pi->in.history = pi->history;
    pi->in.n_history = json_array_size(hs);
    return 0;
}

void pairing_inputs_free(struct pairing_inputs *pi)
{
    if (!pi)
        return;
    free(pi->tracks);
    free(pi->mentors);
    free(pi->mentees);
    free(pi->history);
    json_decref(pi->root);
    memset(pi, 0, sizeof(*pi));
}

json_t *pairing_result_json(const struct pairing_inputs *pi, const struct pair_result *r)
{
    json_t *pairs = json_array(), *unm = json_array();
    json_t *root =
        json_pack("{s:i,s:I,s:I,s:I,s:o,s:o}", "round", pi->in.round, "matched",
                  (json_int_t)r->matched, "repeats", (json_int_t)r->repeats, "total_cost",
                  (json_int_t)r->total_cost, "unmatched", unm, "pairs", pairs);
    if (!root)
        return NULL;
    for (size_t i = 0; i < r->n_assign; i++) {
        const struct pair_assignment *a = &r->assign[i];
        if (json_array_append_new(pairs, json_pack("{s:s,s:s,s:I,s:b,s:i,s:I,s:b,s:s}", "mentor",
                                                   a->mentor_id, "mentee", a->mentee_id, "cost",
                                                   (json_int_t)a->cost, "repeat", a->repeat,
                                                   "last_met", a->last_met_round, "slot",
                                                   (json_int_t)a->slot.start, "in_overlap",
                                                   a->slot.in_overlap, "reason", a->reason))) {
            json_decref(root);
            return NULL;
        }
    }
    for (size_t i = 0; i < r->n_unmatched; i++)
        if (json_array_append_new(unm, json_string(pi->mentees[r->unmatched[i]].id))) {
            json_decref(root);
            return NULL;
        }
    return root;
}

/* ---- running ---- */

int pairing_next_round(struct store *st, const struct cohort *co, const struct curriculum *cur,
                       int64_t now, int *round_no)
{
    struct store_round last;
    int k = pairing_period_at(co, cur, now), latest = 0;
    int rc = store_round_latest(st, co->id, &last);
    if (rc && rc != BOT_ENOTFOUND)
        return rc;
    if (!rc)
        latest = last.round_no;
    k = k < 1 ? 1 : k;
    *round_no = k > latest ? k : latest + 1;
    return 0;
}

/* Pairs (and unmatched rows) of a result, for the store. *out malloc'ed. */
static int result_rows(const struct pairing_inputs *pi, const struct pair_result *r,
                       struct store_pair **out, size_t *n)
{
    *n = r->n_assign + r->n_unmatched;
    *out = calloc(*n + 1, sizeof(**out));
    if (!*out)
        return BOT_ENOMEM;
    for (size_t i = 0; i < r->n_assign; i++) {
        const struct pair_assignment *a = &r->assign[i];
        struct store_pair *p = &(*out)[i];
        snprintf(p->mentor_id, sizeof(p->mentor_id), "%s", a->mentor_id);
        snprintf(p->mentee_id, sizeof(p->mentee_id), "%s", a->mentee_id);
        snprintf(p->reason, sizeof(p->reason), "%s", a->reason);
        p->cost = a->cost;
        p->slot_at = a->slot.start;
        p->repeat = a->repeat;
    }
    for (size_t i = 0; i < r->n_unmatched; i++) {
        struct store_pair *p = &(*out)[r->n_assign + i];
        snprintf(p->mentee_id, sizeof(p->mentee_id), "%s", pi->mentees[r->unmatched[i]].id);
        snprintf(p->reason, sizeof(p->reason), "unmatched");
    }
    return 0;
}

static int store_result(struct store *st, struct pairing_run *out, char err[BOT_ERR_LEN])
{
    struct store_pair *rows = NULL;
    size_t n = 0;
    json_t *res = pairing_result_json(&out->pi, &out->res);
    char *inputs = json_dumps(out->pi.root, JSON_COMPACT | JSON_SORT_KEYS);
    char *result = res ? json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc = inputs && result ? result_rows(&out->pi, &out->res, &rows, &n) : BOT_ENOMEM;
    if (!rc)
        rc = store_round_insert(st, &out->round, inputs, result, rows, n);
    if (rc && err)
        snprintf(err, BOT_ERR_LEN, "round %d: %s", out->round.round_no,
                 rc == BOT_EBUSY ? "already ran" : bot_strerror(rc));
    free(rows);
    free(inputs);
    free(result);
    json_decref(res);
    return rc;
}

int pairing_run_round(struct store *st, const struct cohort *co, const struct curriculum *cur,
                      int round_no, int64_t now, bool manual, bool store_it,
                      struct pairing_run *out, char err[BOT_ERR_LEN])
{
    json_t *root = NULL;
    struct store_round old;
    memset(out, 0, sizeof(*out));
    if (store_round_by_no(st, co->id, round_no, &old) == 0) {
        if (err)
            snprintf(err, BOT_ERR_LEN, "round %d already ran", round_no);
        return BOT_EBUSY;
    }
    int rc = pairing_collect(st, co, cur, round_no, now, &root);
    if (!rc)
        rc = pairing_inputs_parse(root, &out->pi, err);
    json_decref(root);
    if (!rc)
        rc = pair_match(&out->pi.in, &out->res, err);
    out->round = (struct store_round){.cohort_id = co->id,
                                      .round_no = round_no,
                                      .seed = out->pi.in.seed,
                                      .run_at = now,
                                      .manual = manual};
    if (!rc && store_it)
        rc = store_result(st, out, err);
    if (rc)
        pairing_run_free(out);
    return rc;
}

void pairing_run_free(struct pairing_run *r)
{
    if (!r)
        return;
    pairing_inputs_free(&r->pi);
    pair_result_free(&r->res);
}

int pairing_rerun(struct store *st, int64_t round_id, bool *same, struct buf *csv,
                  char err[BOT_ERR_LEN])
{
    char *inputs, *result;
    struct pairing_inputs pi;
    struct pair_result res = {0};
    int rc = store_round_json(st, round_id, &inputs, &result);
    if (rc)
        return rc;
    json_error_t je;
    json_t *root = json_loads(inputs, 0, &je);
    rc = root ? pairing_inputs_parse(root, &pi, err) : BOT_ECORRUPT;
    json_decref(root);
    if (!rc) {
        rc = pair_match(&pi.in, &res, err);
        json_t *again = rc ? NULL : pairing_result_json(&pi, &res);
        char *text = again ? json_dumps(again, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        if (!rc && !text)
            rc = BOT_ENOMEM;
        *same = text && strcmp(text, result) == 0;
        if (!rc && csv)
            rc = pair_format_csv(&pi.in, &res, csv);
        free(text);
        json_decref(again);
        pair_result_free(&res);
        pairing_inputs_free(&pi);
    }
    free(inputs);
    free(result);
    return rc;
}
