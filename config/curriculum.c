/* curriculum.c - loading curricula from memory, files and a folder, and lookups
 * (see curriculum.h). Parsing of the sections is in curriculum_sections.c. */
#include "config/curriculum.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "config/curriculum_rd.h"

#define DIR_MAX_FILES 256

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static bool only_space(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
            return false;
    return true;
}

int curriculum_load_buffer(const char *data, size_t len, const char *name, struct curriculum **out,
                           char err[BOT_ERR_LEN])
{
    *out = NULL;
    err[0] = '\0';
    name = name && *name ? base_name(name) : "(buffer)";
    if (len > CUR_FILE_MAX) {
        snprintf(err, BOT_ERR_LEN, "%.60s: %zu bytes, more than the %u allowed", name, len,
                 CUR_FILE_MAX);
        return BOT_ETOOBIG;
    }
    if (!data || only_space(data, len)) {
        snprintf(err, BOT_ERR_LEN, "%.60s: empty file", name);
        return BOT_EINVAL;
    }
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
    if (!root) {
        snprintf(err, BOT_ERR_LEN, "%.60s:%d:%d: %s", name, je.line, je.column, je.text);
        return BOT_EINVAL;
    }
    struct curriculum *c = calloc(1, sizeof(*c));
    if (!c) {
        json_decref(root);
        snprintf(err, BOT_ERR_LEN, "%.60s: out of memory", name);
        return BOT_ENOMEM;
    }
    c->root_ = root;
    snprintf(c->file_, sizeof(c->file_), "%s", name);
    c->file = c->file_;
    struct cur_rd r = {.name = name, .err = err};
    int rc = cur_rd_curriculum(&r, c, root);
    c->mem_ = r.mem;
    if (rc) {
        curriculum_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

/* Reads a whole file of at most CUR_FILE_MAX bytes into a new buffer. */
static int read_file(const char *path, char **data, size_t *len, char err[BOT_ERR_LEN])
{
    const char *name = base_name(path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, BOT_ERR_LEN, "%.60s: %s", name, strerror(e));
        return e == ENOENT ? BOT_ENOTFOUND : BOT_EIO;
    }
    char *buf = malloc(CUR_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, CUR_FILE_MAX + 1, f) : 0;
    int rc = 0;
    if (!buf) {
        snprintf(err, BOT_ERR_LEN, "%.60s: out of memory", name);
        rc = BOT_ENOMEM;
    } else if (ferror(f)) {
        snprintf(err, BOT_ERR_LEN, "%.60s: read error", name);
        rc = BOT_EIO;
    } else if (n > CUR_FILE_MAX) {
        snprintf(err, BOT_ERR_LEN, "%.60s: more than %u bytes", name, CUR_FILE_MAX);
        rc = BOT_ETOOBIG;
    }
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return 0;
}

int curriculum_load_file(const char *path, struct curriculum **out, char err[BOT_ERR_LEN])
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = read_file(path, &data, &len, err);
    if (rc)
        return rc;
    rc = curriculum_load_buffer(data, len, path, out, err);
    free(data);
    return rc;
}

void curriculum_free(struct curriculum *c)
{
    if (!c)
        return;
    cur_rd_arena_free(c->mem_);
    json_decref(c->root_);
    free(c);
}

/* ---- lookups ----------------------------------------------------------------------- */

const struct cur_day *curriculum_day(const struct curriculum *c, int number)
{
    if (!c || number < 1 || (size_t)number > c->n_days)
        return NULL;
    return &c->days[number - 1];
}

const struct cur_week *curriculum_week(const struct curriculum *c, int number)
{
    if (!c || number < 1 || (size_t)number > c->n_weeks)
        return NULL;
    return &c->weeks[number - 1];
}

const struct cur_week *curriculum_week_of_day(const struct curriculum *c, int day)
{
    const struct cur_day *d = curriculum_day(c, day);
    return d ? curriculum_week(c, d->week) : NULL;
}

const struct cur_assessment *curriculum_assessment_of_week(const struct curriculum *c, int week)
{
    for (size_t i = 0; c && i < c->n_assessments; i++)
        if (c->assessments[i].week == week)
            return &c->assessments[i];
    return NULL;
}

const struct cur_evaluation *curriculum_evaluation_of_week(const struct curriculum *c, int week)
{
    for (size_t i = 0; c && i < c->n_evaluations; i++)
        if (c->evaluations[i].week == week)
            return &c->evaluations[i];
    return NULL;
}

const struct cur_track *curriculum_track(const struct curriculum *c, const char *slug)
{
    for (size_t i = 0; c && slug && i < c->mentorship.n_tracks; i++)
        if (strcmp(c->mentorship.tracks[i].slug, slug) == 0)
            return &c->mentorship.tracks[i];
    return NULL;
}

size_t curriculum_groups_of_week(const struct curriculum *c, int week, const struct cur_group **out,
                                 size_t max)
{
    size_t n = 0;
    for (size_t i = 0; c && i < c->n_groups; i++) {
        const struct cur_group *g = &c->groups[i];
        if (week < g->first_week || week > g->last_week)
            continue;
        if (n < max)
            out[n] = g;
        n++;
    }
    return n;
}

size_t curriculum_scenarios_of_week(const struct curriculum *c, int week,
                                    const struct cur_scenario **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; c && i < c->n_scenarios; i++) {
        const struct cur_scenario *s = &c->scenarios[i];
        if (week < s->first_week || week > s->last_week)
            continue;
        if (n < max)
            out[n] = s;
        n++;
    }
    return n;
}

/* ---- a folder of curricula ------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_json_name(const char *n)
{
    size_t len = strlen(n);
    return n[0] != '.' && len > 5 && strcmp(n + len - 5, ".json") == 0;
}

/* The sorted *.json names in dir (each and the array malloc'd). */
static int list_dir(const char *dir, char ***names, size_t *count, struct buf *errs)
{
    DIR *d = opendir(dir);
    if (!d) {
        int e = errno;
        buf_printf(errs, "%s: %s\n", dir, strerror(e));
        return e == ENOENT ? BOT_ENOTFOUND : BOT_EIO;
    }
    char **v = calloc(DIR_MAX_FILES, sizeof(*v));
    size_t n = 0;
    int rc = v ? 0 : BOT_ENOMEM;
    struct dirent *de;
    while (!rc && (de = readdir(d)) != NULL) {
        if (!is_json_name(de->d_name))
            continue;
        if (n == DIR_MAX_FILES) {
            buf_printf(errs, "%s: more than %d curricula; the rest are ignored\n", dir,
                       DIR_MAX_FILES);
            break;
        }
        if (!(v[n] = strdup(de->d_name)))
            rc = BOT_ENOMEM;
        else
            n++;
    }
    closedir(d);
    if (rc) {
        for (size_t i = 0; v && i < n; i++)
            free(v[i]);
        free(v);
        buf_printf(errs, "%s: out of memory\n", dir);
        return rc;
    }
    qsort(v, n, sizeof(*v), cmp_names);
    *names = v;
    *count = n;
    return 0;
}

/* Loads one file of the folder into set; 1 if it was left out (described in errs). */
static int load_one(struct curricula *set, const char *dir, const char *name, struct buf *errs)
{
    char path[4096], err[BOT_ERR_LEN];
    struct curriculum *c = NULL;
    if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
        buf_printf(errs, "%s: path too long\n", name);
        return 1;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        buf_printf(errs, "%s: not a regular file\n", name);
        return 1;
    }
    if (curriculum_load_file(path, &c, err) != 0) {
        buf_printf(errs, "%s\n", err);
        return 1;
    }
    const struct curriculum *dup = curricula_find(set, c->slug);
    if (dup) {
        buf_printf(errs, "%s: slug: \"%s\" is already used by %s\n", name, c->slug, dup->file);
        curriculum_free(c);
        return 1;
    }
    set->items[set->n++] = c;
    return 0;
}

int curricula_load_dir(const char *dir, struct curricula **out, struct buf *errs)
{
    char **names = NULL;
    size_t n = 0;
    assert(errs != NULL);
    *out = NULL;
    int rc = list_dir(dir, &names, &n, errs);
    if (rc)
        return rc;
    struct curricula *set = calloc(1, sizeof(*set));
    if (set)
        set->items = calloc(n ? n : 1, sizeof(*set->items));
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (set && set->items)
            bad += load_one(set, dir, names[i], errs);
        free(names[i]);
    }
    free(names);
    if (!set || !set->items) {
        curricula_free(set);
        buf_printf(errs, "%s: out of memory\n", dir);
        return BOT_ENOMEM;
    }
    *out = set;
    return bad;
}

void curricula_free(struct curricula *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        curriculum_free(set->items[i]);
    free(set->items);
    free(set);
}

const struct curriculum *curricula_find(const struct curricula *set, const char *slug)
{
    for (size_t i = 0; set && slug && i < set->n; i++)
        if (strcmp(set->items[i]->slug, slug) == 0)
            return set->items[i];
    return NULL;
}
