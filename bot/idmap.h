/* idmap.h - open-addressing hash map from a 64-bit id (a snowflake) to a pointer.
 * The map does not own the values. Any thread, not thread-safe. */
#ifndef COHORT_IDMAP_H
#define COHORT_IDMAP_H

#include <stddef.h>
#include <stdint.h>

struct idmap {
    uint64_t *keys; /* 0 = empty, UINT64_MAX = deleted */
    void **vals;
    size_t cap, len, used;
};

void idmap_init(struct idmap *m);
void idmap_free(struct idmap *m); /* frees the table, not the values */
/* key must not be 0 or UINT64_MAX. 0 or BOT_ENOMEM / BOT_EINVAL. Replaces. */
int idmap_put(struct idmap *m, uint64_t key, void *val);
void *idmap_get(const struct idmap *m, uint64_t key);
/* Returns the removed value or NULL. */
void *idmap_del(struct idmap *m, uint64_t key);
/* Iteration: for (size_t i = 0; idmap_next(m, &i, &k, &v);) */
int idmap_next(const struct idmap *m, size_t *pos, uint64_t *key, void **val);

#endif
