/* chat_discord.h - the Discord implementation of struct chat (chat.h) on top of the
 * REST client: channel posts with nonce + enforce_nonce, DMs (DM channel ids cached),
 * interaction callbacks / @original edits / defers, guild channel creation. Keeps
 * the interaction latency histogram for /metrics. Loop thread only. */
#ifndef COHORT_CHAT_DISCORD_H
#define COHORT_CHAT_DISCORD_H

#include <stdint.h>

#include "bot/chat.h"

struct app;
struct rest;
struct chat_discord;

#define CD_LAT_BUCKETS 10
extern const double cd_lat_bounds_s[CD_LAT_BUCKETS]; /* histogram upper bounds */

struct cd_stats {
    uint64_t callbacks, callback_failures, posts, post_failures;
    uint64_t edits, edit_failures; /* edits of @original (pictures), dropped ones included */
    uint64_t lat_count, lat_le[CD_LAT_BUCKETS]; /* cumulative per bound */
    double lat_sum_s;
};

/* app and rest are borrowed and must outlive it; the REST client must be freed
 * first (its final drain completes every job this module has queued). */
struct chat_discord *chat_discord_new(struct app *app, struct rest *rest);
void chat_discord_free(struct chat_discord *c);
/* app->chat = this implementation. */
void chat_discord_install(struct chat_discord *c, struct app *app);
const struct cd_stats *chat_discord_stats(const struct chat_discord *c);

#endif
