/* test_curriculum.c - the real Data Engineer curriculum loads completely and cleanly;
 * broken copies (one change each, made with jansson or written as raw text) are
 * refused with the exact path of the problem; a folder loads its good files and
 * reports its broken ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "bot/err.h"
#include "config/curriculum.h"

static char real_path[4096];

static const char *srcdir(void)
{
    const char *s = getenv("COHORTBOT_SRCDIR");
    return s ? s : COHORTBOT_SRCDIR;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *data = malloc(CUR_FILE_MAX + 1);
    assert_non_null(data);
    *len = fread(data, 1, CUR_FILE_MAX, f);
    fclose(f);
    return data;
}

static struct curriculum *load_real(void)
{
    struct curriculum *c = NULL;
    char err[BOT_ERR_LEN];
    int rc = curriculum_load_file(real_path, &c, err);
    if (rc)
        fail_msg("%s", err);
    assert_non_null(c);
    return c;
}

static void test_real_counts(void **state)
{
    (void)state;
    struct curriculum *c = load_real();
    assert_string_equal(c->slug, "data-engineer");
    assert_string_equal(c->name, "Data Engineer Learning Path");
    assert_string_equal(c->file, "data-engineer.json");
    assert_int_equal(c->n_weeks, 10);
    assert_int_equal(c->n_days, 70);
    assert_int_equal(c->n_groups, 5);
    assert_int_equal(c->n_assessments, 5);
    assert_int_equal(c->mentorship.n_tracks, 4);
    assert_int_equal(c->n_prerequisites, 4);
    assert_int_equal(c->n_outcomes, 5);
    assert_true(c->time_target.min_hours_per_week == 15);
    assert_true(c->time_target.max_hours_per_week == 20);
    assert_int_equal(c->mentorship.session_minutes, 45);
    assert_int_equal(c->mentorship.every_days, 14);
    for (size_t i = 0; i < c->n_days; i++) {
        assert_int_equal(c->days[i].number, (int)i + 1);
        assert_ptr_equal(curriculum_day(c, (int)i + 1), &c->days[i]);
    }
    for (size_t w = 0; w < c->n_weeks; w++) {
        assert_int_equal(c->weeks[w].number, (int)w + 1);
        assert_int_equal(c->weeks[w].last_day - c->weeks[w].first_day + 1, 7);
        assert_true(c->weeks[w].n_objectives >= 4);
        assert_int_equal(c->weeks[w].n_projects, 5);
    }
    assert_null(curriculum_day(c, 0));
    assert_null(curriculum_day(c, 71));
    assert_null(curriculum_week(c, 11));
    curriculum_free(c);
}

static void test_real_days(void **state)
{
    (void)state;
    struct curriculum *c = load_real();
    const struct cur_day *d1 = curriculum_day(c, 1), *d2 = curriculum_day(c, 2);
    assert_int_equal(d1->part, 1);
    assert_int_equal(d1->parts, 2);
    assert_int_equal(d2->part, 2);
    assert_int_equal(d2->parts, 2);
    assert_string_equal(d1->topic, "Data Modeling Fundamentals");
    assert_string_equal(d2->topic, d1->topic);
    assert_string_equal(d2->lab, "Design star and snowflake schemas");
    assert_int_equal(d1->read_kind, CUR_READ);
    assert_string_equal(d1->read, "Data modeling principles");
    assert_non_null(d1->read_link);
    assert_string_equal(d1->time_text, "6-8 hours");
    assert_true(d1->time_hours == 3.5);
    const struct cur_day *d7 = curriculum_day(c, 7);
    assert_int_equal(d7->part, 3);
    assert_int_equal(d7->parts, 3);
    assert_true(d7->time_hours == 3.0);
    assert_int_equal(curriculum_day(c, 5)->part, 1);
    const struct cur_day *d47 = curriculum_day(c, 47);
    assert_string_equal(d47->success, "Handle 10k QPS with <10ms latency");
    assert_int_equal(d47->read_kind, CUR_STUDY);
    assert_int_equal(curriculum_week_of_day(c, 8)->number, 2);
    assert_string_equal(curriculum_week(c, 3)->title, "Apache Spark Mastery");
    assert_string_equal(curriculum_day(c, 22)->topic, "Apache Kafka Deep Dive");
    for (int n = 1; n <= 63; n++) {
        assert_null(curriculum_day(c, n)->capstone);
        assert_int_equal(curriculum_day(c, n)->derived, 0);
    }
    for (int n = 64; n <= 70; n++) {
        const struct cur_day *d = curriculum_day(c, n);
        assert_int_equal(d->week, 10);
        assert_int_equal(d->part, n - 63);
        assert_int_equal(d->parts, 7);
        assert_ptr_equal(d->capstone, c->capstone);
        assert_string_equal(d->topic, "Capstone Implementation");
        assert_true(d->derived & CUR_F_SUCCESS);
        assert_non_null(strstr(d->lab, "Multi-cloud data platform"));
    }
    const struct cur_capstone *cap = curriculum_day(c, 70)->capstone;
    assert_int_equal(cap->week, 10);
    assert_int_equal(cap->n_components, 6);
    assert_int_equal(cap->n_technical, 5);
    assert_int_equal(cap->technical[0].n_items, 5);
    assert_int_equal(cap->n_performance, 5);
    assert_int_equal(cap->n_rubric, 5);
    assert_int_equal(cap->points_pass, 12);
    assert_int_equal(cap->n_platform_requirements, 6);
    assert_true(curriculum_week(c, 10)->derived & CUR_F_OBJECTIVES);
    curriculum_free(c);
}

static void test_real_tables(void **state)
{
    (void)state;
    struct curriculum *c = load_real();
    const struct cur_group *g[4];
    assert_int_equal(curriculum_groups_of_week(c, 1, g, 4), 1);
    assert_string_equal(g[0]->name, "data-foundations");
    assert_int_equal(g[0]->weekdays, (1u << 1) | (1u << 3)); /* Mon, Wed */
    assert_int_equal(g[0]->hour, 20);
    assert_string_equal(g[0]->zone, "America/New_York");
    assert_int_equal(curriculum_groups_of_week(c, 8, g, 4), 1);
    assert_string_equal(g[0]->name, "streaming-ml");
    assert_int_equal(g[0]->weekdays, (1u << 4) | (1u << 6)); /* Thu, Sat */
    assert_int_equal(g[0]->hour, 19);
    assert_int_equal(curriculum_groups_of_week(c, 11, g, 4), 0);
    static const int weeks[] = {2, 4, 6, 8, 10}, questions[] = {25, 30, 25, 35, 30};
    for (size_t i = 0; i < 5; i++) {
        const struct cur_assessment *a = curriculum_assessment_of_week(c, weeks[i]);
        assert_non_null(a);
        assert_int_equal(a->questions, questions[i]);
        assert_int_equal(a->pass_percent, 80);
        assert_null(curriculum_assessment_of_week(c, weeks[i] - 1));
    }
    static const char *const slugs[] = {"streaming", "ml-platform", "governance", "multi-cloud"};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(curriculum_track(c, slugs[i]));
    assert_null(curriculum_track(c, "frontend"));
    assert_string_equal(curriculum_evaluation_of_week(c, 5)->kind, "Mid-term");
    const struct cur_scenario *s[4];
    assert_int_equal(curriculum_scenarios_of_week(c, 4, s, 4), 1);
    assert_string_equal(s[0]->name, "E-commerce Analytics Platform");
    assert_int_equal(curriculum_scenarios_of_week(c, 1, s, 4), 0);
    curriculum_free(c);
}

/* The file must hold real emoji and none of the damaged forms of the seed. */
static void test_no_mojibake(void **state)
{
    (void)state;
    size_t len;
    char *data = slurp(real_path, &len);
    static const char *const bad[] = {
        "\xc3\xb0\xc5\xb8",     /* "ðŸ" (cp1252 reading of F0 9F) */
        "\xc4\x9f\xc5\xb8",     /* "ğŸ" (cp1254 reading, as in the seed) */
        "\xc3\xa2\xe2\x82\xac", /* "â€" */
        "\xc3\x83",             /* "Ã" */
        "\xc3\xaf\xc2\xb8",     /* "ï¸" (a damaged variation selector) */
        "\xc3\xa2",             /* "â" alone (damaged ⭐, ⏱, ⚙) */
        "\xef\xbf\xbd",         /* U+FFFD replacement character */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(memmem(data, len, bad[i], strlen(bad[i])));
    static const char *const good[] = {"\xf0\x9f\x8f\x97\xef\xb8\x8f", /* 🏗️ */
                                       "\xf0\x9f\x9b\xa0\xef\xb8\x8f", /* 🛠️ */
                                       "\xe2\x8f\xb1\xef\xb8\x8f",     /* ⏱️ */
                                       "\xf0\x9f\x93\x96",             /* 📖 */
                                       "\xf0\x9f\x8f\x9b\xef\xb8\x8f", /* 🏛️ */
                                       "\xe2\x9a\x99\xef\xb8\x8f"};    /* ⚙️ */
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        assert_non_null(memmem(data, len, good[i], strlen(good[i])));
    free(data);
    struct curriculum *c = load_real();
    assert_string_equal(c->icons.lab, "\xf0\x9f\x9b\xa0\xef\xb8\x8f");
    assert_string_equal(curriculum_week(c, 1)->icon, "\xf0\x9f\x8f\x97\xef\xb8\x8f");
    curriculum_free(c);
}

/* ---- broken copies ---------------------------------------------------------------- */

/* Resolves "weeks[3].days[2]" (segments name or name[i], '.'-separated) in root. */
static json_t *resolve(json_t *root, const char *path)
{
    char seg[64];
    json_t *cur = root;
    while (*path && cur) {
        size_t n = strcspn(path, ".[");
        assert_true(n < sizeof(seg));
        memcpy(seg, path, n);
        seg[n] = '\0';
        if (n)
            cur = json_object_get(cur, seg);
        path += n;
        if (*path == '[') {
            char *end;
            size_t i = strtoul(path + 1, &end, 10);
            cur = json_array_get(cur, i);
            path = end + 1;
        }
        if (*path == '.')
            path++;
    }
    assert_non_null(cur);
    return cur;
}

struct mutation {
    const char *object; /* path of the object to change ("" = top level) */
    const char *key;
    const char *value; /* JSON text; NULL deletes the key */
    const char *expect;
};

static const struct mutation MUTATIONS[] = {
    {"weeks[3].days[2]", "lab", NULL, "weeks[3].days[2].lab: missing"},
    {"weeks[1].days[5]", "time_hours", "\"4\"",
     "weeks[1].days[5].time_hours: must be a number 0-24"},
    {"weeks[1].days[5]", "time_hours", "25", "weeks[1].days[5].time_hours: must be a number 0-24"},
    {"weeks[0].days[2]", "day", "4", "weeks[0].days[2].day: 4 leaves a gap (expected day 3)"},
    {"weeks[0].days[2]", "day", "2", "weeks[0].days[2].day: 2 is a duplicate (expected day 3)"},
    {"weeks[0].days[2]", "day", "3.0", "weeks[0].days[2].day: must be an integer 1-366"},
    {"weeks[0].days[0]", "week", "11", "weeks[0].days[0].week: must be an integer 1-10"},
    {"weeks[0].days[0]", "week", "2",
     "weeks[0].days[0].week: 2 does not match the enclosing week 1"},
    {"weeks[0].days[1]", "part", "1", "weeks[0].days[1].part: must be 2 of 2, continuing day 1"},
    {"weeks[0].days[1]", "topic", "\"Other\"",
     "weeks[0].days[1].topic: must match day 1 (same block)"},
    {"weeks[2].days[0]", "topic", "\"\"", "weeks[2].days[0].topic: must not be empty"},
    {"weeks[2].days[0]", "topic", "\"   \"", "weeks[2].days[0].topic: must not be empty"},
    {"weeks[2].days[0]", "topic", "7", "weeks[2].days[0].topic: must be a string"},
    {"weeks[2].days[0]", "read", "\"a\\tb\"",
     "weeks[2].days[0].read: must not contain control characters"},
    {"weeks[2].days[0]", "read_kind", "\"skim\"",
     "weeks[2].days[0].read_kind: must be \"read\" or \"study\""},
    {"weeks[0].days[0]", "lba", "\"x\"", "weeks[0].days[0]: unknown key \"lba\""},
    {"weeks[0].days[0]", "derived", "[\"mood\"]",
     "weeks[0].days[0].derived: entries must be topic, read, lab, success, time or objectives"},
    {"weeks[8].days[0]", "capstone", "true",
     "capstone.week: is 10 but capstone day 57 is in week 9"},
    {"weeks[4]", "number", "6", "weeks[4].number: must be 5 (weeks are numbered 1..N in order)"},
    {"weeks[4]", "objectives", "[]", "weeks[4].objectives: must have 1-64 entries (has 0)"},
    {"weeks[4]", "objectives", "[\"ok\", 3]", "weeks[4].objectives[1]: must be a string"},
    {"weeks[4]", "days", "{}", "weeks[4].days: must be an array"},
    {"weeks[4]", "days", "[]", "weeks[4].days: must have 1-14 entries (has 0)"},
    {"", "weeks", "\"ten\"", "weeks: must be an array"},
    {"", "schema", "2", "schema: must be an integer 1-1"},
    {"", "slug", "\"Data Engineer\"", "slug: must be lower-case letters, digits and '-'"},
    {"", "title", NULL, "title: missing"},
    {"", "capstone", NULL, "capstone: day 64 is a capstone day but there is no capstone section"},
    {"study_groups[4]", "weeks", "[9, 11]",
     "study_groups[4].weeks: must be [first, last] with 1 <= first <= last <= 10"},
    {"study_groups[0]", "zone", "\"Mars/Olympus\"",
     "study_groups[0].zone: unknown time zone \"Mars/Olympus\""},
    {"study_groups[0]", "time", "\"8pm\"", "study_groups[0].time: must be HH:MM (00:00-23:59)"},
    {"study_groups[0]", "days", "[\"Mon\", \"Mon\"]", "study_groups[0].days: Mon is listed twice"},
    {"study_groups[1]", "name", "\"data-foundations\"",
     "study_groups[1].name: \"data-foundations\" is used twice"},
    {"assessments[0]", "week", "12", "assessments[0].week: must be an integer 1-10"},
    {"assessments[1]", "week", "2", "assessments[1].week: week 2 already has an assessment"},
    {"assessments[1]", "pass_percent", "0",
     "assessments[1].pass_percent: must be an integer 1-100"},
    {"assessments[1]", "pass_percent", "101",
     "assessments[1].pass_percent: must be an integer 1-100"},
    {"mentorship.tracks[1]", "slug", "\"streaming\"",
     "mentorship.tracks[1].slug: \"streaming\" is used twice"},
    {"mentorship", "every_days", "0", "mentorship.every_days: must be an integer 1-365"},
    {"capstone.rubric[0]", "weight_percent", "30",
     "capstone.rubric: weights add up to 105, not 100"},
    {"evaluation_criteria[0]", "weight_percent", "10",
     "evaluation_criteria: weights add up to 80, not 100"},
    {"time_target", "max_hours_per_week", "10",
     "time_target.max_hours_per_week: must be a number 15-168"},
    {"", "last_updated", "\"2025-02-30\"", "last_updated: must be a date YYYY-MM-DD"},
};

/* Applies m to a copy of the real file and returns the serialized text. */
static char *mutate(const struct mutation *m)
{
    json_error_t je;
    json_t *root = json_load_file(real_path, 0, &je);
    assert_non_null(root);
    json_t *obj = resolve(root, m->object);
    if (m->value) {
        json_t *v = json_loads(m->value, JSON_DECODE_ANY, &je);
        assert_non_null(v);
        assert_int_equal(json_object_set_new(obj, m->key, v), 0);
    } else {
        assert_int_equal(json_object_del(obj, m->key), 0);
    }
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    assert_non_null(text);
    return text;
}

static void expect_error(const char *text, size_t len, int code, const char *expect)
{
    struct curriculum *c = (struct curriculum *)1;
    char err[BOT_ERR_LEN];
    int rc = curriculum_load_buffer(text, len, "broken.json", &c, err);
    if (rc != code || strcmp(err, expect) != 0)
        fail_msg("got %d \"%s\", want %d \"%s\"", rc, err, code, expect);
    assert_null(c);
}

static void test_broken_paths(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(MUTATIONS) / sizeof(MUTATIONS[0]); i++) {
        char *text = mutate(&MUTATIONS[i]);
        char want[BOT_ERR_LEN];
        snprintf(want, sizeof(want), "broken.json: %s", MUTATIONS[i].expect);
        expect_error(text, strlen(text), BOT_EINVAL, want);
        free(text);
    }
}

/* Cuts the last day of week 1 (day 7, part 3 of 3): the week ends inside a block. */
static void test_broken_block(void **state)
{
    (void)state;
    json_error_t je;
    json_t *root = json_load_file(real_path, 0, &je);
    assert_non_null(root);
    assert_int_equal(json_array_remove(resolve(root, "weeks[0].days"), 6), 0);
    char *text = json_dumps(root, 0);
    json_decref(root);
    expect_error(text, strlen(text), BOT_EINVAL,
                 "broken.json: weeks[0].days: the week ends inside a block (day 6 is part 2 of "
                 "3)");
    free(text);
}

static void test_huge_strings(void **state)
{
    (void)state;
    static const struct {
        const char *object, *key;
        size_t len;
        const char *expect;
    } cases[] = {
        {"weeks[0].days[0]", "lab", 5000,
         "broken.json: weeks[0].days[0].lab: too long (5000 bytes, at most 1000)"},
        {"", "description", 100000,
         "broken.json: description: too long (100000 bytes, at most 4000)"},
        {"weeks[9]", "title", 201,
         "broken.json: weeks[9].title: too long (201 bytes, at most 200)"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_error_t je;
        json_t *root = json_load_file(real_path, 0, &je);
        char *big = malloc(cases[i].len + 1);
        memset(big, 'x', cases[i].len);
        big[cases[i].len] = '\0';
        json_object_set_new(resolve(root, cases[i].object), cases[i].key, json_string(big));
        free(big);
        char *text = json_dumps(root, 0);
        json_decref(root);
        expect_error(text, strlen(text), BOT_EINVAL, cases[i].expect);
        free(text);
    }
}

static void test_broken_text(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int code;
        const char *expect;
    } cases[] = {
        {"", BOT_EINVAL, "broken.json: empty file"},
        {" \n\t\n", BOT_EINVAL, "broken.json: empty file"},
        {"[1, 2]", BOT_EINVAL, "broken.json: the top level must be an object"},
        {"\"text\"", BOT_EINVAL, "broken.json: the top level must be an object"},
        {"{\n  \"slug\": \"x\",\n  \"name\": \n}\n", BOT_EINVAL,
         "broken.json:4:1: unexpected token near '}'"},
        {"{\"slug\": \"a\",\n \"slug\": \"b\"}", BOT_EINVAL,
         "broken.json:2:7: duplicate object key near '\"slug\"'"},
        {"{\"slug\": \"a\\u0000b\"}", BOT_EINVAL,
         "broken.json:1:19: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"a\\u0000b\"'"},
        {"{\"slug\": \"\xff\"}", BOT_EINVAL,
         "broken.json:1:10: unable to decode byte 0xff near '\"'"},
        {"{} trailing", BOT_EINVAL, "broken.json:1:11: end of file expected near 'trailing'"},
        {"{}", BOT_EINVAL, "broken.json: schema: missing"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_error(cases[i].text, strlen(cases[i].text), cases[i].code, cases[i].expect);
    /* over the size limit */
    char *big = malloc(CUR_FILE_MAX + 2);
    memset(big, ' ', CUR_FILE_MAX + 1);
    big[0] = '{';
    expect_error(big, CUR_FILE_MAX + 1, BOT_ETOOBIG,
                 "broken.json: 4194305 bytes, more than the 4194304 allowed");
    free(big);
    struct curriculum *c;
    char err[BOT_ERR_LEN];
    assert_int_equal(curriculum_load_file("/nonexistent/x.json", &c, err), BOT_ENOTFOUND);
    assert_string_equal(err, "x.json: No such file or directory");
    curriculum_free(NULL);
}

/* The smallest valid curriculum: one week of one day, no optional sections. */
static const char MINI[] =
    "{\"schema\": 1, \"slug\": \"mini\", \"name\": \"Mini\", \"title\": \"T\","
    " \"description\": \"D\", \"prerequisites\": [\"none\"], \"outcomes\": [\"o\"],"
    " \"time_target\": {\"min_hours_per_week\": 1, \"max_hours_per_week\": 2, \"text\": \"1-2 h\"},"
    " \"weeks\": [{\"number\": 1, \"title\": \"W\", \"theme\": \"Th\", \"objectives\": [\"x\"],"
    "   \"days\": [{\"day\": 1, \"week\": 1, \"part\": 1, \"parts\": 1, \"topic\": \"t\","
    "     \"read_kind\": \"read\", \"read\": \"r\", \"lab\": \"l\", \"success\": \"s\","
    "     \"time_text\": \"1 hour\", \"time_hours\": 1, \"block_hours_min\": 1,"
    "     \"block_hours_max\": 1}]}],"
    " \"study_groups\": [], \"assessments\": [],"
    " \"mentorship\": {\"session_minutes\": 30, \"every_days\": 7, \"text\": \"weekly\","
    "   \"tracks\": []}}";

static void test_minimal(void **state)
{
    (void)state;
    struct curriculum *c;
    char err[BOT_ERR_LEN];
    int rc = curriculum_load_buffer(MINI, strlen(MINI), "mini.json", &c, err);
    if (rc)
        fail_msg("%s", err);
    assert_int_equal(c->n_weeks, 1);
    assert_int_equal(c->n_days, 1);
    assert_null(c->capstone);
    assert_null(curriculum_assessment_of_week(c, 1));
    assert_null(curriculum_track(c, "streaming"));
    assert_int_equal(curriculum_week_of_day(c, 1)->number, 1);
    curriculum_free(c);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/cohortbot-cur-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len;
    char *real = slurp(real_path, &len);
    real[len] = '\0';
    write_file(dir, "data-engineer.json", real);
    write_file(dir, "mini.json", MINI);
    write_file(dir, "z-copy.json", real); /* same slug again */
    write_file(dir, "empty.json", "");
    write_file(dir, "bad.json", "{\n  \"slug\": \n");
    write_file(dir, "notes.txt", "not a curriculum");
    write_file(dir, ".hidden.json", "");
    free(real);
    struct curricula *set;
    struct buf errs;
    buf_init(&errs, 1 << 16);
    int rc = curricula_load_dir(dir, &set, &errs);
    assert_int_equal(rc, 3);
    assert_int_equal(set->n, 2);
    assert_non_null(curricula_find(set, "data-engineer"));
    assert_int_equal(curricula_find(set, "data-engineer")->n_days, 70);
    assert_non_null(curricula_find(set, "mini"));
    assert_null(curricula_find(set, "nope"));
    assert_string_equal(buf_str(&errs), "bad.json:3:0: unexpected token near end of file\n"
                                        "empty.json: empty file\n"
                                        "z-copy.json: slug: \"data-engineer\" is already used by "
                                        "data-engineer.json\n");
    curricula_free(set);
    buf_free(&errs);
    static const char *const names[] = {"data-engineer.json", "mini.json", "z-copy.json",
                                        "empty.json",         "bad.json",  "notes.txt",
                                        ".hidden.json"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        assert_int_equal(unlink(path), 0);
    }
    assert_int_equal(rmdir(dir), 0);
    buf_init(&errs, 1024);
    assert_int_equal(curricula_load_dir(dir, &set, &errs), BOT_ENOTFOUND);
    assert_null(set);
    assert_non_null(strstr(buf_str(&errs), "No such file or directory"));
    buf_free(&errs);
}

/* The shipped folder loads without complaint. */
static void test_shipped_dir(void **state)
{
    (void)state;
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/config/curricula", srcdir());
    struct curricula *set;
    struct buf errs;
    buf_init(&errs, 1 << 16);
    int rc = curricula_load_dir(dir, &set, &errs);
    if (rc)
        fail_msg("%s", buf_str(&errs));
    assert_non_null(curricula_find(set, "data-engineer"));
    curricula_free(set);
    buf_free(&errs);
}

int main(void)
{
    snprintf(real_path, sizeof(real_path), "%s/config/curricula/data-engineer.json", srcdir());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_counts),  cmocka_unit_test(test_real_days),
        cmocka_unit_test(test_real_tables),  cmocka_unit_test(test_no_mojibake),
        cmocka_unit_test(test_broken_paths), cmocka_unit_test(test_broken_block),
        cmocka_unit_test(test_huge_strings), cmocka_unit_test(test_broken_text),
        cmocka_unit_test(test_minimal),      cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_shipped_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
