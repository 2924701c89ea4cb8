/* guilds.c - guild/channel cache and the channel-per-week map (see guilds.h). */
#include "bot/guilds.h"
#include "bot/err.h"
#include "bot/idmap.h"
#include "bot/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct gch { /* 16 bytes */
    uint64_t id;
    uint32_t name; /* offset into the guild's name arena */
    uint8_t type, week;
};

struct guild {
    uint64_t id;
    char *name;
    struct gch *ch; /* sorted by id */
    char *names;    /* NUL-terminated channel names */
    uint32_t n, cap, nlen, ncap, dead;
};

struct guilds {
    struct idmap by_guild; /* id -> struct guild* */
    size_t nchan, bytes;
};

static uint64_t parse_id(const char *s)
{
    if (!s || !isdigit((unsigned char)s[0]) || strlen(s) > 20)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    return (errno || *end || v == UINT64_MAX) ? 0 : (uint64_t)v;
}

static void id_out(uint64_t id, char out[GUILDS_ID_LEN])
{
    snprintf(out, GUILDS_ID_LEN, "%llu", (unsigned long long)id);
}

int guilds_week_of_name(const char *name)
{
    if (!name || strncasecmp(name, "week", 4) != 0)
        return 0;
    const char *p = name + 4;
    if (*p == '-' || *p == '_' || *p == ' ')
        p++;
    if (!isdigit((unsigned char)*p))
        return 0;
    int w = 0, nd = 0;
    while (isdigit((unsigned char)*p) && nd < 3) {
        w = w * 10 + (*p++ - '0');
        nd++;
    }
    if (*p && *p != '-' && *p != '_' && *p != ' ')
        return 0;
    return (w >= 1 && w <= 99) ? w : 0;
}

struct guilds *guilds_new(void)
{
    struct guilds *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    idmap_init(&g->by_guild);
    return g;
}

static void guild_free(struct guilds *g, struct guild *gu)
{
    if (!gu)
        return;
    g->nchan -= gu->n;
    g->bytes -= sizeof(*gu) + gu->cap * sizeof(struct gch) + gu->ncap +
                (gu->name ? strlen(gu->name) + 1 : 0);
    free(gu->name);
    free(gu->ch);
    free(gu->names);
    free(gu);
}

void guilds_free(struct guilds *g)
{
    if (!g)
        return;
    size_t pos = 0;
    uint64_t k;
    void *v;
    while (idmap_next(&g->by_guild, &pos, &k, &v))
        guild_free(g, v);
    idmap_free(&g->by_guild);
    free(g);
}

static struct guild *guild_of(const struct guilds *g, const char *guild_id)
{
    uint64_t id = parse_id(guild_id);
    return id ? idmap_get(&g->by_guild, id) : NULL;
}

static struct guild *guild_get_or_add(struct guilds *g, uint64_t id)
{
    if (!id)
        return NULL;
    struct guild *gu = idmap_get(&g->by_guild, id);
    if (gu)
        return gu;
    gu = calloc(1, sizeof(*gu));
    if (!gu || idmap_put(&g->by_guild, id, gu)) {
        free(gu);
        return NULL;
    }
    gu->id = id;
    g->bytes += sizeof(*gu);
    return gu;
}

static int guild_set_name(struct guilds *g, struct guild *gu, const char *name)
{
    if (!name || (gu->name && strcmp(gu->name, name) == 0))
        return 0;
    char *n = strdup(name);
    if (!n)
        return BOT_ENOMEM;
    g->bytes = g->bytes + strlen(n) + 1 - (gu->name ? strlen(gu->name) + 1 : 0);
    free(gu->name);
    gu->name = n;
    return 0;
}

int guilds_add(struct guilds *g, const char *guild_id, const char *name)
{
    struct guild *gu = guild_get_or_add(g, parse_id(guild_id));
    if (!gu)
        return BOT_EINVAL;
    return guild_set_name(g, gu, name);
}

int guilds_remove(struct guilds *g, const char *guild_id)
{
    struct guild *gu = idmap_del(&g->by_guild, parse_id(guild_id));
    if (!gu)
        return BOT_ENOTFOUND;
    guild_free(g, gu);
    return 0;
}

/* Index of the first channel with id >= cid. */
static uint32_t lower_bound(const struct guild *gu, uint64_t cid)
{
    uint32_t lo = 0, hi = gu->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (gu->ch[mid].id < cid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct gch *chan_of(const struct guild *gu, uint64_t cid)
{
    if (!gu || !cid)
        return NULL;
    uint32_t i = lower_bound(gu, cid);
    return i < gu->n && gu->ch[i].id == cid ? &gu->ch[i] : NULL;
}

/* Room for `need` channels; `exact` sizes the array to need (a full list), otherwise
 * it grows by doubling (one more channel). 0 or BOT_ENOMEM. */
static int grow_chans(struct guilds *g, struct guild *gu, uint32_t need, bool exact)
{
    if (exact ? need == gu->cap || need == 0 : need <= gu->cap)
        return 0;
    uint32_t cap = exact ? need : gu->cap ? gu->cap : 4;
    while (cap < need)
        cap *= 2;
    struct gch *p = realloc(gu->ch, cap * sizeof(*p));
    if (!p)
        return BOT_ENOMEM;
    g->bytes = g->bytes - gu->cap * sizeof(*p) + cap * sizeof(*p);
    gu->ch = p;
    gu->cap = cap;
    return 0;
}

/* Room for `need` bytes of names in all. 0 or BOT_ENOMEM. */
static int arena_reserve(struct guilds *g, struct guild *gu, size_t need, bool exact)
{
    if (need > UINT32_MAX / 2)
        return BOT_ENOMEM;
    if (exact ? need == gu->ncap || need == 0 : need <= gu->ncap)
        return 0;
    uint32_t cap = exact ? (uint32_t)need : gu->ncap ? gu->ncap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(gu->names, cap);
    if (!p)
        return BOT_ENOMEM;
    g->bytes = g->bytes - gu->ncap + cap;
    gu->names = p;
    gu->ncap = cap;
    return 0;
}

/* Appends name to the arena; its offset, or -1. */
static int64_t arena_add(struct guilds *g, struct guild *gu, const char *name, size_t len)
{
    if (len > UINT32_MAX / 4 || arena_reserve(g, gu, (size_t)gu->nlen + len + 1, false))
        return -1;
    uint32_t off = gu->nlen;
    memcpy(gu->names + off, name, len);
    gu->names[off + len] = '\0';
    gu->nlen += (uint32_t)len + 1;
    return off;
}

/* Rewrites the arena without the names of removed or renamed channels. */
static void arena_compact(struct guilds *g, struct guild *gu)
{
    size_t need = gu->nlen - gu->dead;
    char *p = malloc(need ? need : 1);
    if (!p)
        return; /* keep the garbage; still correct */
    uint32_t off = 0;
    for (uint32_t i = 0; i < gu->n; i++) {
        size_t len = strlen(gu->names + gu->ch[i].name) + 1;
        memcpy(p + off, gu->names + gu->ch[i].name, len);
        gu->ch[i].name = off;
        off += (uint32_t)len;
    }
    g->bytes -= gu->ncap;
    g->bytes += need ? need : 1;
    free(gu->names);
    gu->names = p;
    gu->nlen = gu->ncap = off;
    if (!gu->ncap)
        gu->ncap = 1;
    gu->dead = 0;
}

static void chan_fill(struct gch *c, uint64_t cid, uint32_t name_off, int type, const char *name)
{
    c->id = cid;
    c->name = name_off;
    c->type = type >= 0 && type <= 255 ? (uint8_t)type : 255;
    c->week = (type == 0 || type == 5) ? (uint8_t)guilds_week_of_name(name) : 0;
}

int guilds_channel_upsert(struct guilds *g, const char *guild_id, const char *channel_id,
                          const char *name, int type)
{
    uint64_t gid = parse_id(guild_id), cid = parse_id(channel_id);
    if (!gid || !cid || !name)
        return BOT_EINVAL;
    struct guild *gu = guild_get_or_add(g, gid);
    if (!gu)
        return BOT_ENOMEM;
    uint32_t i = lower_bound(gu, cid);
    bool found = i < gu->n && gu->ch[i].id == cid;
    if (found && strcmp(gu->names + gu->ch[i].name, name) == 0) {
        chan_fill(&gu->ch[i], cid, gu->ch[i].name, type, name);
        return 0;
    }
    if (!found && grow_chans(g, gu, gu->n + 1, false))
        return BOT_ENOMEM;
    int64_t off = arena_add(g, gu, name, strlen(name));
    if (off < 0)
        return BOT_ENOMEM;
    if (found) {
        gu->dead += (uint32_t)strlen(gu->names + gu->ch[i].name) + 1;
    } else {
        memmove(&gu->ch[i + 1], &gu->ch[i], (gu->n - i) * sizeof(gu->ch[0]));
        gu->n++;
        g->nchan++;
    }
    chan_fill(&gu->ch[i], cid, (uint32_t)off, type, name);
    if (gu->dead > 256 && gu->dead > gu->nlen / 2)
        arena_compact(g, gu);
    return 0;
}

int guilds_channel_remove(struct guilds *g, const char *guild_id, const char *channel_id)
{
    struct guild *gu = guild_of(g, guild_id);
    struct gch *c = chan_of(gu, parse_id(channel_id));
    if (!c)
        return BOT_ENOTFOUND;
    uint32_t i = (uint32_t)(c - gu->ch);
    gu->dead += (uint32_t)strlen(gu->names + c->name) + 1;
    memmove(&gu->ch[i], &gu->ch[i + 1], (gu->n - i - 1) * sizeof(gu->ch[0]));
    gu->n--;
    g->nchan--;
    if (gu->dead > 256 && gu->dead > gu->nlen / 2)
        arena_compact(g, gu);
    return 0;
}

static int cmp_gch(const void *a, const void *b)
{
    uint64_t x = ((const struct gch *)a)->id, y = ((const struct gch *)b)->id;
    return (x > y) - (x < y);
}

int guilds_load(struct guilds *g, json_t *d, const struct guild_chan *ch, size_t n)
{
    const char *gid = json_string_value(json_object_get(d, "id"));
    struct guild *gu = guild_get_or_add(g, parse_id(gid));
    if (!gu)
        return 0;
    if (json_is_true(json_object_get(d, "unavailable")))
        return 1; /* known, contents follow when it becomes available */
    if (guild_set_name(g, gu, json_string_value(json_object_get(d, "name"))))
        return 1;
    /* the full channel list replaces the old one: sizes first, then one pass */
    size_t bytes = 0;
    if (n > UINT32_MAX / 4)
        n = UINT32_MAX / 4;
    for (size_t i = 0; i < n; i++)
        bytes += ch[i].name ? strlen(ch[i].name) + 1 : 0;
    g->nchan -= gu->n;
    gu->n = 0;
    gu->nlen = gu->dead = 0;
    if (grow_chans(g, gu, (uint32_t)n, true) || arena_reserve(g, gu, bytes, true)) {
        log_warn("guilds", "out of memory caching guild %s", gid);
        return 1;
    }
    bool sorted = true;
    for (size_t i = 0; i < n; i++) {
        uint64_t cid = parse_id(ch[i].id);
        if (!cid || !ch[i].name) {
            log_debug("guilds", "skipped malformed channel guild=%s index=%zu", gid, i);
            continue;
        }
        int64_t off = arena_add(g, gu, ch[i].name, strlen(ch[i].name));
        if (off < 0)
            break;
        if (gu->n && gu->ch[gu->n - 1].id >= cid)
            sorted = false;
        chan_fill(&gu->ch[gu->n++], cid, (uint32_t)off, ch[i].type, ch[i].name);
    }
    if (!sorted) { /* sort, then drop duplicate ids (the first one stays) */
        qsort(gu->ch, gu->n, sizeof(gu->ch[0]), cmp_gch);
        uint32_t k = 0;
        for (uint32_t i = 0; i < gu->n; i++)
            if (!k || gu->ch[k - 1].id != gu->ch[i].id)
                gu->ch[k++] = gu->ch[i];
            else
                gu->dead += (uint32_t)strlen(gu->names + gu->ch[i].name) + 1;
        gu->n = k;
    }
    g->nchan += gu->n;
    return 1;
}

/* A channel object of a gateway payload (CHANNEL_* d or an element of channels). */
static bool chan_from_json(json_t *o, struct guild_chan *out)
{
    json_t *type = json_object_get(o, "type");
    out->id = json_string_value(json_object_get(o, "id"));
    out->name = json_string_value(json_object_get(o, "name"));
    out->type = json_is_integer(type) ? (int)json_integer_value(type) : -1;
    return out->id && out->name && json_is_integer(type);
}

static int apply_guild_create(struct guilds *g, json_t *d)
{
    json_t *arr = json_object_get(d, "channels");
    size_t n = json_array_size(arr), k = 0;
    struct guild_chan *ch = n ? calloc(n, sizeof(*ch)) : NULL;
    if (n && !ch)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (chan_from_json(json_array_get(arr, i), &ch[k]))
            k++;
    int rc = guilds_load(g, d, ch, k);
    free(ch);
    return rc;
}

int guilds_apply_event(struct guilds *g, const char *t, json_t *d)
{
    if (!t || !json_is_object(d))
        return 0;
    if (strcmp(t, "GUILD_CREATE") == 0)
        return apply_guild_create(g, d);
    if (strcmp(t, "GUILD_UPDATE") == 0) { /* no channels in it: the name may change */
        const char *gid = json_string_value(json_object_get(d, "id"));
        return guilds_known(g, gid) &&
               guilds_add(g, gid, json_string_value(json_object_get(d, "name"))) == 0;
    }
    if (strcmp(t, "GUILD_DELETE") == 0) {
        if (json_is_true(json_object_get(d, "unavailable")))
            return 0; /* outage: keep what we know */
        return guilds_remove(g, json_string_value(json_object_get(d, "id"))) == 0;
    }
    const char *gid = json_string_value(json_object_get(d, "guild_id"));
    if (strcmp(t, "CHANNEL_CREATE") == 0 || strcmp(t, "CHANNEL_UPDATE") == 0) {
        struct guild_chan c;
        return gid && chan_from_json(d, &c) &&
               guilds_channel_upsert(g, gid, c.id, c.name, c.type) == 0;
    }
    if (strcmp(t, "CHANNEL_DELETE") == 0)
        return guilds_channel_remove(g, gid, json_string_value(json_object_get(d, "id"))) == 0;
    return 0;
}

const char *guilds_channel_name(const struct guilds *g, const char *guild_id,
                                const char *channel_id)
{
    const struct guild *gu = guild_of(g, guild_id);
    const struct gch *c = chan_of(gu, parse_id(channel_id));
    return c ? gu->names + c->name : NULL;
}

bool guilds_channel_in(const struct guilds *g, const char *guild_id, const char *channel_id)
{
    return chan_of(guild_of(g, guild_id), parse_id(channel_id)) != NULL;
}

int guilds_channel_type(const struct guilds *g, const char *guild_id, const char *channel_id)
{
    const struct gch *c = chan_of(guild_of(g, guild_id), parse_id(channel_id));
    return c ? c->type : -1;
}

bool guilds_channel_guild(const struct guilds *g, const char *channel_id, char out[GUILDS_ID_LEN])
{
    uint64_t cid = parse_id(channel_id);
    size_t pos = 0;
    uint64_t k;
    void *v;
    while (cid && idmap_next(&g->by_guild, &pos, &k, &v)) {
        if (chan_of(v, cid)) {
            id_out(k, out);
            return true;
        }
    }
    return false;
}

bool guilds_week_channel(const struct guilds *g, const char *guild_id, int week,
                         char out[GUILDS_ID_LEN])
{
    const struct guild *gu = guild_of(g, guild_id);
    for (uint32_t i = 0; gu && week > 0 && i < gu->n; i++) { /* ascending ids */
        if (gu->ch[i].week == week) {
            id_out(gu->ch[i].id, out);
            return true;
        }
    }
    return false;
}

bool guilds_find_by_name(const struct guilds *g, const char *guild_id, const char *name,
                         char out[GUILDS_ID_LEN])
{
    const struct guild *gu = guild_of(g, guild_id);
    for (uint32_t i = 0; gu && name && i < gu->n; i++) {
        if (strcasecmp(gu->names + gu->ch[i].name, name) == 0) {
            id_out(gu->ch[i].id, out);
            return true;
        }
    }
    return false;
}

bool guilds_known(const struct guilds *g, const char *guild_id)
{
    return guild_of(g, guild_id) != NULL;
}

int guilds_count(const struct guilds *g)
{
    return (int)g->by_guild.len;
}

int guilds_channel_count(const struct guilds *g)
{
    return (int)g->nchan;
}

size_t guilds_bytes(const struct guilds *g)
{
    return g->bytes + g->by_guild.cap * (sizeof(uint64_t) + sizeof(void *));
}
