/* fake_shards.c - sharding in the fake Discord (config {"shards": N,
 * "max_concurrency": M, "guilds": ["id", …]}): several gateway sockets at once, one per
 * shard; an IDENTIFY must carry shard [id, N] (else close 4010/4011); READY is followed
 * by a GUILD_CREATE for each configured guild of that shard (channels #general =
 * guild id + 1 and #week-1 = guild id + 2); every dispatch whose guild is known goes
 * only to the shard (guild_id >> 22) % N. IDENTIFYs in one bucket (shard id % M) less
 * than 5 s apart are counted in "identify_too_soon" (/_ctl/log). Test code only. */
#include "fake.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fake_shards_config(struct fake *f, json_t *b)
{
    json_t *v;
    if ((v = json_object_get(b, "shards")))
        f->shard_count = (int)json_integer_value(v);
    if (f->shard_count > FAKE_MAX_SHARDS)
        f->shard_count = FAKE_MAX_SHARDS;
    if ((v = json_object_get(b, "max_concurrency")))
        f->max_concurrency = (int)json_integer_value(v);
    if ((v = json_object_get(b, "guilds")) && json_is_array(v)) {
        json_decref(f->shard_guilds);
        f->shard_guilds = json_incref(v);
    }
}

static int shard_of(const char *gid, int n)
{
    uint64_t id = gid ? strtoull(gid, NULL, 10) : 0;
    return n > 1 ? (int)((id >> 22) % (uint64_t)n) : 0;
}

int fake_shard_route(struct fake *f, const char *t, json_t *d)
{
    const char *gid = json_string_value(json_object_get(d, "guild_id"));
    if (!gid && t && !strncmp(t, "GUILD_", 6))
        gid = json_string_value(json_object_get(d, "id"));
    return gid ? shard_of(gid, f->shard_count) : -1;
}

/* An IDENTIFY on socket p: 0 = accepted (p->shard set), else the close code. */
int fake_shard_identify(struct fake *f, struct fake_pss *p, json_t *d)
{
    json_t *sh = json_object_get(d, "shard");
    if (!json_is_array(sh))
        return 4011; /* sharding required */
    int id = (int)json_integer_value(json_array_get(sh, 0));
    int n = (int)json_integer_value(json_array_get(sh, 1));
    if (n != f->shard_count || id < 0 || id >= n)
        return 4010; /* invalid shard */
    int mc = f->max_concurrency > 0 ? f->max_concurrency : 1;
    int bucket = id % mc;
    int64_t now = fake_ms(f);
    if (f->bucket_last[bucket] > 0 && now - f->bucket_last[bucket] < 5000)
        f->identify_too_soon++;
    f->bucket_last[bucket] = now;
    p->shard = id;
    f->shard_pss[id] = p;
    return 0;
}

void fake_shard_guilds(struct fake *f, int shard)
{
    size_t i;
    json_t *g;
    json_array_foreach(f->shard_guilds, i, g)
    {
        const char *gid = json_string_value(g);
        if (!gid || shard_of(gid, f->shard_count) != shard)
            continue;
        uint64_t id = strtoull(gid, NULL, 10);
        char general[24], week[24];
        snprintf(general, sizeof(general), "%" PRIu64, id + 1);
        snprintf(week, sizeof(week), "%" PRIu64, id + 2);
        fake_dispatch(f, "GUILD_CREATE",
                      json_pack("{s:s, s:s, s:[{s:s, s:i, s:s, s:s}, {s:s, s:i, s:s, s:s}]}", "id",
                                gid, "name", "Study Guild", "channels", "id", general, "type", 0,
                                "name", "general", "guild_id", gid, "id", week, "type", 0, "name",
                                "week-1", "guild_id", gid));
    }
}

void fake_shard_closed(struct fake *f, struct fake_pss *p)
{
    for (int i = 0; i < FAKE_MAX_SHARDS; i++)
        if (f->shard_pss[i] == p)
            f->shard_pss[i] = NULL;
}
