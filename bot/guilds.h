/* guilds.h - the guild/channel cache and the channel-per-week map. Kept current from
 * gateway events (GUILD_CREATE/UPDATE/DELETE, CHANNEL_CREATE/UPDATE/DELETE) or, in
 * console mode, from a fixed local guild. Week channels are found by name: week-1,
 * week-01, week1, week-01-data-modeling (case-insensitive).
 *
 * What is cached is only what the bot reads: per guild its id and name, per channel its
 * id, name, type and week number. Parents, positions, topics, overwrites are not kept.
 * Layout (about 16 bytes + the name per channel): each guild holds its channels in one
 * array sorted by id and their names in one arena, so lookups are "channel X of guild
 * G" (binary search); the one lookup without a guild (guilds_channel_guild) walks the
 * guilds and is meant for rare callers (the operator's config feeds).
 *
 * Loop thread only; owns its memory. Strings returned as `const char *` are borrowed and
 * valid until the next change of the cache; ids are copied out into GUILDS_ID_LEN
 * buffers. */
#ifndef COHORT_GUILDS_H
#define COHORT_GUILDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define GUILDS_ID_LEN 24 /* a snowflake in decimal (up to 20 digits) + NUL */

struct guilds;

/* One channel as read from a gateway payload (borrowed strings). */
struct guild_chan {
    const char *id, *name;
    int type;
};

struct guilds *guilds_new(void);
void guilds_free(struct guilds *g);

/* Applies one dispatch event (t = event name, d = its data, borrowed). A GUILD_CREATE
 * whose channels arrive as a JSON array goes through guilds_load. Unknown events and
 * malformed data are ignored (logged at debug). Returns 1 if the cache changed, 0 if
 * not. */
int guilds_apply_event(struct guilds *g, const char *t, json_t *d);
/* A GUILD_CREATE read selectively (the gateway's gw_select): d without its channels
 * (id, name, unavailable used) and the channels as an array. Replaces the guild's
 * channel list. Channels with a bad id or no name are skipped. 1 if changed, 0 if not. */
int guilds_load(struct guilds *g, json_t *d, const struct guild_chan *ch, size_t n);

int guilds_add(struct guilds *g, const char *guild_id, const char *name);
int guilds_remove(struct guilds *g, const char *guild_id);
int guilds_channel_upsert(struct guilds *g, const char *guild_id, const char *channel_id,
                          const char *name, int type);
int guilds_channel_remove(struct guilds *g, const char *guild_id, const char *channel_id);

/* NULL / false / -1 when the guild or the channel is unknown. */
const char *guilds_channel_name(const struct guilds *g, const char *guild_id,
                                const char *channel_id);
bool guilds_channel_in(const struct guilds *g, const char *guild_id, const char *channel_id);
/* The channel's Discord type (0 text, 2 voice, 4 category, 5 announcement, …), or -1. */
int guilds_channel_type(const struct guilds *g, const char *guild_id, const char *channel_id);
/* The guild holding channel_id, into out; false when no cached guild has it. Walks the
 * guilds (O(guilds · log channels)): for rare callers only. */
bool guilds_channel_guild(const struct guilds *g, const char *channel_id, char out[GUILDS_ID_LEN]);
/* The text channel whose name maps to `week` in the guild (lowest id wins on ties). */
bool guilds_week_channel(const struct guilds *g, const char *guild_id, int week,
                         char out[GUILDS_ID_LEN]);
/* A channel of that name (case-insensitive) in the guild (lowest id wins). */
bool guilds_find_by_name(const struct guilds *g, const char *guild_id, const char *name,
                         char out[GUILDS_ID_LEN]);
bool guilds_known(const struct guilds *g, const char *guild_id);
int guilds_count(const struct guilds *g);
int guilds_channel_count(const struct guilds *g);
/* Bytes the cache has asked malloc for (tables, arrays, names), for benchmarks. */
size_t guilds_bytes(const struct guilds *g);

/* Week number encoded in a channel name (1-99), or 0. Pure. */
int guilds_week_of_name(const char *name);

#endif
