/* chat_events.h - the guild scheduled-event operations of the Discord chat
 * (chat_events.c): POST/PATCH/DELETE/GET /guilds/{id}/scheduled-events over the public
 * REST client. Installed into the chat ops by chat_discord.c. Loop thread only; impl is
 * the struct chat_discord, which hands out its REST client through chat_discord_rest. */
#ifndef COHORT_CHAT_EVENTS_H
#define COHORT_CHAT_EVENTS_H

#include "bot/chat.h"

struct chat_discord;
struct rest *chat_discord_rest(struct chat_discord *c);

int cd_create_event(void *impl, const char *guild_id, const struct chat_event *ev,
                    chat_done_fn done, void *arg);
int cd_modify_event(void *impl, const char *guild_id, const char *event_id,
                    const struct chat_event *ev, chat_done_fn done, void *arg);
int cd_delete_event(void *impl, const char *guild_id, const char *event_id, chat_done_fn done,
                    void *arg);
int cd_list_events(void *impl, const char *guild_id, chat_events_fn done, void *arg);

/* ISO 8601 UTC ("2027-01-04T01:00:00+00:00") of t into out[32]. Pure. */
void cd_iso_time(int64_t t, char out[32]);

#endif
