/* chat.h - the seam between domain code and transport. Commands and schedules only
 * see struct chat: post to a channel, DM a user, reply to an interaction, create a
 * channel, create/modify/delete/list guild scheduled events, edit an interaction's
 * answer. Two implementations: Discord (REST, bot/discord/chat_discord.c) and console
 * (stdout, bot/console.c). Loop thread only. Completion callbacks run on the loop
 * thread, possibly before the call returns (console) or later (Discord). */
#ifndef COHORT_CHAT_H
#define COHORT_CHAT_H

#include <stddef.h>
#include <stdint.h>

#include "bot/message.h"

struct interaction;

/* Result of a post/dm/create: rc 0 on success (id = new message or channel id),
 * otherwise a BOT_E* code; discord_code is Discord's JSON error code when known
 * (e.g. 50007 cannot DM, 50013 missing permissions), detail a readable reason.
 * Strings are borrowed for the duration of the call. */
struct chat_result {
    int rc;
    int http_status;
    int discord_code;
    const char *id;
    const char *detail;
};
typedef void (*chat_done_fn)(void *arg, const struct chat_result *res);

/* A guild scheduled event on a voice channel (entity_type 2, privacy GUILD_ONLY). For a
 * modify, NULL strings / 0 times are left unchanged; status 0 = unchanged, else Discord's
 * 1 SCHEDULED, 2 ACTIVE, 3 COMPLETED, 4 CANCELED. Strings borrowed for the call. */
struct chat_event {
    const char *name, *description, *channel_id;
    int64_t start, end; /* UTC seconds */
    int status;
};
/* One event of a guild as listed (borrowed for the callback). */
struct chat_event_info {
    const char *id, *name, *description, *channel_id;
    int status;
};
typedef void (*chat_events_fn)(void *arg, const struct chat_result *res,
                               const struct chat_event_info *v, size_t n);

struct chat_ops {
    /* Post m into channel_id. nonce (<= 25 chars, may be NULL) makes Discord drop a
     * duplicate send (enforce_nonce). 0 = queued (done will be called), <0 = not
     * queued (done not called). */
    int (*post)(void *impl, const char *channel_id, const struct message *m, const char *nonce,
                chat_done_fn done, void *arg);
    /* Open (or reuse) the DM channel with user_id and post m there. */
    int (*dm)(void *impl, const char *user_id, const struct message *m, const char *nonce,
              chat_done_fn done, void *arg);
    /* Answer an interaction: the initial callback, or, if ix->deferred, an edit of
     * @original. Never re-sends a callback whose outcome is unknown. */
    int (*reply)(void *impl, const struct interaction *ix, const struct message *m);
    /* Acknowledge now and answer later (type 5, ephemeral; or 6 for components). */
    int (*defer)(void *impl, struct interaction *ix);
    /* Replace the answer `reply` already sent for ix with m, its files included
     * (Discord: PATCH /webhooks/{application.id}/{token}/messages/@original, multipart).
     * Never sent before the original answer is in: an edit that would overtake it
     * waits for it, and is dropped (done gets an error) when the answer failed or the
     * interaction's 15 minutes are over. done may be NULL. 0 = queued (done will be
     * called), <0 = not queued (done not called). NULL op = not supported. */
    int (*edit_original)(void *impl, const struct interaction *ix, const struct message *m,
                         chat_done_fn done, void *arg);
    /* Create a guild channel (type 0 text, 4 category); done gets the new id. */
    int (*create_channel)(void *impl, const char *guild_id, const char *name, int type,
                          const char *parent_id, const char *topic, chat_done_fn done, void *arg);
    /* Guild scheduled events (Manage Events): create (done gets the new id), modify,
     * delete, and list the guild's events (at most 100 exist). Same queuing contract. */
    int (*create_event)(void *impl, const char *guild_id, const struct chat_event *ev,
                        chat_done_fn done, void *arg);
    int (*modify_event)(void *impl, const char *guild_id, const char *event_id,
                        const struct chat_event *ev, chat_done_fn done, void *arg);
    int (*delete_event)(void *impl, const char *guild_id, const char *event_id, chat_done_fn done,
                        void *arg);
    int (*list_events)(void *impl, const char *guild_id, chat_events_fn done, void *arg);
};

struct chat {
    const struct chat_ops *ops;
    void *impl;
};

#endif
