/* curriculum_rd.h - internal to config/curriculum*.c: a typed reader over a jansson
 * tree that tracks the JSON path of what it reads, so every problem is reported as
 * "file: weeks[3].days[2].lab: missing", and a bump arena for the parsed arrays.
 * Not a public header: nothing outside config/curriculum*.c includes it. */
#ifndef COHORT_CURRICULUM_RD_H
#define COHORT_CURRICULUM_RD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define CUR_RD_PATH_MAX 160

/* String length classes (bytes of UTF-8). */
enum cur_rd_len {
    CUR_RD_SHORT = 200, /* names, titles, topics, labels */
    CUR_RD_TEXT = 1000, /* one field of a day or one list item (an embed field holds 1024) */
    CUR_RD_LONG = 4000, /* descriptions and summaries */
};

struct cur_rd {
    const char *name; /* file name for messages; borrowed */
    char *err;        /* caller's BOT_ERR_LEN buffer; borrowed */
    char path[CUR_RD_PATH_MAX];
    size_t plen;
    void *mem;         /* arena chain; handed to the curriculum on success */
    int failed;        /* 0, or the first BOT_E* code */
    size_t week_index; /* scratch for the section readers: the week being read */
};

/* Records the first problem as "name: path.key: message" (later ones are ignored);
 * key may be NULL. Returns BOT_EINVAL (or the code already recorded). */
int cur_rd_fail(struct cur_rd *r, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cur_rd_nomem(struct cur_rd *r);

/* Path steps: push returns the previous length to pass to rd_pop. */
size_t cur_rd_push_key(struct cur_rd *r, const char *key);
size_t cur_rd_push_index(struct cur_rd *r, size_t i);
void cur_rd_pop(struct cur_rd *r, size_t saved);

/* Zeroed arena memory for n objects of `size` (NULL on overflow or ENOMEM, recorded). */
void *cur_rd_alloc(struct cur_rd *r, size_t n, size_t size);
void cur_rd_arena_free(void *mem);

/* Every key of obj must be in the NULL-terminated `known` list. */
int cur_rd_keys(struct cur_rd *r, json_t *obj, const char *const *known);

/* Typed getters. When `required` is false and the key is absent, *out is left as is
 * (callers zero it first) and 0 is returned. Strings are borrowed from the tree. */
int cur_rd_str(struct cur_rd *r, json_t *obj, const char *key, bool required, size_t max,
               const char **out);
int cur_rd_int(struct cur_rd *r, json_t *obj, const char *key, bool required, long lo, long hi,
               int *out);
int cur_rd_num(struct cur_rd *r, json_t *obj, const char *key, bool required, double lo, double hi,
               double *out);
int cur_rd_bool(struct cur_rd *r, json_t *obj, const char *key, bool *out);
/* An array with min..max elements (absent and not required: *out = NULL, *n = 0). */
int cur_rd_array(struct cur_rd *r, json_t *obj, const char *key, bool required, size_t min,
                 size_t max, json_t **out, size_t *n);
/* An object (absent and not required: *out = NULL). */
int cur_rd_object(struct cur_rd *r, json_t *obj, const char *key, bool required, json_t **out);
/* An array of 1..max_items strings, each non-blank and at most `max` bytes. */
int cur_rd_strs(struct cur_rd *r, json_t *obj, const char *key, bool required, size_t max_items,
                size_t max, const char ***out, size_t *n);
/* A [first, last] pair of integers with 1 <= first <= last <= hi. */
int cur_rd_range(struct cur_rd *r, json_t *obj, const char *key, int hi, int *first, int *last);
struct curriculum;
/* Reads and validates the whole tree into c (curriculum_sections.c). */
int cur_rd_curriculum(struct cur_rd *r, struct curriculum *c, json_t *root);

/* A slug: 1-64 of [a-z0-9-], not starting or ending with '-'. */
bool cur_rd_is_slug(const char *s);

#endif
