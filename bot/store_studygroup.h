/* store_studygroup.h - the store's study-group queries (bot/store_studygroup.c, part of
 * the store module): each group's text and voice channel, the Discord scheduled events
 * we made (one row per session key, with its state), sessions cancelled by organisers,
 * who marked an event "Interested", voice join/leave intervals and the reminder opt-out.
 * Loop thread only. Strings passed in are borrowed; arrays returned are the caller's
 * (free()). */
#ifndef COHORT_STORE_STUDYGROUP_H
#define COHORT_STORE_STUDYGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/store.h"

#define SG_KEY_LEN 96

/* The state of an event we made (store row). */
enum sg_ev_state {
    SG_EV_PENDING = 0,   /* create sent, outcome not yet known */
    SG_EV_SCHEDULED = 1, /* Discord status 1 */
    SG_EV_ACTIVE = 2,    /* status 2 */
    SG_EV_COMPLETED = 3, /* status 3 */
    SG_EV_CANCELED = 4,  /* status 4 */
    SG_EV_DELETED = 5,   /* deleted by us, or gone from the guild */
};

struct sg_event {
    char key[SG_KEY_LEN];
    char event_id[24];   /* "" while pending */
    char channel_id[24]; /* the voice channel it was made on ("" unknown) */
    int64_t start, end;
    uint32_t shape; /* hash of what the event shows (name, description, channel, times) */
    enum sg_ev_state state;
};

/* Channels of group `grp` ("" when not set). 0 or BOT_ENOTFOUND. */
int store_sg_channels_get(struct store *s, int64_t cohort_id, const char *grp, char text[24],
                          char voice[24]);
/* Sets one of them (voice = false: the text channel). */
int store_sg_channel_set(struct store *s, int64_t cohort_id, const char *grp, bool voice,
                         const char *channel_id);

/* Every event row of the cohort (state, id, times, shape). */
int store_sg_events(struct store *s, int64_t cohort_id, struct sg_event **out, size_t *n);
/* Inserts or replaces the row of key. */
int store_sg_event_put(struct store *s, int64_t cohort_id, const struct sg_event *e,
                       const char *channel_id, int64_t now);
/* The cohort and session key of a Discord event id we made. 0 or BOT_ENOTFOUND. */
int store_sg_event_by_id(struct store *s, const char *event_id, int64_t *cohort_id,
                         char key[SG_KEY_LEN]);

/* Organiser cancellations. */
int store_sg_cancel(struct store *s, int64_t cohort_id, const char *key, const char *by,
                    int64_t now);
bool store_sg_cancelled(struct store *s, int64_t cohort_id, const char *key);

/* RSVPs ("Interested") by Discord event id. */
int store_sg_interest_set(struct store *s, const char *guild_id, const char *event_id,
                          const char *user_id, bool on, int64_t now);
bool store_sg_interested(struct store *s, const char *event_id, const char *user_id);
/* User ids of an event, as an array of 24-char strings. */
int store_sg_interest_list(struct store *s, const char *event_id, char (**out)[24], size_t *n);

/* Voice: opens an interval (closing any open one of the user in the guild at `now`). */
int store_sg_voice_join(struct store *s, const char *guild_id, const char *user_id,
                        const char *channel_id, int64_t now);
/* Closes the user's open interval (if any). */
int store_sg_voice_leave(struct store *s, const char *guild_id, const char *user_id, int64_t now);
/* The channel of the user's open interval ("" when none). */
int store_sg_voice_where(struct store *s, const char *guild_id, const char *user_id, char out[24]);

struct sg_interval {
    char user_id[24];
    int64_t joined_at, left_at; /* left_at 0 = still in the channel */
};
/* Intervals in channel_id that overlap [from, to). */
int store_sg_voice_in(struct store *s, const char *channel_id, int64_t from, int64_t to,
                      struct sg_interval **out, size_t *n);
/* Open intervals of the guild (who we think is in voice now). */
int store_sg_voice_open(struct store *s, const char *guild_id, struct sg_interval **out,
                        char (**channels)[24], size_t *n);

/* Reminder opt-out (/privacy session_reminders:off). */
int store_sg_optout_set(struct store *s, const char *guild_id, const char *user_id, bool off);
bool store_sg_optout(struct store *s, const char *guild_id, const char *user_id);

#endif
