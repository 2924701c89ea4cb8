/* curriculum_sections.c - reading and validating each section of a curriculum file
 * (see curriculum.h) on top of curriculum_rd.c. Cross-checks (day numbering, blocks,
 * week ranges, unique names) are made as each piece is read; the first problem wins. */
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bot/tz.h"
#include "config/curriculum_rd.h"

#define MAX_ITEMS 64 /* entries in any plain list */

typedef int (*item_fn)(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i);

/* Calls fn for each element of arr with the path set to key[i]; stops at a problem. */
static int each(struct cur_rd *r, struct curriculum *c, const char *key, json_t *arr, size_t n,
                item_fn fn)
{
    size_t sv = cur_rd_push_key(r, key);
    for (size_t i = 0; i < n && !r->failed; i++) {
        size_t si = cur_rd_push_index(r, i);
        fn(r, c, json_array_get(arr, i), i);
        cur_rd_pop(r, si);
    }
    cur_rd_pop(r, sv);
    return r->failed;
}

/* Marks capstone days until the capstone section is read (then replaced). */
static const struct cur_capstone CAPSTONE_PENDING;

static int need_object(struct cur_rd *r, json_t *v)
{
    return json_is_object(v) ? 0 : cur_rd_fail(r, NULL, "must be an object");
}

/* ---- days and weeks ------------------------------------------------------------ */

static const char *const DERIVED_NAMES[] = {"topic",   "read", "lab",
                                            "success", "time", "objectives"};

static int read_derived(struct cur_rd *r, json_t *obj, unsigned *out)
{
    json_t *arr;
    size_t n;
    if (cur_rd_array(r, obj, "derived", false, 1, 6, &arr, &n) || !arr)
        return r->failed;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        size_t k = 0;
        while (s && k < 6 && strcmp(s, DERIVED_NAMES[k]) != 0)
            k++;
        if (!s || k == 6)
            return cur_rd_fail(r, "derived",
                               "entries must be topic, read, lab, success, time or objectives");
        *out |= 1u << k;
    }
    return 0;
}

static int read_day_fields(struct cur_rd *r, json_t *o, struct cur_day *d)
{
    const char *kind = NULL;
    cur_rd_str(r, o, "topic", true, CUR_RD_SHORT, &d->topic);
    cur_rd_str(r, o, "read_kind", true, 16, &kind);
    if (kind && strcmp(kind, "read") != 0 && strcmp(kind, "study") != 0)
        return cur_rd_fail(r, "read_kind", "must be \"read\" or \"study\"");
    d->read_kind = (kind && strcmp(kind, "study") == 0) ? CUR_STUDY : CUR_READ;
    cur_rd_str(r, o, "read", true, CUR_RD_TEXT, &d->read);
    cur_rd_str(r, o, "read_link", false, CUR_RD_SHORT, &d->read_link);
    cur_rd_str(r, o, "lab", true, CUR_RD_TEXT, &d->lab);
    cur_rd_str(r, o, "success", true, CUR_RD_TEXT, &d->success);
    cur_rd_str(r, o, "time_text", true, CUR_RD_SHORT, &d->time_text);
    cur_rd_num(r, o, "time_hours", true, 0, 24, &d->time_hours);
    cur_rd_num(r, o, "block_hours_min", true, 0, 168, &d->block_hours_min);
    cur_rd_num(r, o, "block_hours_max", true, 0, 168, &d->block_hours_max);
    if (!r->failed && d->block_hours_min > d->block_hours_max)
        return cur_rd_fail(r, "block_hours_max", "must not be below block_hours_min");
    return read_derived(r, o, &d->derived);
}

static const char *const DAY_KEYS[] = {"day",
                                       "week",
                                       "part",
                                       "parts",
                                       "topic",
                                       "read_kind",
                                       "read",
                                       "read_link",
                                       "lab",
                                       "success",
                                       "time_text",
                                       "time_hours",
                                       "capstone",
                                       "derived",
                                       "block_hours_min",
                                       "block_hours_max",
                                       NULL};

/* Checks d against the day before it (prev, NULL for the first day of the file). */
static int check_block(struct cur_rd *r, const struct cur_day *prev, const struct cur_day *d)
{
    bool open = prev && prev->part < prev->parts;
    if (d->part > d->parts)
        return cur_rd_fail(r, "part", "must not exceed parts (%d)", d->parts);
    if (open && (d->part != prev->part + 1 || d->parts != prev->parts))
        return cur_rd_fail(r, "part", "must be %d of %d, continuing day %d", prev->part + 1,
                           prev->parts, prev->number);
    if (!open && d->part != 1)
        return cur_rd_fail(r, "part", "must be 1 (no block is open)");
    if (open && prev->week != d->week)
        return cur_rd_fail(r, "week", "a block of days must not cross weeks");
    if (open && strcmp(prev->topic, d->topic) != 0)
        return cur_rd_fail(r, "topic", "must match day %d (same block)", prev->number);
    return 0;
}

static int read_day(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    (void)i;
    if (need_object(r, o) || cur_rd_keys(r, o, DAY_KEYS))
        return r->failed;
    struct cur_day tmp = {0};
    int expect = (int)c->n_days + 1;
    int week_no = c->weeks[r->week_index].number;
    if (cur_rd_int(r, o, "day", true, 1, CUR_MAX_DAYS, &tmp.number))
        return r->failed;
    if (tmp.number < expect)
        return cur_rd_fail(r, "day", "%d is a duplicate (expected day %d)", tmp.number, expect);
    if (tmp.number > expect)
        return cur_rd_fail(r, "day", "%d leaves a gap (expected day %d)", tmp.number, expect);
    if (cur_rd_int(r, o, "week", true, 1, (long)c->n_weeks, &tmp.week))
        return r->failed;
    if (tmp.week != week_no)
        return cur_rd_fail(r, "week", "%d does not match the enclosing week %d", tmp.week, week_no);
    cur_rd_int(r, o, "part", true, 1, 14, &tmp.part);
    cur_rd_int(r, o, "parts", true, 1, 14, &tmp.parts);
    bool cap = false;
    cur_rd_bool(r, o, "capstone", &cap);
    if (r->failed || read_day_fields(r, o, &tmp))
        return r->failed;
    if (check_block(r, c->n_days ? &c->days[c->n_days - 1] : NULL, &tmp))
        return r->failed;
    tmp.capstone = cap ? &CAPSTONE_PENDING : NULL; /* resolved once capstone is read */
    c->days[c->n_days++] = tmp;
    return 0;
}

static const char *const WEEK_KEYS[] = {"number",   "title",   "theme",      "icon",
                                        "headline", "summary", "objectives", "project_set",
                                        "projects", "derived", "days",       NULL};

static int read_week(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    struct cur_week *w = &c->weeks[i];
    if (need_object(r, o) || cur_rd_keys(r, o, WEEK_KEYS))
        return r->failed;
    if (cur_rd_int(r, o, "number", true, 1, CUR_MAX_WEEKS, &w->number))
        return r->failed;
    if (w->number != (int)i + 1)
        return cur_rd_fail(r, "number", "must be %zu (weeks are numbered 1..N in order)", i + 1);
    cur_rd_str(r, o, "title", true, CUR_RD_SHORT, &w->title);
    cur_rd_str(r, o, "theme", true, CUR_RD_SHORT, &w->theme);
    cur_rd_str(r, o, "icon", false, 32, &w->icon);
    cur_rd_str(r, o, "headline", false, CUR_RD_SHORT, &w->headline);
    cur_rd_str(r, o, "summary", false, CUR_RD_LONG, &w->summary);
    cur_rd_strs(r, o, "objectives", true, MAX_ITEMS, CUR_RD_TEXT, &w->objectives, &w->n_objectives);
    cur_rd_str(r, o, "project_set", false, CUR_RD_SHORT, &w->project_set);
    cur_rd_strs(r, o, "projects", false, MAX_ITEMS, CUR_RD_TEXT, &w->projects, &w->n_projects);
    read_derived(r, o, &w->derived);
    json_t *days;
    size_t n;
    if (r->failed || cur_rd_array(r, o, "days", true, 1, 14, &days, &n))
        return r->failed;
    r->week_index = i;
    w->first_day = (int)c->n_days + 1;
    if (each(r, c, "days", days, n, read_day))
        return r->failed;
    w->last_day = (int)c->n_days;
    const struct cur_day *last = &c->days[c->n_days - 1];
    if (last->part != last->parts)
        return cur_rd_fail(r, "days", "the week ends inside a block (day %d is part %d of %d)",
                           last->number, last->part, last->parts);
    return 0;
}

static int read_weeks(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    json_t *arr;
    size_t n, total = 0;
    if (cur_rd_array(r, root, "weeks", true, 1, CUR_MAX_WEEKS, &arr, &n))
        return r->failed;
    for (size_t i = 0; i < n; i++) {
        json_t *days = json_object_get(json_array_get(arr, i), "days");
        total += json_is_array(days) ? json_array_size(days) : 0;
    }
    if (total > CUR_MAX_DAYS)
        return cur_rd_fail(r, "weeks", "more than %d days in all", CUR_MAX_DAYS);
    c->weeks = cur_rd_alloc(r, n, sizeof(*c->weeks));
    c->days = cur_rd_alloc(r, total, sizeof(*c->days));
    if (!c->weeks || !c->days)
        return r->failed;
    c->n_weeks = n;
    return each(r, c, "weeks", arr, n, read_week);
}

/* ---- groups, assessments, evaluations, scenarios ----------------------------------- */

static int read_weekdays(struct cur_rd *r, json_t *o, unsigned *out)
{
    static const char *const names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    json_t *arr;
    size_t n;
    if (cur_rd_array(r, o, "days", true, 1, 7, &arr, &n))
        return r->failed;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        int k = 0;
        while (s && k < 7 && strcmp(s, names[k]) != 0)
            k++;
        if (!s || k == 7)
            return cur_rd_fail(r, "days", "entries must be Mon, Tue, Wed, Thu, Fri, Sat or Sun");
        if (*out & (1u << k))
            return cur_rd_fail(r, "days", "%s is listed twice", s);
        *out |= 1u << k;
    }
    return 0;
}

static const char *const GROUP_KEYS[] = {"weeks", "focus", "name",          "days",
                                         "time",  "zone",  "schedule_text", NULL};

static int read_group(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    struct cur_group *g = &c->groups[i];
    if (need_object(r, o) || cur_rd_keys(r, o, GROUP_KEYS))
        return r->failed;
    cur_rd_range(r, o, "weeks", (int)c->n_weeks, &g->first_week, &g->last_week);
    cur_rd_str(r, o, "focus", true, CUR_RD_SHORT, &g->focus);
    if (!cur_rd_str(r, o, "name", true, 64, &g->name) && !cur_rd_is_slug(g->name))
        return cur_rd_fail(r, "name", "must be lower-case letters, digits and '-'");
    read_weekdays(r, o, &g->weekdays);
    if (!cur_rd_str(r, o, "time", true, 8, &g->time) &&
        tz_parse_hhmm(g->time, &g->hour, &g->minute) != 0)
        return cur_rd_fail(r, "time", "must be HH:MM (00:00-23:59)");
    if (!cur_rd_str(r, o, "zone", true, 64, &g->zone) && !tz_valid(g->zone))
        return cur_rd_fail(r, "zone", "unknown time zone \"%s\"", g->zone);
    cur_rd_str(r, o, "schedule_text", false, CUR_RD_SHORT, &g->schedule);
    for (size_t k = 0; k < i && !r->failed; k++)
        if (strcmp(c->groups[k].name, g->name) == 0)
            return cur_rd_fail(r, "name", "\"%s\" is used twice", g->name);
    return r->failed;
}

static const char *const ASSESS_KEYS[] = {"week",   "topic",     "questions", "pass_percent",
                                          "format", "practical", NULL};

static int read_assessment(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    struct cur_assessment *a = &c->assessments[i];
    if (need_object(r, o) || cur_rd_keys(r, o, ASSESS_KEYS))
        return r->failed;
    cur_rd_int(r, o, "week", true, 1, (long)c->n_weeks, &a->week);
    cur_rd_str(r, o, "topic", true, CUR_RD_SHORT, &a->topic);
    cur_rd_int(r, o, "questions", true, 1, 1000, &a->questions);
    cur_rd_int(r, o, "pass_percent", true, 1, 100, &a->pass_percent);
    cur_rd_str(r, o, "format", false, CUR_RD_SHORT, &a->format);
    cur_rd_str(r, o, "practical", false, CUR_RD_SHORT, &a->practical);
    for (size_t k = 0; k < i && !r->failed; k++)
        if (c->assessments[k].week == a->week)
            return cur_rd_fail(r, "week", "week %d already has an assessment", a->week);
    return r->failed;
}

static int read_evaluation(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    static const char *const keys[] = {"week", "kind", "project", NULL};
    struct cur_evaluation *e = &c->evaluations[i];
    if (need_object(r, o) || cur_rd_keys(r, o, keys))
        return r->failed;
    cur_rd_int(r, o, "week", true, 1, (long)c->n_weeks, &e->week);
    cur_rd_str(r, o, "kind", true, CUR_RD_SHORT, &e->kind);
    cur_rd_str(r, o, "project", true, CUR_RD_TEXT, &e->project);
    return r->failed;
}

static int read_scenario(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    static const char *const keys[] = {"name", "weeks", "items", NULL};
    struct cur_scenario *s = &c->scenarios[i];
    if (need_object(r, o) || cur_rd_keys(r, o, keys))
        return r->failed;
    cur_rd_str(r, o, "name", true, CUR_RD_SHORT, &s->name);
    cur_rd_range(r, o, "weeks", (int)c->n_weeks, &s->first_week, &s->last_week);
    cur_rd_strs(r, o, "items", true, MAX_ITEMS, CUR_RD_TEXT, &s->items, &s->n_items);
    return r->failed;
}

static int read_criterion(struct cur_rd *r, struct curriculum *c, json_t *o, size_t i)
{
    static const char *const keys[] = {"criterion", "weight_percent", NULL};
    if (need_object(r, o) || cur_rd_keys(r, o, keys))
        return r->failed;
    cur_rd_str(r, o, "criterion", true, CUR_RD_SHORT, &c->criteria[i].name);
    cur_rd_int(r, o, "weight_percent", true, 1, 100, &c->criteria[i].weight_percent);
    return r->failed;
}

/* Allocates the array for the list at key (NULL when absent, empty or on failure). */
static void *list_alloc(struct cur_rd *r, json_t *root, const char *key, bool required, size_t elem,
                        json_t **arr, size_t *n)
{
    if (cur_rd_array(r, root, key, required, 0, MAX_ITEMS, arr, n) || !*arr || *n == 0)
        return NULL;
    return cur_rd_alloc(r, *n, elem);
}

#define READ_LIST(key, required, field, count, fn)                                                 \
    do {                                                                                           \
        json_t *arr_;                                                                              \
        size_t n_;                                                                                 \
        if ((c->field = list_alloc(r, root, key, required, sizeof(*c->field), &arr_, &n_))) {      \
            c->count = n_;                                                                         \
            each(r, c, key, arr_, n_, fn);                                                         \
        }                                                                                          \
    } while (0)

static int read_tables(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    READ_LIST("study_groups", true, groups, n_groups, read_group);
    READ_LIST("assessments", true, assessments, n_assessments, read_assessment);
    READ_LIST("evaluations", false, evaluations, n_evaluations, read_evaluation);
    READ_LIST("scenarios", false, scenarios, n_scenarios, read_scenario);
    READ_LIST("evaluation_criteria", false, criteria, n_criteria, read_criterion);
    int sum = 0;
    for (size_t i = 0; i < c->n_criteria; i++)
        sum += c->criteria[i].weight_percent;
    if (!r->failed && c->n_criteria && sum != 100)
        return cur_rd_fail(r, "evaluation_criteria", "weights add up to %d, not 100", sum);
    return r->failed;
}

/* ---- capstone ---------------------------------------------------------------------- */

/* An array of {k1: "...", k2: "..."} objects into cur_pair. */
static int read_pairs(struct cur_rd *r, json_t *o, const char *key, const char *k1, const char *k2,
                      struct cur_pair **out, size_t *count)
{
    json_t *arr;
    size_t n;
    if (!(*out = list_alloc(r, o, key, true, sizeof(**out), &arr, &n)))
        return r->failed ? r->failed : cur_rd_fail(r, key, "must not be empty");
    *count = n;
    const char *const keys[] = {k1, k2, NULL};
    size_t sv = cur_rd_push_key(r, key);
    for (size_t i = 0; i < n && !r->failed; i++) {
        size_t si = cur_rd_push_index(r, i);
        json_t *e = json_array_get(arr, i);
        if (!need_object(r, e) && !cur_rd_keys(r, e, keys)) {
            cur_rd_str(r, e, k1, true, CUR_RD_SHORT, &(*out)[i].key);
            cur_rd_str(r, e, k2, true, CUR_RD_TEXT, &(*out)[i].value);
        }
        cur_rd_pop(r, si);
    }
    cur_rd_pop(r, sv);
    return r->failed;
}

static int read_area(struct cur_rd *r, struct cur_capstone *cap, json_t *e, size_t i)
{
    static const char *const keys[] = {"area", "items", NULL};
    struct cur_area *a = &cap->technical[i];
    if (need_object(r, e) || cur_rd_keys(r, e, keys))
        return r->failed;
    cur_rd_str(r, e, "area", true, CUR_RD_SHORT, &a->name);
    cur_rd_strs(r, e, "items", true, MAX_ITEMS, CUR_RD_TEXT, &a->items, &a->n_items);
    return r->failed;
}

static int read_rubric_row(struct cur_rd *r, struct cur_capstone *cap, json_t *e, size_t i)
{
    static const char *const keys[] = {"component", "weight_percent", "excellent", "good",
                                       "fair",      "poor",           NULL};
    struct cur_rubric_row *row = &cap->rubric[i];
    if (need_object(r, e) || cur_rd_keys(r, e, keys))
        return r->failed;
    cur_rd_str(r, e, "component", true, CUR_RD_SHORT, &row->component);
    cur_rd_int(r, e, "weight_percent", true, 1, 100, &row->weight_percent);
    cur_rd_str(r, e, "excellent", true, CUR_RD_TEXT, &row->excellent);
    cur_rd_str(r, e, "good", true, CUR_RD_TEXT, &row->good);
    cur_rd_str(r, e, "fair", true, CUR_RD_TEXT, &row->fair);
    cur_rd_str(r, e, "poor", true, CUR_RD_TEXT, &row->poor);
    return r->failed;
}

/* Runs fn over the objects of arr at key (path key[i]); used for capstone lists. */
static int each_cap(struct cur_rd *r, struct cur_capstone *cap, const char *key, json_t *arr,
                    size_t n, int (*fn)(struct cur_rd *, struct cur_capstone *, json_t *, size_t))
{
    size_t sv = cur_rd_push_key(r, key);
    for (size_t i = 0; i < n && !r->failed; i++) {
        size_t si = cur_rd_push_index(r, i);
        fn(r, cap, json_array_get(arr, i), i);
        cur_rd_pop(r, si);
    }
    cur_rd_pop(r, sv);
    return r->failed;
}

static int read_capstone_lists(struct cur_rd *r, struct cur_capstone *cap, json_t *o)
{
    json_t *arr;
    size_t n;
    cur_rd_strs(r, o, "platform_requirements", true, MAX_ITEMS, CUR_RD_TEXT,
                &cap->platform_requirements, &cap->n_platform_requirements);
    read_pairs(r, o, "components", "area", "requirement", &cap->components, &cap->n_components);
    read_pairs(r, o, "performance_requirements", "metric", "target", &cap->performance,
               &cap->n_performance);
    if (!r->failed && (cap->technical = list_alloc(r, o, "technical_requirements", true,
                                                   sizeof(*cap->technical), &arr, &n))) {
        cap->n_technical = n;
        each_cap(r, cap, "technical_requirements", arr, n, read_area);
    }
    if (!r->failed &&
        (cap->rubric = list_alloc(r, o, "rubric", true, sizeof(*cap->rubric), &arr, &n))) {
        cap->n_rubric = n;
        each_cap(r, cap, "rubric", arr, n, read_rubric_row);
    }
    if (!r->failed && (!cap->technical || !cap->rubric))
        return cur_rd_fail(r, cap->technical ? "rubric" : "technical_requirements",
                           "must not be empty");
    int sum = 0;
    for (size_t i = 0; i < cap->n_rubric; i++)
        sum += cap->rubric[i].weight_percent;
    if (!r->failed && sum != 100)
        return cur_rd_fail(r, "rubric", "weights add up to %d, not 100", sum);
    return r->failed;
}

static const char *const CAP_KEYS[] = {"week",
                                       "title",
                                       "build",
                                       "overview",
                                       "platform_requirements",
                                       "components",
                                       "technical_requirements",
                                       "performance_requirements",
                                       "rubric",
                                       "points_max",
                                       "points_pass",
                                       "points_excellent",
                                       NULL};

static int read_capstone(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    json_t *o;
    if (cur_rd_object(r, root, "capstone", false, &o) || !o)
        return r->failed;
    struct cur_capstone *cap = cur_rd_alloc(r, 1, sizeof(*cap));
    if (!cap)
        return r->failed;
    size_t sv = cur_rd_push_key(r, "capstone");
    if (!cur_rd_keys(r, o, CAP_KEYS)) {
        cur_rd_int(r, o, "week", true, 1, (long)c->n_weeks, &cap->week);
        cur_rd_str(r, o, "title", true, CUR_RD_SHORT, &cap->title);
        cur_rd_str(r, o, "build", true, CUR_RD_SHORT, &cap->build);
        cur_rd_str(r, o, "overview", true, CUR_RD_LONG, &cap->overview);
        cur_rd_int(r, o, "points_max", true, 1, 1000, &cap->points_max);
        cur_rd_int(r, o, "points_pass", true, 1, cap->points_max, &cap->points_pass);
        cur_rd_int(r, o, "points_excellent", true, cap->points_pass, cap->points_max,
                   &cap->points_excellent);
        read_capstone_lists(r, cap, o);
    }
    cur_rd_pop(r, sv);
    c->capstone = cap;
    return r->failed;
}

/* Points flagged days at the capstone; each must lie in the capstone's week. */
static int link_capstone(struct cur_rd *r, struct curriculum *c)
{
    for (size_t i = 0; i < c->n_days; i++) {
        struct cur_day *d = &c->days[i];
        if (d->capstone != &CAPSTONE_PENDING)
            continue;
        if (!c->capstone)
            return cur_rd_fail(r, "capstone",
                               "day %d is a capstone day but there is no "
                               "capstone section",
                               d->number);
        if (d->week != c->capstone->week)
            return cur_rd_fail(r, "capstone.week", "is %d but capstone day %d is in week %d",
                               c->capstone->week, d->number, d->week);
        d->capstone = c->capstone;
    }
    return 0;
}

/* ---- mentorship, time target, top level -------------------------------------------- */

static int read_track(struct cur_rd *r, struct curriculum *c, json_t *e, size_t i)
{
    static const char *const keys[] = {"slug", "label", NULL};
    struct cur_track *t = &c->mentorship.tracks[i];
    if (need_object(r, e) || cur_rd_keys(r, e, keys))
        return r->failed;
    if (!cur_rd_str(r, e, "slug", true, 64, &t->slug) && !cur_rd_is_slug(t->slug))
        return cur_rd_fail(r, "slug", "must be lower-case letters, digits and '-'");
    cur_rd_str(r, e, "label", true, CUR_RD_SHORT, &t->label);
    for (size_t k = 0; k < i && !r->failed; k++)
        if (strcmp(c->mentorship.tracks[k].slug, t->slug) == 0)
            return cur_rd_fail(r, "slug", "\"%s\" is used twice", t->slug);
    return r->failed;
}

static int read_mentorship(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    static const char *const keys[] = {"session_minutes", "every_days", "text",
                                       "agenda",          "tracks",     NULL};
    struct cur_mentorship *m = &c->mentorship;
    json_t *o, *arr;
    size_t n;
    if (cur_rd_object(r, root, "mentorship", true, &o))
        return r->failed;
    size_t sv = cur_rd_push_key(r, "mentorship");
    if (!cur_rd_keys(r, o, keys)) {
        cur_rd_int(r, o, "session_minutes", true, 1, 600, &m->session_minutes);
        cur_rd_int(r, o, "every_days", true, 1, 365, &m->every_days);
        cur_rd_str(r, o, "text", true, CUR_RD_SHORT, &m->text);
        cur_rd_strs(r, o, "agenda", false, MAX_ITEMS, CUR_RD_TEXT, &m->agenda, &m->n_agenda);
        if (!r->failed &&
            (m->tracks = list_alloc(r, o, "tracks", true, sizeof(*m->tracks), &arr, &n))) {
            m->n_tracks = n;
            each(r, c, "tracks", arr, n, read_track);
        }
    }
    cur_rd_pop(r, sv);
    return r->failed;
}

static int read_activity(struct cur_rd *r, struct curriculum *c, json_t *e, size_t i)
{
    static const char *const keys[] = {"activity", "min_hours", "max_hours", NULL};
    struct cur_activity *a = &c->time_target.breakdown[i];
    if (need_object(r, e) || cur_rd_keys(r, e, keys))
        return r->failed;
    cur_rd_str(r, e, "activity", true, CUR_RD_SHORT, &a->activity);
    cur_rd_num(r, e, "min_hours", true, 0, 168, &a->min_hours);
    cur_rd_num(r, e, "max_hours", true, a->min_hours, 168, &a->max_hours);
    return r->failed;
}

static int read_time_target(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    static const char *const keys[] = {"min_hours_per_week", "max_hours_per_week", "text",
                                       "breakdown", NULL};
    struct cur_time_target *t = &c->time_target;
    json_t *o, *arr;
    size_t n;
    if (cur_rd_object(r, root, "time_target", true, &o))
        return r->failed;
    size_t sv = cur_rd_push_key(r, "time_target");
    if (!cur_rd_keys(r, o, keys) &&
        !cur_rd_num(r, o, "min_hours_per_week", true, 0, 168, &t->min_hours_per_week)) {
        cur_rd_num(r, o, "max_hours_per_week", true, t->min_hours_per_week, 168,
                   &t->max_hours_per_week);
        cur_rd_str(r, o, "text", true, CUR_RD_SHORT, &t->text);
        if (!r->failed && (t->breakdown = list_alloc(r, o, "breakdown", false,
                                                     sizeof(*t->breakdown), &arr, &n))) {
            t->n_breakdown = n;
            each(r, c, "breakdown", arr, n, read_activity);
        }
    }
    cur_rd_pop(r, sv);
    return r->failed;
}

static int read_icons(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    static const char *const keys[] = {"read",     "lab",      "success", "time",
                                       "overview", "capstone", NULL};
    struct cur_icons *ic = &c->icons;
    json_t *o;
    if (cur_rd_object(r, root, "icons", false, &o) || !o)
        return r->failed;
    size_t sv = cur_rd_push_key(r, "icons");
    if (!cur_rd_keys(r, o, keys)) {
        cur_rd_str(r, o, "read", false, 32, &ic->read);
        cur_rd_str(r, o, "lab", false, 32, &ic->lab);
        cur_rd_str(r, o, "success", false, 32, &ic->success);
        cur_rd_str(r, o, "time", false, 32, &ic->time);
        cur_rd_str(r, o, "overview", false, 32, &ic->overview);
        cur_rd_str(r, o, "capstone", false, 32, &ic->capstone);
    }
    cur_rd_pop(r, sv);
    return r->failed;
}

static const char *const ROOT_KEYS[] = {"schema",       "slug",
                                        "name",         "title",
                                        "description",  "summary",
                                        "difficulty",   "last_updated",
                                        "icons",        "prerequisites",
                                        "recommended",  "outcomes",
                                        "time_target",  "weeks",
                                        "study_groups", "assessments",
                                        "evaluations",  "evaluation_criteria",
                                        "scenarios",    "capstone",
                                        "mentorship",   NULL};

static int read_meta(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    int schema = 0, y, m, d;
    if (cur_rd_keys(r, root, ROOT_KEYS) || cur_rd_int(r, root, "schema", true, 1, 1, &schema))
        return r->failed;
    if (!cur_rd_str(r, root, "slug", true, 64, &c->slug) && !cur_rd_is_slug(c->slug))
        return cur_rd_fail(r, "slug", "must be lower-case letters, digits and '-'");
    cur_rd_str(r, root, "name", true, CUR_RD_SHORT, &c->name);
    cur_rd_str(r, root, "title", true, CUR_RD_SHORT, &c->title);
    cur_rd_str(r, root, "description", true, CUR_RD_LONG, &c->description);
    cur_rd_str(r, root, "summary", false, CUR_RD_LONG, &c->summary);
    cur_rd_str(r, root, "difficulty", false, 64, &c->difficulty);
    if (!cur_rd_str(r, root, "last_updated", false, 10, &c->last_updated) && c->last_updated &&
        tz_parse_date(c->last_updated, &y, &m, &d) != 0)
        return cur_rd_fail(r, "last_updated", "must be a date YYYY-MM-DD");
    cur_rd_strs(r, root, "prerequisites", true, MAX_ITEMS, CUR_RD_TEXT, &c->prerequisites,
                &c->n_prerequisites);
    cur_rd_strs(r, root, "recommended", false, MAX_ITEMS, CUR_RD_TEXT, &c->recommended,
                &c->n_recommended);
    cur_rd_strs(r, root, "outcomes", true, MAX_ITEMS, CUR_RD_TEXT, &c->outcomes, &c->n_outcomes);
    return r->failed;
}

int cur_rd_curriculum(struct cur_rd *r, struct curriculum *c, json_t *root)
{
    if (!json_is_object(root))
        return cur_rd_fail(r, NULL, "the top level must be an object");
    if (read_meta(r, c, root) || read_icons(r, c, root) || read_time_target(r, c, root) ||
        read_weeks(r, c, root) || read_tables(r, c, root) || read_capstone(r, c, root) ||
        link_capstone(r, c) || read_mentorship(r, c, root))
        return r->failed;
    return 0;
}
