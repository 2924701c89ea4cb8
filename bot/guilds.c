/* guilds.c - guild/channel cache and the channel-per-week map (see guilds.h). */
#include "bot/guilds.h"
#include "bot/err.h"
#include "bot/idmap.h"
#include "bot/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct chan {
    uint64_t id, guild, parent;
    int type, week;
    char *name;
    char idstr[24], guildstr[24];
};

struct guild {
    uint64_t id;
    char *name;
    uint64_t *chans; /* ids of this guild's channels */
    size_t n, cap;
};

struct guilds {
    struct idmap by_guild; /* id -> struct guild* */
    struct idmap by_chan;  /* id -> struct chan* */
};

static uint64_t parse_id(const char *s)
{
    if (!s || !*s || strlen(s) > 20)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    return (errno || *end || !isdigit((unsigned char)s[0])) ? 0 : (uint64_t)v;
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
    idmap_init(&g->by_chan);
    return g;
}

static void chan_free(struct chan *c)
{
    if (c) {
        free(c->name);
        free(c);
    }
}

static void guild_free(struct guild *gu)
{
    if (gu) {
        free(gu->name);
        free(gu->chans);
        free(gu);
    }
}

void guilds_free(struct guilds *g)
{
    if (!g)
        return;
    size_t pos = 0;
    uint64_t k;
    void *v;
    while (idmap_next(&g->by_chan, &pos, &k, &v))
        chan_free(v);
    pos = 0;
    while (idmap_next(&g->by_guild, &pos, &k, &v))
        guild_free(v);
    idmap_free(&g->by_chan);
    idmap_free(&g->by_guild);
    free(g);
}

static struct guild *guild_get_or_add(struct guilds *g, uint64_t id)
{
    struct guild *gu = idmap_get(&g->by_guild, id);
    if (gu)
        return gu;
    gu = calloc(1, sizeof(*gu));
    if (!gu || idmap_put(&g->by_guild, id, gu)) {
        free(gu);
        return NULL;
    }
    gu->id = id;
    return gu;
}

int guilds_add(struct guilds *g, const char *guild_id, const char *name)
{
    struct guild *gu = guild_get_or_add(g, parse_id(guild_id));
    if (!gu)
        return BOT_EINVAL;
    if (name) {
        char *n = strdup(name);
        if (!n)
            return BOT_ENOMEM;
        free(gu->name);
        gu->name = n;
    }
    return 0;
}

static void guild_drop_chan(struct guild *gu, uint64_t cid)
{
    for (size_t i = 0; gu && i < gu->n; i++) {
        if (gu->chans[i] == cid) {
            gu->chans[i] = gu->chans[--gu->n];
            return;
        }
    }
}

int guilds_channel_remove(struct guilds *g, const char *channel_id)
{
    struct chan *c = idmap_del(&g->by_chan, parse_id(channel_id));
    if (!c)
        return BOT_ENOTFOUND;
    guild_drop_chan(idmap_get(&g->by_guild, c->guild), c->id);
    chan_free(c);
    return 0;
}

static void guild_clear(struct guilds *g, struct guild *gu)
{
    for (size_t i = 0; i < gu->n; i++)
        chan_free(idmap_del(&g->by_chan, gu->chans[i]));
    gu->n = 0;
}

int guilds_remove(struct guilds *g, const char *guild_id)
{
    struct guild *gu = idmap_del(&g->by_guild, parse_id(guild_id));
    if (!gu)
        return BOT_ENOTFOUND;
    guild_clear(g, gu);
    guild_free(gu);
    return 0;
}

int guilds_channel_upsert(struct guilds *g, const char *guild_id, const char *channel_id,
                          const char *name, int type, const char *parent_id)
{
    uint64_t gid = parse_id(guild_id), cid = parse_id(channel_id);
    if (!gid || !cid || !name)
        return BOT_EINVAL;
    struct guild *gu = guild_get_or_add(g, gid);
    char *n = strdup(name);
    if (!gu || !n) {
        free(n);
        return BOT_ENOMEM;
    }
    struct chan *c = idmap_get(&g->by_chan, cid);
    if (c && c->guild != gid) { /* moved between guilds: should not happen, handle anyway */
        guild_drop_chan(idmap_get(&g->by_guild, c->guild), cid);
        c->guild = 0;
    }
    if (!c) {
        c = calloc(1, sizeof(*c));
        if (!c || idmap_put(&g->by_chan, cid, c)) {
            free(c);
            free(n);
            return BOT_ENOMEM;
        }
    }
    if (c->guild != gid) {
        if (gu->n == gu->cap) {
            size_t cap = gu->cap ? gu->cap * 2 : 8;
            uint64_t *p = realloc(gu->chans, cap * sizeof(*p));
            if (!p) {
                chan_free(idmap_del(&g->by_chan, cid));
                free(n);
                return BOT_ENOMEM;
            }
            gu->chans = p;
            gu->cap = cap;
        }
        gu->chans[gu->n++] = cid;
    }
    free(c->name);
    c->name = n;
    c->id = cid;
    c->guild = gid;
    c->parent = parse_id(parent_id);
    c->type = type;
    c->week = (type == 0 || type == 5) ? guilds_week_of_name(name) : 0;
    snprintf(c->idstr, sizeof(c->idstr), "%llu", (unsigned long long)cid);
    snprintf(c->guildstr, sizeof(c->guildstr), "%llu", (unsigned long long)gid);
    return 0;
}

static int apply_channel(struct guilds *g, const char *gid, json_t *ch)
{
    const char *cid = json_string_value(json_object_get(ch, "id"));
    const char *name = json_string_value(json_object_get(ch, "name"));
    json_t *type = json_object_get(ch, "type");
    if (!gid || !cid || !name || !json_is_integer(type))
        return BOT_EINVAL;
    return guilds_channel_upsert(g, gid, cid, name, (int)json_integer_value(type),
                                 json_string_value(json_object_get(ch, "parent_id")));
}

static int apply_guild_create(struct guilds *g, json_t *d)
{
    const char *gid = json_string_value(json_object_get(d, "id"));
    struct guild *gu = guild_get_or_add(g, parse_id(gid));
    if (!gu)
        return 0;
    if (json_is_true(json_object_get(d, "unavailable")))
        return 1;
    guilds_add(g, gid, json_string_value(json_object_get(d, "name")));
    guild_clear(g, gu); /* a GUILD_CREATE carries the full channel list */
    size_t i;
    json_t *ch;
    json_array_foreach(json_object_get(d, "channels"), i, ch)
    {
        if (apply_channel(g, gid, ch))
            log_debug("guilds", "skipped malformed channel guild=%s index=%zu", gid, i);
    }
    return 1;
}

int guilds_apply_event(struct guilds *g, const char *t, json_t *d)
{
    if (!t || !json_is_object(d))
        return 0;
    if (strcmp(t, "GUILD_CREATE") == 0)
        return apply_guild_create(g, d);
    if (strcmp(t, "GUILD_DELETE") == 0) {
        if (json_is_true(json_object_get(d, "unavailable")))
            return 0; /* outage: keep what we know */
        return guilds_remove(g, json_string_value(json_object_get(d, "id"))) == 0;
    }
    if (strcmp(t, "CHANNEL_CREATE") == 0 || strcmp(t, "CHANNEL_UPDATE") == 0) {
        const char *gid = json_string_value(json_object_get(d, "guild_id"));
        return gid && apply_channel(g, gid, d) == 0;
    }
    if (strcmp(t, "CHANNEL_DELETE") == 0)
        return guilds_channel_remove(g, json_string_value(json_object_get(d, "id"))) == 0;
    return 0;
}

const char *guilds_channel_name(const struct guilds *g, const char *channel_id)
{
    struct chan *c = idmap_get(&g->by_chan, parse_id(channel_id));
    return c ? c->name : NULL;
}

const char *guilds_channel_guild(const struct guilds *g, const char *channel_id)
{
    struct chan *c = idmap_get(&g->by_chan, parse_id(channel_id));
    return c ? c->guildstr : NULL;
}

int guilds_channel_type(const struct guilds *g, const char *channel_id)
{
    struct chan *c = idmap_get(&g->by_chan, parse_id(channel_id));
    return c ? c->type : -1;
}

const char *guilds_week_channel(const struct guilds *g, const char *guild_id, int week)
{
    struct guild *gu = idmap_get(&g->by_guild, parse_id(guild_id));
    struct chan *best = NULL;
    for (size_t i = 0; gu && i < gu->n; i++) {
        struct chan *c = idmap_get(&g->by_chan, gu->chans[i]);
        if (c && c->week == week && week > 0 && (!best || c->id < best->id))
            best = c;
    }
    return best ? best->idstr : NULL;
}

const char *guilds_find_by_name(const struct guilds *g, const char *guild_id, const char *name)
{
    struct guild *gu = idmap_get(&g->by_guild, parse_id(guild_id));
    for (size_t i = 0; gu && name && i < gu->n; i++) {
        struct chan *c = idmap_get(&g->by_chan, gu->chans[i]);
        if (c && strcasecmp(c->name, name) == 0)
            return c->idstr;
    }
    return NULL;
}

bool guilds_known(const struct guilds *g, const char *guild_id)
{
    return idmap_get(&g->by_guild, parse_id(guild_id)) != NULL;
}

int guilds_count(const struct guilds *g)
{
    return (int)g->by_guild.len;
}

int guilds_channel_count(const struct guilds *g)
{
    return (int)g->by_chan.len;
}
