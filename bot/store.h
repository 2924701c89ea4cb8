/* store.h - the SQLite store: the only module that runs SQL (bot/store*.c). One
 * file, WAL, foreign keys on, PRAGMA user_version migrations at open, prepared
 * statements only. synchronous=FULL: a commit is fsynced to the WAL before the
 * call returns, so an acknowledged check-in survives kill -9 and power loss.
 * Loop thread only (one connection, not shared across threads). */
#ifndef COHORT_STORE_H
#define COHORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define STORE_SCHEMA_VERSION 1

/* Opens (creating if absent) and migrates. Refuses: a file that is not a database
 * or is corrupt (BOT_ECORRUPT), a schema newer than this binary (BOT_ESCHEMA),
 * a database held by another running cohortbot (BOT_EBUSY). err explains. */
int store_open(const char *path, struct store **out, char *err, size_t errlen);
/* For command-line tools beside a running bot (export, dry runs): does not take the
 * single-process lock and does not create the file; still refuses a newer schema
 * and migrates an older one. */
int store_open_shared(const char *path, struct store **out, char *err, size_t errlen);
void store_close(struct store *s);
int store_schema_version(struct store *s);

/* Transactions (nestable by counting; only the outermost commits). */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* meta key/value (e.g. the registered command hash). value is copied into out. */
int store_meta_get(struct store *s, const char *key, char *out, size_t outlen);
int store_meta_set(struct store *s, const char *key, const char *value);

/* ---- delivery ledger (exactly-once posting) ---- */
enum dlv_state { DLV_PENDING = 0, DLV_SENT = 1, DLV_SKIPPED = 2, DLV_FAILED = 3 };

struct delivery {
    char key[192];
    char nonce[26];
    enum dlv_state state;
    int attempts;
    int64_t due_at;
    char message_id[24];
};

/* Records the intent to send `key` (before sending). If the key already exists the
 * existing row is returned unchanged (created = false). nonce is derived from the
 * key and stable across restarts. */
int store_delivery_begin(struct store *s, const char *key, const char *kind, const char *target,
                         int64_t due_at, int64_t now, struct delivery *out, bool *created);
int store_delivery_get(struct store *s, const char *key, struct delivery *out);
/* Sets state (+ message id / detail, may be NULL) and bumps attempts for PENDING. */
int store_delivery_mark(struct store *s, const char *key, enum dlv_state st, const char *message_id,
                        const char *detail, int64_t now);
/* Deterministic <= 25-char nonce for a key. Pure. */
void store_delivery_nonce(const char *key, char out[26]);

/* ---- cohorts (bot/store_cohort.c) ---- */
struct cohort;
/* The guild's cohort. 0, BOT_ENOTFOUND or BOT_EIO. */
int store_cohort_get(struct store *s, const char *guild_id, struct cohort *out);
/* Inserts or updates by guild_id; sets c->id. */
int store_cohort_put(struct store *s, struct cohort *c, int64_t now);
/* Calls fn for every cohort; stops early when fn returns non-zero. */
int store_cohort_each(struct store *s, int (*fn)(void *arg, const struct cohort *c), void *arg);
/* Explicit week -> channel mapping (week 0 = fallback). channel NULL removes. */
int store_week_channel_set(struct store *s, int64_t cohort_id, int week, const char *channel_id);
/* 0 with out filled, or BOT_ENOTFOUND. */
int store_week_channel_get(struct store *s, int64_t cohort_id, int week, char *out, size_t outlen);

/* ---- mentorship (bot/store_pairing.c) ---- */
struct store_mentor {
    char user_id[24];
    char tracks[256];      /* comma list of track slugs */
    int capacity;          /* 1..5 */
    char timezone[64];     /* "" = use the member's /timezone, then the cohort's zone */
    char paused_until[11]; /* YYYY-MM-DD or "": paused while the local date is before it */
    bool active;
    int64_t joined_at;
};
struct store_mentee {
    char user_id[24];
    char interest[64]; /* track slug or "" */
    char timezone[64];
    bool active;
    int64_t joined_at;
};
/* Joining (again) makes the row active and clears a pause; joined_at is kept. */
int store_mentor_put(struct store *s, int64_t cohort_id, const struct store_mentor *m, int64_t now);
int store_mentee_put(struct store *s, int64_t cohort_id, const struct store_mentee *m, int64_t now);
/* 0, or BOT_ENOTFOUND when the member never joined. */
int store_mentor_get(struct store *s, int64_t cohort_id, const char *user_id,
                     struct store_mentor *out);
int store_mentee_get(struct store *s, int64_t cohort_id, const char *user_id,
                     struct store_mentee *out);
/* until NULL clears the pause. BOT_ENOTFOUND when not an active mentor. */
int store_mentor_pause(struct store *s, int64_t cohort_id, const char *user_id, const char *until);
/* Marks inactive; BOT_ENOTFOUND when not active. */
int store_mentor_leave(struct store *s, int64_t cohort_id, const char *user_id);
int store_mentee_leave(struct store *s, int64_t cohort_id, const char *user_id);
/* Active mentors not paused on local date `today` (YYYY-MM-DD), and active mentees,
 * ordered by user id. *out is malloc'ed (caller frees; NULL when n = 0). */
int store_mentors_active(struct store *s, int64_t cohort_id, const char *today,
                         struct store_mentor **out, size_t *n);
int store_mentees_active(struct store *s, int64_t cohort_id, struct store_mentee **out, size_t *n);
/* members.timezone (set by /timezone) into out, "" when unset. */
int store_pair_member_zone(struct store *s, const char *guild_id, const char *user_id, char *out,
                           size_t outlen);

struct store_round {
    int64_t id, cohort_id;
    int round_no;
    uint64_t seed;
    int64_t run_at; /* when it ran: the start of the round for slots and follow-ups */
    bool manual;    /* run by an admin's /pair run */
};
struct store_pair {
    int64_t round_id;
    int round_no;
    char mentor_id[24]; /* "" = the mentee was left unmatched */
    char mentee_id[24];
    int64_t cost;
    char reason[192];
    int64_t slot_at;
    bool repeat;
    int met, mentor_met; /* -1 no answer, 0 no, 1 yes */
};
/* Inserts the round, its pairs and unmatched rows in one transaction; sets r->id.
 * BOT_EBUSY when (cohort, round_no) already exists (nothing written). inputs and
 * result are JSON text, borrowed. */
int store_round_insert(struct store *s, struct store_round *r, const char *inputs,
                       const char *result, const struct store_pair *pairs, size_t n);
/* 0 or BOT_ENOTFOUND. by_no: the cohort's round round_no; latest: highest round_no. */
int store_round_by_no(struct store *s, int64_t cohort_id, int round_no, struct store_round *out);
int store_round_by_id(struct store *s, int64_t round_id, struct store_round *out);
int store_round_latest(struct store *s, int64_t cohort_id, struct store_round *out);
/* The stored inputs and result JSON: malloc'ed strings, caller frees. */
int store_round_json(struct store *s, int64_t round_id, char **inputs, char **result);
/* Rows of one round (mentor id, then mentee id); of the cohort's rounds before
 * round_no with a mentor (history); of one member (as mentor or mentee, newest
 * round first, at most max rows). *out malloc'ed, caller frees. */
int store_pairs_of_round(struct store *s, int64_t round_id, struct store_pair **out, size_t *n);
int store_pairs_history(struct store *s, int64_t cohort_id, int before_round,
                        struct store_pair **out, size_t *n);
int store_pairs_of_member(struct store *s, int64_t cohort_id, const char *user_id, size_t max,
                          struct store_pair **out, size_t *n);
/* Records a "did you meet?" answer: as mentee (met) and as mentor (mentor_met) of
 * every pair of the round. BOT_ENOTFOUND when the user has no pair in it. */
int store_pair_met(struct store *s, int64_t round_id, const char *user_id, bool yes, int64_t now);

struct store_round_stats {
    int pairs, unmatched, repeats;
    int met_yes, met_no, mentor_yes, mentor_no; /* answers per pair */
    int fallbacks; /* DMs delivered by a mention in the mentors channel */
};
/* key_prefix: the round's delivery keys ("pair/<guild>/<round>/"). */
int store_round_stats(struct store *s, int64_t round_id, const char *key_prefix,
                      struct store_round_stats *out);
/* Deletes up to `max` finished (sent, skipped, failed) ledger rows last updated
 * before `before`: the ledger does not grow without bound. Pending rows are kept.
 * Returns how many went, or a negative BOT_E*. */
int store_delivery_prune(struct store *s, int64_t before, int max);
/* The detail text of a delivery ("" when none). */
int store_delivery_detail(struct store *s, const char *key, char *out, size_t outlen);
/* ---- calendar feeds (bot/store_feed.c) ---- */
struct feed_row {
    int64_t id;
    char guild_id[24]; /* "" for feeds from the config file */
    char source[512];  /* https URL, file path, or "study-groups" (generated) */
    char channel_id[24];
    char leads[64]; /* "1440,60,10" */
    char etag[256], last_modified[64];
    char content_hash[24]; /* hex of feed_hash */
    int64_t last_ok_at;    /* 0 = never fetched successfully */
    char last_error[256];  /* "" when the last refresh worked */
    bool error_notified;
};
/* Adds a feed; an identical (guild, source, channel) returns the existing id with
 * BOT_EBUSY. */
int store_feed_add(struct store *s, const char *guild, const char *source, const char *channel,
                   const char *leads, int64_t now, int64_t *id);
int store_feed_remove(struct store *s, const char *guild, int64_t id);
int store_feed_get(struct store *s, int64_t id, struct feed_row *out);
/* All feeds (guild NULL) or one guild's, ordered by id: *out malloc'd (free()). */
int store_feed_list(struct store *s, const char *guild, struct feed_row **out, size_t *n);
/* The last good body (malloc'd, NUL-terminated; NULL with len 0 when none). */
int store_feed_body(struct store *s, int64_t id, char **body, size_t *len);
/* A successful refresh: new validators; body NULL = unchanged. Clears the error. */
int store_feed_ok(struct store *s, int64_t id, const char *etag, const char *last_modified,
                  const char *hash, const char *body, size_t len, int64_t now);
/* A failed refresh: keeps the last good copy. *first is true the first time since
 * the last success (tell admins once). */
int store_feed_error(struct store *s, int64_t id, const char *err, bool *first);
/* How many feeds a guild has (the per-guild quota), or a negative BOT_E*. */
int store_feed_count(struct store *s, const char *guild);
/* Stored body bytes of a guild's feeds other than except_id. 0 or BOT_EIO. */
int store_feed_guild_bytes(struct store *s, const char *guild, int64_t except_id, int64_t *out);

#endif
