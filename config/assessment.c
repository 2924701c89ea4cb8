/* assessment.c - loading and validating question banks (see assessment.h). */
#include "config/assessment.h"
#include "bot/err.h"
#include "bot/message.h"
#include "config/curriculum.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DIR_MAX_FILES 256

int asm_day_range(const struct curriculum *cur, int week, int *first_day, int *last_day)
{
    const struct cur_week *w = curriculum_week(cur, week);
    if (!w || !curriculum_assessment_of_week(cur, week))
        return BOT_ENOTFOUND;
    int prev = 0;
    for (size_t i = 0; i < cur->n_assessments; i++)
        if (cur->assessments[i].week < week && cur->assessments[i].week > prev)
            prev = cur->assessments[i].week;
    const struct cur_week *pw = prev ? curriculum_week(cur, prev) : NULL;
    *first_day = pw ? pw->last_day + 1 : 1;
    *last_day = w->last_day;
    return 0;
}

/* One bank being checked: where messages go and how to name places. */
struct chk {
    const char *name;
    const char *text;
    size_t len;
    struct buf *errs;
    int problems;
};

/* Line of `"id": "<id>"` in the text, or 0. */
static int line_of_id(const struct chk *k, const char *id)
{
    char pat[ASM_ID_MAX + 4];
    int n = snprintf(pat, sizeof(pat), "\"%s\"", id);
    if (n <= 2 || (size_t)n >= sizeof(pat))
        return 0;
    for (const char *p = k->text; p < k->text + k->len;) {
        const char *h = memmem(p, k->len - (size_t)(p - k->text), pat, (size_t)n);
        if (!h)
            return 0;
        const char *q = h;
        while (q > k->text && strchr(" \t\r\n", q[-1]))
            q--;
        if (q > k->text && q[-1] == ':') {
            q--;
            while (q > k->text && strchr(" \t\r\n", q[-1]))
                q--;
            if (q - k->text >= 4 && memcmp(q - 4, "\"id\"", 4) == 0) {
                int line = 1;
                for (const char *c = k->text; c < h; c++)
                    line += *c == '\n';
                return line;
            }
        }
        p = h + 1;
    }
    return 0;
}

static void problem(struct chk *k, int line, const char *where, const char *field, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));
static void problem(struct chk *k, int line, const char *where, const char *field, const char *fmt,
                    ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char pos[16] = "";
    if (line > 0)
        snprintf(pos, sizeof(pos), ":%d", line);
    buf_printf(k->errs, "%s%s: %s%s%s: %s\n", k->name, pos, where ? where : "", where ? ": " : "",
               field, msg);
    k->problems++;
}

/* Text rule: a non-empty string, no control characters (but '\n' where allowed),
 * at most max code points. Returns the string or NULL (problem recorded). */
static const char *text_field(struct chk *k, int line, const char *where, const char *field,
                              json_t *v, size_t max, bool newlines)
{
    if (!v) {
        problem(k, line, where, field, "missing");
        return NULL;
    }
    const char *s = json_string_value(v);
    if (!s) {
        problem(k, line, where, field, "must be a string");
        return NULL;
    }
    const char *p = s;
    while (*p == ' ' || *p == '\n' || *p == '\t')
        p++;
    if (!*p) {
        problem(k, line, where, field, "empty");
        return NULL;
    }
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if ((*c < 0x20 && !(newlines && *c == '\n')) || *c == 0x7f) {
            problem(k, line, where, field, "contains a control character%s",
                    newlines ? "" : " (no line breaks here)");
            return NULL;
        }
    size_t n = msg_utf8_len(s);
    if (n > max) {
        problem(k, line, where, field, "%zu characters, at most %zu allowed", n, max);
        return NULL;
    }
    return s;
}

/* Keys other than the allowed ones (and "_comment"-style keys) are typos. */
static void unknown_keys(struct chk *k, int line, const char *where, json_t *obj,
                         const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = key[0] == '_';
        for (const char *const *a = allowed; !ok && *a; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            problem(k, line, where, key, "unknown key (a typo?)");
    }
}

static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > ASM_ID_MAX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return false;
    return true;
}

static void check_days(struct chk *k, int line, const char *where, json_t *v,
                       const struct asm_bank *b, struct asm_question *q)
{
    if (!json_is_array(v) || json_array_size(v) == 0) {
        problem(k, line, where, "days", v ? "must be a non-empty array of day numbers" : "missing");
        return;
    }
    if (json_array_size(v) > ASM_MAX_QDAYS) {
        problem(k, line, where, "days", "%zu days, at most %d", json_array_size(v), ASM_MAX_QDAYS);
        return;
    }
    size_t i;
    json_t *d;
    json_array_foreach(v, i, d)
    {
        if (!json_is_integer(d)) {
            problem(k, line, where, "days", "[%zu] is not a whole number", i);
            continue;
        }
        json_int_t n = json_integer_value(d);
        if (n < b->first_day || n > b->last_day) {
            problem(k, line, where, "days", "day %lld is outside the assessment's days %d-%d",
                    (long long)n, b->first_day, b->last_day);
            continue;
        }
        if (q->n_days > 0 && n <= q->days[q->n_days - 1]) {
            problem(k, line, where, "days", "must be ascending without repeats (day %lld)",
                    (long long)n);
            continue;
        }
        q->days[q->n_days++] = (int)n;
    }
}

static void check_choices(struct chk *k, int line, const char *where, json_t *v,
                          struct asm_question *q)
{
    static const char *const allowed[] = {"text", "correct", NULL};
    size_t n = json_array_size(v);
    if (!json_is_array(v) || n < ASM_MIN_CHOICES || n > ASM_MAX_CHOICES) {
        problem(k, line, where, "choices", !v ? "missing" : "need %d to %d choices (got %zu)",
                ASM_MIN_CHOICES, ASM_MAX_CHOICES, json_is_array(v) ? n : (size_t)0);
        return;
    }
    int correct = 0;
    size_t i;
    json_t *c;
    json_array_foreach(v, i, c)
    {
        char field[48];
        snprintf(field, sizeof(field), "choices[%zu]", i);
        if (!json_is_object(c)) {
            problem(k, line, where, field, "must be an object {\"text\": …, \"correct\": …}");
            continue;
        }
        unknown_keys(k, line, where, c, allowed);
        snprintf(field, sizeof(field), "choices[%zu].text", i);
        const char *t =
            text_field(k, line, where, field, json_object_get(c, "text"), ASM_CHOICE_MAX, false);
        json_t *cor = json_object_get(c, "correct");
        if (cor && !json_is_boolean(cor)) {
            snprintf(field, sizeof(field), "choices[%zu].correct", i);
            problem(k, line, where, field, "must be true or false");
        }
        if (json_is_true(cor)) {
            correct++;
            q->correct = (int)i;
        }
        for (int j = 0; t && j < q->n_choices; j++)
            if (q->choices[j] && strcmp(q->choices[j], t) == 0)
                problem(k, line, where, field, "same text as choices[%d]", j);
        q->choices[q->n_choices++] = t;
    }
    if (correct != 1)
        problem(k, line, where, "choices", "%d choices marked correct, need exactly one", correct);
}

static void check_question(struct chk *k, size_t i, json_t *o, struct asm_bank *b)
{
    static const char *const allowed[] = {"id", "days", "prompt", "choices", "explanation", NULL};
    struct asm_question *q = &b->q[i];
    char where[32 + ASM_ID_MAX + 8];
    snprintf(where, sizeof(where), "questions[%zu]", i);
    if (!json_is_object(o)) {
        problem(k, 0, where, "question", "must be an object");
        return;
    }
    const char *id = json_string_value(json_object_get(o, "id"));
    int line = 0;
    if (!id || !id_ok(id)) {
        problem(k, 0, where, "id",
                id ? "must be 1-%d letters, digits, '-', '_' or '.'" : "missing (a string)",
                ASM_ID_MAX);
    } else {
        line = line_of_id(k, id);
        snprintf(where, sizeof(where), "questions[%zu] id=%s", i, id);
        for (size_t j = 0; j < i; j++)
            if (b->q[j].id && strcmp(b->q[j].id, id) == 0)
                problem(k, line, where, "id", "duplicate of questions[%zu]", j);
        q->id = id;
    }
    unknown_keys(k, line, where, o, allowed);
    check_days(k, line, where, json_object_get(o, "days"), b, q);
    q->prompt =
        text_field(k, line, where, "prompt", json_object_get(o, "prompt"), ASM_PROMPT_MAX, true);
    check_choices(k, line, where, json_object_get(o, "choices"), q);
    q->explanation = text_field(k, line, where, "explanation", json_object_get(o, "explanation"),
                                ASM_EXPLAIN_MAX, true);
}

/* "<slug>-week-NN.json" -> slug and week; false when the name has another shape. */
static bool parse_name(const char *name, char *slug, size_t slen, int *week)
{
    size_t n = strlen(name);
    const char *tail = "-week-00.json";
    size_t tl = strlen(tail);
    if (n <= tl || strcmp(name + n - 5, ".json") != 0 || strncmp(name + n - tl, "-week-", 6) != 0)
        return false;
    const char *d = name + n - tl + 6;
    if (d[0] < '0' || d[0] > '9' || d[1] < '0' || d[1] > '9')
        return false;
    *week = (d[0] - '0') * 10 + (d[1] - '0');
    snprintf(slug, slen, "%.*s", (int)(n - tl), name);
    return n - tl < slen;
}

/* The top level: curriculum, week, questions; fills b's header. */
static const struct curriculum *check_top(struct chk *k, json_t *root, const struct curricula *set,
                                          struct asm_bank *b)
{
    static const char *const allowed[] = {"curriculum", "week", "title", "questions", NULL};
    if (!json_is_object(root)) {
        problem(k, 1, NULL, "(top level)", "must be an object");
        return NULL;
    }
    unknown_keys(k, 1, NULL, root, allowed);
    int fweek = 0;
    char fslug[64];
    if (!parse_name(k->name, fslug, sizeof(fslug), &fweek)) {
        problem(k, 0, NULL, "(file name)", "must be <curriculum>-week-NN.json");
        return NULL;
    }
    const char *slug = json_string_value(json_object_get(root, "curriculum"));
    json_t *wk = json_object_get(root, "week");
    if (!slug || strcmp(slug, fslug) != 0)
        problem(k, 0, NULL, "curriculum", "must be \"%s\" (the file name's curriculum)", fslug);
    if (!json_is_integer(wk) || json_integer_value(wk) != fweek)
        problem(k, 0, NULL, "week", "must be %d (the file name's week)", fweek);
    const struct curriculum *cur = curricula_find(set, fslug);
    if (!cur) {
        problem(k, 0, NULL, "curriculum", "no loaded curriculum \"%s\"", fslug);
        return NULL;
    }
    const struct cur_assessment *a = curriculum_assessment_of_week(cur, fweek);
    if (!a || asm_day_range(cur, fweek, &b->first_day, &b->last_day)) {
        problem(k, 0, NULL, "week", "%s has no assessment in week %d", fslug, fweek);
        return NULL;
    }
    snprintf(b->slug, sizeof(b->slug), "%s", fslug);
    b->week = fweek;
    b->pass_percent = a->pass_percent;
    b->topic = a->topic;
    b->practical = a->practical;
    return cur;
}

static void check_questions(struct chk *k, json_t *root, const struct curriculum *cur,
                            struct asm_bank *b)
{
    const struct cur_assessment *a = curriculum_assessment_of_week(cur, b->week);
    json_t *qs = json_object_get(root, "questions");
    size_t n = json_array_size(qs);
    if (!json_is_array(qs)) {
        problem(k, 0, NULL, "questions", "missing (an array)");
        return;
    }
    if (n != (size_t)a->questions)
        problem(k, 0, NULL, "questions",
                "%zu questions; the curriculum's week %d assessment has %d", n, b->week,
                a->questions);
    if (n > ASM_MAX_QUESTIONS) {
        problem(k, 0, NULL, "questions", "more than %d", ASM_MAX_QUESTIONS);
        return;
    }
    b->q = calloc(n ? n : 1, sizeof(*b->q));
    if (!b->q) {
        problem(k, 0, NULL, "questions", "out of memory");
        return;
    }
    b->n = n;
    size_t i;
    json_t *o;
    json_array_foreach(qs, i, o) check_question(k, i, o, b);
}

static unsigned long long fnv1a(const char *p, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

int asm_bank_load_buffer(const char *data, size_t len, const char *name,
                         const struct curricula *set, struct asm_bank **out, struct buf *errs)
{
    *out = NULL;
    const char *slash = name ? strrchr(name, '/') : NULL;
    struct chk k = {.name = slash  ? slash + 1
                            : name ? name
                                   : "(buffer)",
                    .text = data,
                    .len = len,
                    .errs = errs};
    if (len > ASM_FILE_MAX) {
        problem(&k, 0, NULL, "(file)", "%zu bytes, more than the %u allowed", len, ASM_FILE_MAX);
        return k.problems;
    }
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        problem(&k, je.line, NULL, "(syntax)", "%s (column %d)", je.text, je.column);
        return k.problems;
    }
    struct asm_bank *b = calloc(1, sizeof(*b));
    if (!b) {
        json_decref(root);
        return BOT_ENOMEM;
    }
    b->root_ = root;
    snprintf(b->file, sizeof(b->file), "%s", k.name);
    b->hash = fnv1a(data, len);
    const struct curriculum *cur = check_top(&k, root, set, b);
    if (cur)
        check_questions(&k, root, cur, b);
    if (k.problems) {
        asm_bank_free(b);
        return k.problems;
    }
    *out = b;
    return 0;
}

void asm_bank_free(struct asm_bank *b)
{
    if (!b)
        return;
    free(b->q);
    json_decref(b->root_);
    free(b);
}

static int load_file(const char *dir, const char *name, const struct curricula *set,
                     struct asm_banks *out, struct buf *errs)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        buf_printf(errs, "%s: cannot open: %s\n", name, strerror(errno));
        return 1;
    }
    char *data = malloc(ASM_FILE_MAX + 1);
    size_t len = data ? fread(data, 1, ASM_FILE_MAX + 1, f) : 0;
    fclose(f);
    if (!data)
        return BOT_ENOMEM;
    struct asm_bank *b = NULL;
    int rc = asm_bank_load_buffer(data, len, name, set, &b, errs);
    free(data);
    if (rc)
        return rc;
    if (asm_banks_find(out, b->slug, b->week)) { /* cannot happen: one file name per week */
        asm_bank_free(b);
        return 1;
    }
    out->items[out->n++] = b;
    return 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Assessments of the loaded curricula that got no bank. */
static int missing_banks(const struct curricula *set, const struct asm_banks *out, struct buf *errs)
{
    int n = 0;
    for (size_t i = 0; set && i < set->n; i++)
        for (size_t j = 0; j < set->items[i]->n_assessments; j++) {
            int wk = set->items[i]->assessments[j].week;
            if (!asm_banks_find(out, set->items[i]->slug, wk)) {
                buf_printf(errs, "%s-week-%02d.json: no valid bank for the week %d assessment\n",
                           set->items[i]->slug, wk, wk);
                n++;
            }
        }
    return n;
}

int asm_banks_load_dir(const char *dir, const struct curricula *set, struct asm_banks **out,
                       struct buf *errs)
{
    *out = calloc(1, sizeof(**out));
    if (!*out || !((*out)->items = calloc(DIR_MAX_FILES, sizeof(struct asm_bank *)))) {
        asm_banks_free(*out);
        *out = NULL;
        return BOT_ENOMEM;
    }
    DIR *d = opendir(dir);
    if (!d) {
        int problems = 0;
        if (errno != ENOENT) {
            buf_printf(errs, "%s: cannot read: %s\n", dir, strerror(errno));
            problems++;
        }
        return problems + missing_banks(set, *out, errs);
    }
    char *names[DIR_MAX_FILES];
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < DIR_MAX_FILES) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= 5 || strcmp(e->d_name + l - 5, ".json") != 0)
            continue;
        if (!(names[nn] = strdup(e->d_name)))
            break;
        nn++;
    }
    closedir(d);
    qsort(names, nn, sizeof(names[0]), name_cmp);
    int problems = 0;
    for (size_t i = 0; i < nn; i++) {
        int rc = load_file(dir, names[i], set, *out, errs);
        problems += rc < 0 ? 1 : rc;
        free(names[i]);
    }
    return problems + missing_banks(set, *out, errs);
}

void asm_banks_free(struct asm_banks *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        asm_bank_free(set->items[i]);
    free(set->items);
    free(set);
}

const struct asm_bank *asm_banks_find(const struct asm_banks *set, const char *slug, int week)
{
    for (size_t i = 0; set && slug && i < set->n; i++)
        if (set->items[i]->week == week && strcmp(set->items[i]->slug, slug) == 0)
            return set->items[i];
    return NULL;
}

const struct asm_question *asm_bank_question(const struct asm_bank *b, const char *id)
{
    for (size_t i = 0; b && id && i < b->n; i++)
        if (b->q[i].id && strcmp(b->q[i].id, id) == 0)
            return &b->q[i];
    return NULL;
}
