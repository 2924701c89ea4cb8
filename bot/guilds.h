/* guilds.h - the guild/channel cache and the channel-per-week map. Kept current from
 * gateway events (GUILD_CREATE/DELETE, CHANNEL_CREATE/UPDATE/DELETE) or, in console
 * mode, from a fixed local guild. Week channels are found by name: week-1, week-01,
 * week1, week-01-data-modeling (case-insensitive). Loop thread only; owns its memory. */
#ifndef COHORT_GUILDS_H
#define COHORT_GUILDS_H

#include <jansson.h>
#include <stdbool.h>

struct guilds;

struct guilds *guilds_new(void);
void guilds_free(struct guilds *g);

/* Applies one dispatch event (t = event name, d = its data, borrowed). Unknown
 * events and malformed data are ignored (logged at debug). Returns 1 if the cache
 * changed, 0 if not. */
int guilds_apply_event(struct guilds *g, const char *t, json_t *d);

int guilds_add(struct guilds *g, const char *guild_id, const char *name);
int guilds_remove(struct guilds *g, const char *guild_id);
int guilds_channel_upsert(struct guilds *g, const char *guild_id, const char *channel_id,
                          const char *name, int type, const char *parent_id);
int guilds_channel_remove(struct guilds *g, const char *channel_id);

/* Borrowed strings, valid until the next change. NULL when unknown. */
const char *guilds_channel_name(const struct guilds *g, const char *channel_id);
const char *guilds_channel_guild(const struct guilds *g, const char *channel_id);
/* The channel's Discord type (0 text, 2 voice, 4 category, 5 announcement, …), or -1. */
int guilds_channel_type(const struct guilds *g, const char *channel_id);
/* The text channel whose name maps to `week` in the guild (lowest id wins on ties). */
const char *guilds_week_channel(const struct guilds *g, const char *guild_id, int week);
/* A channel of that name (case-insensitive) in the guild, or NULL. */
const char *guilds_find_by_name(const struct guilds *g, const char *guild_id, const char *name);
bool guilds_known(const struct guilds *g, const char *guild_id);
int guilds_count(const struct guilds *g);
int guilds_channel_count(const struct guilds *g);

/* Week number encoded in a channel name (1-99), or 0. Pure. */
int guilds_week_of_name(const char *name);

#endif
