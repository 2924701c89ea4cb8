/* review_round.c - collecting, solving, storing and re-running review rounds (see
 * review_round.h). The stored inputs are outside data on a re-run: validated, never
 * trusted to be well-formed. */
#include "schedules/review_round.h"
#include "bot/buf.h"
#include "bot/log.h"
#include "bot/store_project.h"
#include "schedules/review_assign.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t review_seed(const char *guild_id, int kind)
{
    char key[64];
    snprintf(key, sizeof(key), "%s/review/%d", guild_id, kind);
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * UINT64_C(0x100000001b3);
    return h;
}

static int add_reviewers(struct store *st, const struct cohort *co, int64_t now,
                         const struct store_proj_sub *subs, size_t n, json_t *arr)
{
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:b,s:i}", "id", subs[i].user_id, "mentor", 0,
                                             "capacity", RA_LEARNER_CAPACITY));
    char today[11];
    int day = 1;
    cohort_day_at(co->start_date, co->timezone, now, &day);
    if (cohort_date_of_day(co->start_date, day, today))
        snprintf(today, sizeof(today), "%s", co->start_date);
    struct store_mentor *m;
    size_t nm;
    int rc = store_mentors_active(st, co->id, today, &m, &nm);
    if (rc)
        return rc;
    for (size_t j = 0; j < nm; j++) {
        bool learner = false; /* a mentor who also submitted reviews as a learner */
        for (size_t i = 0; i < n && !learner; i++)
            learner = strcmp(subs[i].user_id, m[j].user_id) == 0;
        if (!learner)
            json_array_append_new(arr, json_pack("{s:s,s:b,s:i}", "id", m[j].user_id, "mentor", 1,
                                                 "capacity", m[j].capacity));
    }
    free(m);
    return 0;
}

int review_collect(struct store *st, const struct cohort *co, int kind, int64_t now, json_t **out)
{
    *out = NULL;
    struct store_proj_sub *subs = NULL;
    struct store_rev_hist *h = NULL;
    size_t n = 0, nh = 0;
    int rc = store_proj_subs(st, co->id, kind, &subs, &n);
    if (!rc)
        rc = store_rev_history(st, co->id, kind, &h, &nh);
    char seed[20];
    snprintf(seed, sizeof(seed), "%016" PRIx64, review_seed(co->guild_id, kind));
    json_t *authors = json_array(), *revs = json_array(), *hist = json_array();
    for (size_t i = 0; !rc && i < n; i++)
        json_array_append_new(authors,
                              json_pack("{s:s,s:I}", "id", subs[i].user_id, "sub", subs[i].id));
    if (!rc)
        rc = add_reviewers(st, co, now, subs, n, revs);
    for (size_t i = 0; !rc && i < nh; i++)
        json_array_append_new(hist, json_pack("{s:s,s:s,s:i}", "reviewer", h[i].reviewer, "author",
                                              h[i].author, "kind", h[i].kind));
    free(subs);
    free(h);
    json_t *root =
        json_pack("{s:i,s:s,s:i,s:o,s:o,s:o}", "kind", kind, "seed", seed, "per_sub",
                  REVIEW_PER_SUB, "authors", authors, "reviewers", revs, "history", hist);
    if (!root)
        rc = rc ? rc : BOT_ENOMEM;
    if (rc) {
        json_decref(root);
        return rc;
    }
    *out = root;
    return 0;
}

/* A ra_input view of an inputs JSON: strings borrow from it. */
struct view {
    struct ra_input in;
    const char **authors;
    struct ra_reviewer *revs;
    struct ra_history *hist;
};

static void view_free(struct view *v)
{
    free(v->authors);
    free(v->revs);
    free(v->hist);
}

static const char *str_of(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int view_parse(json_t *root, struct view *v, char err[BOT_ERR_LEN])
{
    memset(v, 0, sizeof(*v));
    json_t *au = json_object_get(root, "authors"), *rv = json_object_get(root, "reviewers"),
           *hi = json_object_get(root, "history");
    const char *seed = str_of(root, "seed");
    char *end = NULL;
    unsigned long long sv = seed ? strtoull(seed, &end, 16) : 0;
    if (!json_is_array(au) || !json_is_array(rv) || !json_is_array(hi) || !seed || !*seed || *end ||
        !json_is_integer(json_object_get(root, "per_sub"))) {
        snprintf(err, BOT_ERR_LEN, "inputs: authors, reviewers, history, seed, per_sub required");
        return BOT_EINVAL;
    }
    size_t na = json_array_size(au), nr = json_array_size(rv), nh = json_array_size(hi);
    v->authors = calloc(na + 1, sizeof(*v->authors));
    v->revs = calloc(nr + 1, sizeof(*v->revs));
    v->hist = calloc(nh + 1, sizeof(*v->hist));
    if (!v->authors || !v->revs || !v->hist)
        return BOT_ENOMEM;
    for (size_t i = 0; i < na; i++)
        if (!(v->authors[i] = str_of(json_array_get(au, i), "id"))) {
            snprintf(err, BOT_ERR_LEN, "inputs: authors[%zu].id missing", i);
            return BOT_EINVAL;
        }
    for (size_t i = 0; i < nr; i++) {
        json_t *o = json_array_get(rv, i), *cap = json_object_get(o, "capacity");
        v->revs[i].id = str_of(o, "id");
        v->revs[i].mentor = json_is_true(json_object_get(o, "mentor"));
        if (!v->revs[i].id || !json_is_integer(cap) || json_integer_value(cap) < 0 ||
            json_integer_value(cap) > RA_MAX_CAPACITY) {
            snprintf(err, BOT_ERR_LEN, "inputs: reviewers[%zu] needs id and capacity 0-%d", i,
                     RA_MAX_CAPACITY);
            return BOT_EINVAL;
        }
        v->revs[i].capacity = (int)json_integer_value(cap);
    }
    for (size_t i = 0; i < nh; i++) {
        json_t *o = json_array_get(hi, i);
        v->hist[i] = (struct ra_history){str_of(o, "reviewer"), str_of(o, "author"),
                                         (int)json_integer_value(json_object_get(o, "kind"))};
        if (!v->hist[i].reviewer || !v->hist[i].author) {
            snprintf(err, BOT_ERR_LEN, "inputs: history[%zu] needs reviewer and author", i);
            return BOT_EINVAL;
        }
    }
    json_int_t per = json_integer_value(json_object_get(root, "per_sub"));
    v->in = (struct ra_input){
        v->authors, na, v->revs, nr, v->hist, nh, per >= 1 && per <= RA_MAX_PER_SUB ? (int)per : 0,
        sv};
    return 0;
}

int review_solve(json_t *inputs, json_t **result, char err[BOT_ERR_LEN])
{
    *result = NULL;
    struct view v;
    struct ra_result r;
    int rc = view_parse(inputs, &v, err);
    if (!rc)
        rc = ra_assign(&v.in, &r, err, BOT_ERR_LEN);
    if (rc) {
        view_free(&v);
        return rc;
    }
    json_t *picks = json_array();
    for (size_t i = 0; i < r.n_picks; i++) {
        const struct ra_pick *p = &r.picks[i];
        json_array_append_new(picks, json_pack("{s:s,s:s,s:b,s:b}", "author", v.authors[p->sub],
                                               "reviewer", v.revs[p->reviewer].id, "mentor",
                                               v.revs[p->reviewer].mentor, "repeat", p->repeat));
    }
    *result = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:o}", "kind", json_integer_value(json_object_get(inputs, "kind")),
        "empty", (json_int_t)r.empty, "mentor_slots", (json_int_t)r.mentor_slots, "repeats",
        (json_int_t)r.repeats, "pair_repeats", (json_int_t)r.pair_repeats, "picks", picks);
    ra_result_free(&r);
    view_free(&v);
    return *result ? 0 : BOT_ENOMEM;
}

/* author id -> submission id, built once per round (a scan per pick was O(n^2): 2,000
 * picks of 1,000 authors took ~60 ms of the loop thread). New reference or NULL. */
static json_t *sub_index(json_t *inputs)
{
    json_t *idx = json_object(), *a;
    size_t i;
    json_array_foreach(json_object_get(inputs, "authors"), i, a)
    {
        const char *id = str_of(a, "id");
        if (idx && id && !json_object_get(idx, id))
            json_object_set_new(idx, id,
                                json_integer(json_integer_value(json_object_get(a, "sub"))));
    }
    return idx;
}

static int store_it(struct store *st, const struct cohort *co, int kind, int64_t now,
                    int64_t deadline, bool manual, json_t *inputs, json_t *result,
                    struct review_run *out)
{
    json_t *picks = json_object_get(result, "picks");
    size_t n = json_array_size(picks), i;
    struct store_new_review *revs = calloc(n + 1, sizeof(*revs));
    char *in_txt = json_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS);
    char *res_txt = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
    json_t *idx = sub_index(inputs);
    int rc = revs && in_txt && res_txt && idx ? 0 : BOT_ENOMEM;
    json_t *p;
    json_array_foreach(picks, i, p)
    {
        const char *author = str_of(p, "author");
        json_t *sub = author && idx ? json_object_get(idx, author) : NULL;
        revs[i] = (struct store_new_review){json_integer_value(sub), str_of(p, "reviewer"),
                                            json_is_true(json_object_get(p, "mentor"))};
    }
    json_decref(idx);
    struct store_rev_round r = {0,   co->id,   kind,  review_seed(co->guild_id, kind),
                                now, deadline, manual};
    if (!rc)
        rc = store_rev_round_insert(st, &r, in_txt, res_txt, revs, n);
    out->round_id = r.id;
    out->reviews = (int)n;
    free(revs);
    free(in_txt);
    free(res_txt);
    return rc;
}

int review_prepare(struct store *st, const struct cohort *co, int kind, int64_t now,
                   json_t **inputs)
{
    *inputs = NULL;
    struct store_rev_round old;
    if (store_rev_round_get(st, co->id, kind, &old) == 0)
        return BOT_EBUSY;
    int rc = review_collect(st, co, kind, now, inputs);
    if (!rc && json_array_size(json_object_get(*inputs, "authors")) == 0)
        rc = BOT_ENOTFOUND;
    if (rc) {
        json_decref(*inputs);
        *inputs = NULL;
    }
    return rc;
}

int review_commit(struct store *st, const struct cohort *co, int kind, int64_t now,
                  int64_t deadline, bool manual, json_t *inputs, json_t *result,
                  struct review_run *out)
{
    memset(out, 0, sizeof(*out));
    struct store_rev_round old;
    if (store_rev_round_get(st, co->id, kind, &old) == 0)
        return BOT_EBUSY; /* one ran while this one was solving */
    out->subs = (int)json_array_size(json_object_get(inputs, "authors"));
    out->empty = (int)json_integer_value(json_object_get(result, "empty"));
    out->mentor_slots = (int)json_integer_value(json_object_get(result, "mentor_slots"));
    out->repeats = (int)json_integer_value(json_object_get(result, "repeats"));
    out->pair_repeats = (int)json_integer_value(json_object_get(result, "pair_repeats"));
    return store_it(st, co, kind, now, deadline, manual, inputs, result, out);
}

int review_rerun(struct store *st, int64_t round_id, bool *same, struct buf *text,
                 char err[BOT_ERR_LEN])
{
    char *in_txt = NULL, *res_txt = NULL;
    *same = false;
    int rc = store_rev_round_json(st, round_id, &in_txt, &res_txt);
    if (rc) {
        snprintf(err, BOT_ERR_LEN, "review round %lld: %s", (long long)round_id,
                 rc == BOT_ENOTFOUND ? "not found" : "could not be read");
        return rc;
    }
    json_error_t je;
    json_t *inputs = json_loads(in_txt, 0, &je), *result = NULL;
    if (!inputs) {
        snprintf(err, BOT_ERR_LEN, "stored inputs: %s", je.text);
        rc = BOT_EINVAL;
    }
    if (!rc)
        rc = review_solve(inputs, &result, err);
    if (!rc) {
        char *again = json_dumps(result, JSON_COMPACT | JSON_SORT_KEYS);
        *same = again && strcmp(again, res_txt) == 0;
        free(again);
        size_t i;
        json_t *p;
        if (text)
            buf_puts(text, "author,reviewer,mentor,repeat\n");
        json_array_foreach(json_object_get(result, "picks"), i, p)
        {
            if (text)
                buf_printf(text, "%s,%s,%d,%d\n", str_of(p, "author"), str_of(p, "reviewer"),
                           json_is_true(json_object_get(p, "mentor")),
                           json_is_true(json_object_get(p, "repeat")));
        }
    }
    json_decref(inputs);
    json_decref(result);
    free(in_txt);
    free(res_txt);
    return rc;
}
