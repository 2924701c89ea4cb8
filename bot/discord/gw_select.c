/* gw_select.c - the selective read of GUILD_CREATE / GUILD_UPDATE (gateway.h,
 * gw_select_guild): one bounded pass over d that builds a pruned jansson tree holding
 * only the keys listed below, instead of the whole tree (a 10 KB GUILD_CREATE is ~1,000
 * allocations as a full tree). Skipped values are walked once, string- and
 * nesting-aware, never parsed. No recursion past two levels; pure; any thread. */
#include "bot/discord/gateway.h"
#include "bot/discord/gw_internal.h"

#include <stdlib.h>
#include <string.h>

struct keep {
    const char *name;
    bool channels; /* an array of channel objects, each pruned to chan_keep */
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
static const struct keep chan_keep[] = {
    {"id", false},        {"name", false},     {"type", false},
    {"parent_id", false}, {"guild_id", false}, {"position", false},
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

static json_t *select_obj(const char *p, size_t *pi, size_t n, const struct keep *keep,
                          size_t nkeep);

/* An array of channel objects at p[*pi]; elements that are not objects are skipped. */
static json_t *select_channels(const char *p, size_t *pi, size_t n)
{
    size_t i = *pi;
    if (i >= n || p[i] != '[')
        return NULL;
    json_t *arr = json_array();
    i = gw_json_ws(p, i + 1, n);
    if (i < n && p[i] == ']') {
        *pi = i + 1;
        return arr;
    }
    while (arr) {
        if (i < n && p[i] == '{') {
            json_t *o = select_obj(p, &i, n, chan_keep, sizeof(chan_keep) / sizeof(chan_keep[0]));
            if (!o)
                break; /* a malformed element */
            json_array_append_new(arr, o);
        } else if (gw_json_skip(p, &i, n) < 0)
            break;
        i = gw_json_ws(p, i, n);
        if (i < n && p[i] == ',') {
            i = gw_json_ws(p, i + 1, n);
            continue;
        }
        if (i < n && p[i] == ']') {
            *pi = i + 1;
            return arr;
        }
        break;
    }
    json_decref(arr);
    return NULL;
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
                          size_t nkeep)
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
            if (!(v = select_channels(p, &i, n)))
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

json_t *gw_select_guild(const char *p, size_t len)
{
    size_t i = gw_json_ws(p, 0, len);
    if (i >= len || p[i] != '{')
        return NULL;
    json_t *o = select_obj(p, &i, len, guild_keep, sizeof(guild_keep) / sizeof(guild_keep[0]));
    if (o && gw_json_ws(p, i, len) != len) {
        json_decref(o);
        return NULL;
    }
    return o;
}
