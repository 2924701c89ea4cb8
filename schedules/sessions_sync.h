/* sessions_sync.h - keeps each cohort's Discord scheduled events in step with its
 * study-group sessions (sessions.h plans, this executes through struct chat), reminds
 * the members who marked an event Interested (sessions_remind.c) and takes the gateway
 * events the feature needs (sessions_live.c: RSVPs, voice joins/leaves, GUILD_CREATE's
 * voice_states). Creation is exactly-once: the delivery-ledger row and a PENDING event
 * row are committed before the POST; a create whose outcome is unknown (crash, lost
 * answer) is looked for in the guild's event list (by the marker in its description)
 * before anything is sent again. Loop thread only; the state is owned by the scheduler. */
#ifndef COHORT_SESSIONS_SYNC_H
#define COHORT_SESSIONS_SYNC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schedules/sessions.h"

struct app;
struct cohort;
struct curriculum;
struct buf;
struct sg_state;

#define SG_SYNC_EVERY_S 60
#define SG_RETRY_S 600      /* after a failed Discord call, the cohort waits this long */
#define SG_SYNC_PER_TICK 16 /* cohorts planned per 1 s tick, so one loop pass stays short */

struct sg_state *sg_state_new(void);
void sg_state_free(struct sg_state *s);
/* Syncs every cohort due (each SG_SYNC_EVERY_S, or at once after sg_sync_soon) and
 * sends the reminders that are due. */
void sg_tick(struct app *app, struct sg_state *s, int64_t now);
/* Makes the next tick sync this cohort without waiting (start date changed, setup). */
void sg_sync_soon(struct sg_state *s, int64_t cohort_id);

/* The text and voice channel ids of group gi for the cohort ("" when none): the stored
 * ones if they still exist in the guild cache, else found by name. */
void sg_group_channels(struct app *app, const struct cohort *co, const struct curriculum *cur,
                       int gi, char text[24], char voice[24]);
/* The event name and description of a session into name[101] / desc (cap 1001), and
 * the shape hash of what Discord would show (with the voice channel). */
uint32_t sg_event_text(const struct curriculum *cur, const struct cohort *co,
                       const struct sg_session *s, const char *text_channel, const char *voice,
                       char name[101], char *desc, size_t desccap);
/* The marker that identifies our event in its description: "[cohortbot <cohort>:<key>]". */
void sg_marker(int64_t cohort_id, const char *key, char out[128]);

/* The sessions of the cohort (NULL/0 when it has no curriculum or groups). */
int sg_cohort_sessions(struct app *app, const struct cohort *co, const struct curriculum **cur,
                       struct sg_session **out, size_t *n);

/* Reminders in flight (a tick does not start new ones while > 0); delta is added. */
int sg_remind_inflight(struct sg_state *s, int delta);
/* Reminders (sessions_remind.c): sends every due reminder for the cohort. */
void sg_remind_cohort(struct app *app, struct sg_state *s, const struct cohort *co, int64_t now);

/* Gateway events (sessions_live.c): GUILD_SCHEDULED_EVENT_USER_ADD/REMOVE,
 * VOICE_STATE_UPDATE and GUILD_CREATE (its voice_states only). d borrowed. Returns
 * true when t was one of them. Console mode calls it with the same JSON. */
bool sg_on_gateway(struct app *app, const char *t, json_t *d, int64_t now);
/* Console simulations of those events: user joins the voice channel of `group` (NULL or
 * "" = leaves voice); user marks (add) or unmarks the event of session `key` Interested.
 * 0, or BOT_ENOTFOUND with a readable reason in err. */
int sg_simulate_voice(struct app *app, const char *guild_id, const char *user_id, const char *group,
                      int64_t now, char *err, size_t errlen);
int sg_simulate_interest(struct app *app, const char *guild_id, const char *user_id,
                         const char *key, bool add, int64_t now, char *err, size_t errlen);

#endif
