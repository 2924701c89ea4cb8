/* gw_select.c - the selective read of GUILD_CREATE / GUILD_UPDATE (gateway.h,
 * gw_select_guild): one bounded pass over d that builds a pruned jansson tree holding
 * only the guild keys listed below, and reads channels[] straight into a flat sink
 * (id, name, type per channel, strings in one arena) with no tree at all: a 10 KB
 * GUILD_CREATE was ~1,000 allocations as a full tree, ~250 as a pruned one, and is a
 * handful now. Skipped values are walked once, string- and nesting-aware, never
 * parsed. No recursion; pure; any thread. */
#include "bot/discord/gateway.h"
#include "bot/discord/gw_internal.h"
#include "bot/err.h"

#include <stdlib.h>
#include <string.h>

struct keep {
    const char *name;
    bool channels; /* an array of channel objects, read into the gw_chans sink */
};

/* What the guild cache (guilds.c) and the events.c handlers read; everything else in
 * the payload (members, roles, emojis, stickers, presences, threads, channel topics,
 * permission overwrites, ...) is dropped. A feature that needs another key adds it
 * here (and to gateway.h's list). */
static const struct keep guild_keep[] = {
    {"id", false},           {"name", false},
    {"unavailable", false},  {"owner_id", false},
    {"member_count", false}, {"channels", true},
    {"voice_states", false}, {"guild_scheduled_events", false},
};

static bool is_int(const char *p, size_t a, size_t b)
{
    size_t k = a + (p[a] == '-');
    if (k >= b || b - a > 19)
        return false;
    for (; k < b; k++)
        if (p[k] < '0' || p[k] > '9')
            return false;
    return true;
}

/* One value p[a..b) as jansson would give it; plain strings, small integers and
 * literals are built directly, anything else (escapes, floats, containers) by jansson. */
static json_t *value(const char *p, size_t a, size_t b)
{
    size_t len = b - a;
    if (p[a] == '"' && len >= 2 && !memchr(p + a + 1, '\\', len - 2))
        return json_stringn(p + a + 1, len - 2); /* NULL for invalid UTF-8 */
    if (len == 4 && memcmp(p + a, "true", 4) == 0)
        return json_true();
    if (len == 5 && memcmp(p + a, "false", 5) == 0)
        return json_false();
    if (len == 4 && memcmp(p + a, "null", 4) == 0)
        return json_null();
    if (is_int(p, a, b)) {
        char tmp[24];
        memcpy(tmp, p + a, len);
        tmp[len] = '\0';
        return json_integer(strtoll(tmp, NULL, 10));
    }
    return json_loadb(p + a, len, JSON_DECODE_ANY, NULL);
}

/* A JSON string literal p[a..b) (quotes included) as UTF-8 into the sink's arena; its
 * offset, or -1 when it is not a valid string. Plain strings are copied after a UTF-8
 * check; strings with escapes are decoded by jansson (rare in channel names). */
static int64_t str_to_arena(struct gw_chans *c, const char *p, size_t a, size_t b)
{
    if (p[a] != '"' || b - a < 2)
        return -1;
    const char *s = p + a + 1;
    size_t len = b - a - 2;
    json_t *dec = NULL;
    if (memchr(s, '\\', len)) {
        dec = json_loadb(p + a, b - a, JSON_DECODE_ANY, NULL);
        if (!json_is_string(dec)) {
            json_decref(dec);
            return -1;
        }
        s = json_string_value(dec);
        len = json_string_length(dec);
    } else if (!gw_utf8_valid(s, len)) {
        return -1;
    }
    int64_t off = -1;
    if (c->alen + len + 1 > c->acap) {
        size_t cap = c->acap ? c->acap : 4096;
        while (cap < c->alen + len + 1)
            cap *= 2;
        char *np = realloc(c->arena, cap);
        if (np) {
            c->arena = np;
            c->acap = cap;
        }
    }
    if (c->alen + len + 1 <= c->acap) {
        off = (int64_t)c->alen;
        memcpy(c->arena + c->alen, s, len);
        c->arena[c->alen + len] = '\0';
        c->alen += len + 1;
    }
    json_decref(dec);
    return off;
}

/* A plain non-negative integer of 1-3 digits in p[a..b), or -1 (a channel type). */
static long small_uint(const char *p, size_t a, size_t b)
{
    if (b <= a || b - a > 3)
        return -1;
    long v = 0;
    for (size_t q = a; q < b; q++) {
        if (p[q] < '0' || p[q] > '9')
            return -1;
        v = v * 10 + (p[q] - '0');
    }
    return v;
}

/* One channel object at p[*pi] into the sink (id, name, type; the rest skipped).
 * 0, or BOT_EPROTO when it is malformed. A channel without a usable id, name or type
 * is walked and not kept. */
static int read_channel(const char *p, size_t *pi, size_t n, struct gw_chans *c)
{
    size_t i = gw_json_ws(p, *pi + 1, n);
    int64_t id = -1, name = -1;
    long type = -1;
    bool empty = i < n && p[i] == '}';
    while (i < n && !empty) {
        size_t ks = i;
        if (p[i] != '"' || gw_json_skip(p, &i, n) < 0)
            return BOT_EPROTO;
        size_t klen = i - ks - 2;
        const char *k = p + ks + 1;
        i = gw_json_ws(p, i, n);
        if (i >= n || p[i] != ':')
            return BOT_EPROTO;
        i = gw_json_ws(p, i + 1, n);
        size_t vs = i;
        if (gw_json_skip(p, &i, n) < 0)
            return BOT_EPROTO;
        if (klen == 2 && memcmp(k, "id", 2) == 0)
            id = str_to_arena(c, p, vs, i);
        else if (klen == 4 && memcmp(k, "name", 4) == 0)
            name = str_to_arena(c, p, vs, i);
        else if (klen == 4 && memcmp(k, "type", 4) == 0)
            type = small_uint(p, vs, i);
        i = gw_json_ws(p, i, n);
        if (i < n && p[i] == ',') {
            i = gw_json_ws(p, i + 1, n);
            continue;
        }
        break;
    }
    if (i >= n || p[i] != '}')
        return BOT_EPROTO;
    *pi = i + 1;
    if (id < 0 || name < 0 || type < 0)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct gw_chan_off *v = realloc(c->off, cap * sizeof(*v));
        if (!v)
            return 0; /* out of memory: the channel is not kept */
        c->off = v;
        c->cap = cap;
    }
    c->off[c->n++] = (struct gw_chan_off){(size_t)id, (size_t)name, (int)type};
    return 0;
}

/* The channels array at p[*pi] into the sink; elements that are not objects are
 * skipped. 0 or BOT_EPROTO. */
static int read_channels(const char *p, size_t *pi, size_t n, struct gw_chans *c)
{
    size_t i = gw_json_ws(p, *pi + 1, n);
    if (i < n && p[i] == ']') {
        *pi = i + 1;
        return 0;
    }
    while (i < n) {
        if (p[i] == '{' ? read_channel(p, &i, n, c) < 0 : gw_json_skip(p, &i, n) < 0)
            return BOT_EPROTO;
        i = gw_json_ws(p, i, n);
        if (i < n && p[i] == ',') {
            i = gw_json_ws(p, i + 1, n);
            continue;
        }
        if (i < n && p[i] == ']') {
            *pi = i + 1;
            return 0;
        }
        break;
    }
    return BOT_EPROTO;
}

static const struct keep *find_key(const char *k, size_t klen, const struct keep *keep,
                                   size_t nkeep)
{
    for (size_t j = 0; j < nkeep; j++)
        if (strlen(keep[j].name) == klen && memcmp(keep[j].name, k, klen) == 0)
            return &keep[j];
    return NULL;
}

/* The object at p[*pi] with only the kept keys; NULL when it is malformed. */
static json_t *select_obj(const char *p, size_t *pi, size_t n, const struct keep *keep,
                          size_t nkeep, struct gw_chans *c)
{
    size_t i = gw_json_ws(p, *pi + 1, n);
    json_t *o = json_object();
    if (i < n && p[i] == '}') {
        *pi = i + 1;
        return o;
    }
    while (o) {
        size_t ks = i;
        if (i >= n || p[i] != '"' || gw_json_skip(p, &i, n) < 0)
            break;
        const struct keep *k = find_key(p + ks + 1, i - ks - 2, keep, nkeep);
        i = gw_json_ws(p, i, n);
        if (i >= n || p[i] != ':')
            break;
        i = gw_json_ws(p, i + 1, n);
        size_t vs = i;
        json_t *v = NULL;
        if (k && k->channels && i < n && p[i] == '[') {
            if (read_channels(p, &i, n, c) < 0)
                break;
        } else if (gw_json_skip(p, &i, n) < 0)
            break;
        else if (k)
            v = value(p, vs, i);
        if (v)
            json_object_set_new(o, k->name, v);
        i = gw_json_ws(p, i, n);
        if (i < n && p[i] == ',') {
            i = gw_json_ws(p, i + 1, n);
            continue;
        }
        if (i < n && p[i] == '}') {
            *pi = i + 1;
            return o;
        }
        break;
    }
    json_decref(o);
    return NULL;
}

json_t *gw_select_guild(const char *p, size_t len, struct gw_chans *c)
{
    c->n = c->alen = 0;
    size_t i = gw_json_ws(p, 0, len);
    if (i >= len || p[i] != '{')
        return NULL;
    json_t *o = select_obj(p, &i, len, guild_keep, sizeof(guild_keep) / sizeof(guild_keep[0]), c);
    if (o && gw_json_ws(p, i, len) != len) {
        json_decref(o);
        o = NULL;
    }
    if (!o) {
        c->n = 0;
        return NULL;
    }
    /* the arena is complete: offsets become pointers */
    if (c->n > c->vcap) {
        struct guild_chan *v = realloc(c->v, c->n * sizeof(*v));
        if (!v) {
            c->n = 0;
            return o;
        }
        c->v = v;
        c->vcap = c->n;
    }
    for (size_t k = 0; k < c->n; k++)
        c->v[k] =
            (struct guild_chan){c->arena + c->off[k].id, c->arena + c->off[k].name, c->off[k].type};
    return o;
}

void gw_chans_free(struct gw_chans *c)
{
    free(c->off);
    free(c->v);
    free(c->arena);
    memset(c, 0, sizeof(*c));
}

bool gw_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    while (p < e) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t need;
        unsigned cp, min;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1, cp = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if ((size_t)(e - p) <= need)
            return false;
        for (size_t k = 1; k <= need; k++) {
            if ((p[k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += need + 1;
    }
    return true;
}
