/* ledger_dm.h - the scheduler steps' sender of DMs and channel posts through the
 * delivery ledger (store_delivery_*), shared by mentor matching (pairing_notify.c) and
 * project reviews (review_flow.c): a fixed number of messages in flight, a delivery row
 * before each send and marked after it (sent, failed, or pending for a retry), the
 * key's nonce on every attempt, a DM refused with Discord code 50007 (DMs closed)
 * re-sent as the same message mentioning the member in a fallback channel (recorded
 * with detail "fallback: …"), and one backoff after transient failures (30 s doubling,
 * capped at 30 min) for the whole sender. Loop thread; owns its slots and their copies
 * of the messages. */
#ifndef COHORT_LEDGER_DM_H
#define COHORT_LEDGER_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/message.h"
#include "bot/store.h"
#include "schedules/cohort.h"

struct app;

#define LDM_MAX_SLOTS 64

struct ldm_opts {
    const char *mod;           /* log module, e.g. "pairing" */
    const char *kind;          /* the delivery rows' kind, e.g. "pair" */
    const char *fallback_what; /* the fallback channel in logs and rows: "mentors channel" */
    /* The fallback channel of a cohort into buf, or NULL when there is none. */
    const char *(*fallback)(struct app *app, const struct cohort *co, char *buf, size_t buflen);
    int slots; /* messages in flight at most, 1..LDM_MAX_SLOTS */
};

struct ldm;

/* NULL on allocation failure. The options' strings are borrowed (static ones). */
struct ldm *ldm_new(const struct ldm_opts *o);
void ldm_free(struct ldm *s);

/* Whether anything could be sent now: not backing off, a slot free. */
bool ldm_can_send(const struct ldm *s, int64_t now);
/* The delivery row of key (created pending for target when there is none) into dl:
 * 1 = send it now (with dl->nonce), 0 = final already, -1 = wait (in flight, backing
 * off, every slot taken, or the store failed). With skip, a pending row is marked
 * skipped with skip_why instead (0). */
int ldm_prepare(struct ldm *s, struct app *app, const char *key, const char *target, int64_t now,
                bool skip, const char *skip_why, struct delivery *dl);
/* Sends m as a DM to user, or posts it into channel when user is NULL, in a free slot
 * (after ldm_prepare said 1). guild: the cohort's, for the fallback. */
void ldm_launch(struct ldm *s, struct app *app, const char *guild, const char *key,
                const char *user, const char *channel, const struct message *m, const char *nonce,
                int64_t now);

#endif
