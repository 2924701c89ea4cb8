/* idmap.c - 64-bit id -> pointer hash map, linear probing with tombstones. */
#include "bot/idmap.h"
#include "bot/err.h"

#include <stdlib.h>

#define DELETED UINT64_MAX

void idmap_init(struct idmap *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->len = m->used = 0;
}

void idmap_free(struct idmap *m)
{
    free(m->keys);
    free(m->vals);
    idmap_init(m);
}

static size_t slot_of(uint64_t k, size_t cap)
{
    k ^= k >> 33;
    k *= UINT64_C(0xff51afd7ed558ccd);
    k ^= k >> 33;
    return (size_t)(k & (cap - 1));
}

static int rehash(struct idmap *m, size_t cap)
{
    uint64_t *keys = calloc(cap, sizeof(*keys));
    void **vals = calloc(cap, sizeof(*vals));
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return BOT_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == 0 || m->keys[i] == DELETED)
            continue;
        size_t s = slot_of(m->keys[i], cap);
        while (keys[s])
            s = (s + 1) & (cap - 1);
        keys[s] = m->keys[i];
        vals[s] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    m->used = m->len;
    return 0;
}

int idmap_put(struct idmap *m, uint64_t key, void *val)
{
    if (key == 0 || key == DELETED)
        return BOT_EINVAL;
    if ((m->used + 1) * 4 >= m->cap * 3) {
        size_t cap = m->cap ? m->cap : 16;
        while ((m->len + 1) * 2 >= cap)
            cap *= 2;
        int rc = rehash(m, cap);
        if (rc)
            return rc;
    }
    size_t s = slot_of(key, m->cap), tomb = SIZE_MAX;
    while (m->keys[s]) {
        if (m->keys[s] == key) {
            m->vals[s] = val;
            return 0;
        }
        if (m->keys[s] == DELETED && tomb == SIZE_MAX)
            tomb = s;
        s = (s + 1) & (m->cap - 1);
    }
    if (tomb != SIZE_MAX)
        s = tomb;
    else
        m->used++;
    m->keys[s] = key;
    m->vals[s] = val;
    m->len++;
    return 0;
}

static size_t find(const struct idmap *m, uint64_t key)
{
    if (!m->cap || key == 0 || key == DELETED)
        return SIZE_MAX;
    size_t s = slot_of(key, m->cap);
    while (m->keys[s]) {
        if (m->keys[s] == key)
            return s;
        s = (s + 1) & (m->cap - 1);
    }
    return SIZE_MAX;
}

void *idmap_get(const struct idmap *m, uint64_t key)
{
    size_t s = find(m, key);
    return s == SIZE_MAX ? NULL : m->vals[s];
}

void *idmap_del(struct idmap *m, uint64_t key)
{
    size_t s = find(m, key);
    if (s == SIZE_MAX)
        return NULL;
    void *v = m->vals[s];
    m->keys[s] = DELETED;
    m->vals[s] = NULL;
    m->len--;
    return v;
}

int idmap_next(const struct idmap *m, size_t *pos, uint64_t *key, void **val)
{
    for (; *pos < m->cap; (*pos)++) {
        if (m->keys[*pos] && m->keys[*pos] != DELETED) {
            *key = m->keys[*pos];
            *val = m->vals[*pos];
            (*pos)++;
            return 1;
        }
    }
    return 0;
}
