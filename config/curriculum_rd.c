/* curriculum_rd.c - the path-tracking typed JSON reader and arena behind curriculum.c. */
#include "config/curriculum_rd.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "config/curriculum.h"

struct arena_block {
    struct arena_block *next;
    max_align_t mem[];
};

int cur_rd_fail(struct cur_rd *r, const char *key, const char *fmt, ...)
{
    if (r->failed)
        return r->failed;
    r->failed = BOT_EINVAL;
    char msg[BOT_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *dot = (r->plen && key) ? "." : "";
    int n = snprintf(r->err, BOT_ERR_LEN, "%.60s: %s%s%s%s%s", r->name, r->path, dot,
                     key ? key : "", (r->plen || key) ? ": " : "", msg);
    if (n >= BOT_ERR_LEN) /* mark the cut */
        memcpy(r->err + BOT_ERR_LEN - 4, "...", 4);
    return r->failed;
}

int cur_rd_nomem(struct cur_rd *r)
{
    if (!r->failed) {
        r->failed = BOT_ENOMEM;
        snprintf(r->err, BOT_ERR_LEN, "%.60s: out of memory", r->name);
    }
    return r->failed;
}

size_t cur_rd_push_key(struct cur_rd *r, const char *key)
{
    size_t saved = r->plen;
    int n = snprintf(r->path + r->plen, sizeof(r->path) - r->plen, "%s%s", r->plen ? "." : "", key);
    if (n > 0)
        r->plen += (size_t)n < sizeof(r->path) - r->plen ? (size_t)n : 0;
    return saved;
}

size_t cur_rd_push_index(struct cur_rd *r, size_t i)
{
    size_t saved = r->plen;
    int n = snprintf(r->path + r->plen, sizeof(r->path) - r->plen, "[%zu]", i);
    if (n > 0)
        r->plen += (size_t)n < sizeof(r->path) - r->plen ? (size_t)n : 0;
    return saved;
}

void cur_rd_pop(struct cur_rd *r, size_t saved)
{
    r->plen = saved;
    r->path[saved] = '\0';
}

void *cur_rd_alloc(struct cur_rd *r, size_t n, size_t size)
{
    if (n == 0)
        n = 1;
    if (size && n > (SIZE_MAX - sizeof(struct arena_block)) / size) {
        cur_rd_nomem(r);
        return NULL;
    }
    struct arena_block *b = calloc(1, sizeof(*b) + n * size);
    if (!b) {
        cur_rd_nomem(r);
        return NULL;
    }
    b->next = r->mem;
    r->mem = b;
    return b->mem;
}

void cur_rd_arena_free(void *mem)
{
    struct arena_block *b = mem;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
}

int cur_rd_keys(struct cur_rd *r, json_t *obj, const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t i = 0;
        while (known[i] && strcmp(known[i], key) != 0)
            i++;
        if (!known[i])
            return cur_rd_fail(r, NULL, "unknown key \"%.40s\"", key);
    }
    return 0;
}

static json_t *get(struct cur_rd *r, json_t *obj, const char *key, bool required, int *rc)
{
    json_t *v = json_object_get(obj, key);
    *rc = 0;
    if (!v && required)
        *rc = cur_rd_fail(r, key, "missing");
    return v;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            return false;
    return true;
}

/* Checks one string value; `key` names it in messages (NULL: the path says it all). */
static int check_str(struct cur_rd *r, const char *key, json_t *v, size_t max, const char **out)
{
    if (!json_is_string(v))
        return cur_rd_fail(r, key, "must be a string");
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len)
        return cur_rd_fail(r, key, "must not contain NUL characters");
    if (len == 0 || blank(s))
        return cur_rd_fail(r, key, "must not be empty");
    if (len > max)
        return cur_rd_fail(r, key, "too long (%zu bytes, at most %zu)", len, max);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\n')
            return cur_rd_fail(r, key, "must not contain control characters");
    *out = s;
    return 0;
}

int cur_rd_str(struct cur_rd *r, json_t *obj, const char *key, bool required, size_t max,
               const char **out)
{
    int rc;
    json_t *v = get(r, obj, key, required, &rc);
    return v ? check_str(r, key, v, max, out) : rc;
}

int cur_rd_int(struct cur_rd *r, json_t *obj, const char *key, bool required, long lo, long hi,
               int *out)
{
    int rc;
    json_t *v = get(r, obj, key, required, &rc);
    if (!v)
        return rc;
    if (!json_is_integer(v))
        return cur_rd_fail(r, key, "must be an integer %ld-%ld", lo, hi);
    json_int_t x = json_integer_value(v);
    if (x < lo || x > hi)
        return cur_rd_fail(r, key, "must be an integer %ld-%ld", lo, hi);
    *out = (int)x;
    return 0;
}

int cur_rd_num(struct cur_rd *r, json_t *obj, const char *key, bool required, double lo, double hi,
               double *out)
{
    int rc;
    json_t *v = get(r, obj, key, required, &rc);
    if (!v)
        return rc;
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!json_is_number(v) || !isfinite(x) || x < lo || x > hi)
        return cur_rd_fail(r, key, "must be a number %g-%g", lo, hi);
    *out = x;
    return 0;
}

int cur_rd_bool(struct cur_rd *r, json_t *obj, const char *key, bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return cur_rd_fail(r, key, "must be true or false");
    *out = json_is_true(v);
    return 0;
}

int cur_rd_array(struct cur_rd *r, json_t *obj, const char *key, bool required, size_t min,
                 size_t max, json_t **out, size_t *n)
{
    int rc;
    *out = NULL;
    *n = 0;
    json_t *v = get(r, obj, key, required, &rc);
    if (!v)
        return rc;
    if (!json_is_array(v))
        return cur_rd_fail(r, key, "must be an array");
    size_t len = json_array_size(v);
    if (len < min || len > max)
        return cur_rd_fail(r, key, "must have %zu-%zu entries (has %zu)", min, max, len);
    *out = v;
    *n = len;
    return 0;
}

int cur_rd_object(struct cur_rd *r, json_t *obj, const char *key, bool required, json_t **out)
{
    int rc;
    *out = NULL;
    json_t *v = get(r, obj, key, required, &rc);
    if (!v)
        return rc;
    if (!json_is_object(v))
        return cur_rd_fail(r, key, "must be an object");
    *out = v;
    return 0;
}

int cur_rd_strs(struct cur_rd *r, json_t *obj, const char *key, bool required, size_t max_items,
                size_t max, const char ***out, size_t *n)
{
    json_t *arr;
    size_t len;
    int rc = cur_rd_array(r, obj, key, required, 1, max_items, &arr, &len);
    if (rc || !arr)
        return rc;
    const char **v = cur_rd_alloc(r, len, sizeof(*v));
    if (!v)
        return r->failed;
    size_t saved = cur_rd_push_key(r, key);
    for (size_t i = 0; i < len && !rc; i++) {
        size_t s2 = cur_rd_push_index(r, i);
        rc = check_str(r, NULL, json_array_get(arr, i), max, &v[i]);
        cur_rd_pop(r, s2);
    }
    cur_rd_pop(r, saved);
    *out = v;
    *n = len;
    return rc;
}

int cur_rd_range(struct cur_rd *r, json_t *obj, const char *key, int hi, int *first, int *last)
{
    json_t *arr;
    size_t n;
    int rc = cur_rd_array(r, obj, key, true, 2, 2, &arr, &n);
    if (rc)
        return rc;
    json_t *a = json_array_get(arr, 0), *b = json_array_get(arr, 1);
    if (!json_is_integer(a) || !json_is_integer(b))
        return cur_rd_fail(r, key, "must be [first, last] week numbers");
    json_int_t x = json_integer_value(a), y = json_integer_value(b);
    if (x < 1 || y < x || y > hi)
        return cur_rd_fail(r, key, "must be [first, last] with 1 <= first <= last <= %d", hi);
    *first = (int)x;
    *last = (int)y;
    return 0;
}

bool cur_rd_is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}
