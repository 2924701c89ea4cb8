/* events.h - gateway dispatch by event name: READY (command registration when the
 * table changed), GUILD_CREATE/GUILD_DELETE/CHANNEL_* (guild cache), INTERACTION_CREATE
 * (ix_parse + cmd_dispatch); everything else ignored. Counts events by type for
 * /metrics. Loop thread only. Borrows app and rest; owns nothing else. */
#ifndef COHORT_EVENTS_H
#define COHORT_EVENTS_H

#include "bot/guilds.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct app;
struct rest;
struct events;

/* NULL on allocation failure. app and rest (may be NULL: no registration) are
 * borrowed and must outlive the result. */
struct events *events_new(struct app *app, struct rest *rest);
void events_free(struct events *e);

/* Counts t and tells whether it has a handler (only those are parsed). */
bool events_wants(struct events *e, const char *t);
/* Handles one event (d borrowed). ch/nch: a GUILD_CREATE's channels when the gateway
 * read them selectively (d then has no "channels"); NULL/0 otherwise. */
void events_dispatch(struct events *e, const char *t, json_t *d, const struct guild_chan *ch,
                     size_t nch);
/* Each counted type, for /metrics. */
void events_each_count(const struct events *e, void (*fn)(void *arg, const char *t, uint64_t n),
                       void *arg);
/* Registration outcome: 0 not yet, 1 unchanged (skipped), 2 registered, <0 failed. */
int events_registration_state(const struct events *e);

/* Pure helpers. Is a guild id ours under sharding (count <= 1: always)? */
bool events_guild_is_ours(const char *guild_id, int shard_id, int shard_count);
/* Hex FNV-1a 64 of the compact, key-sorted registration JSON into out[17]. */
int events_commands_hash(json_t *reg, char out[17]);

#endif
