/* store_checkin.h - the store's check-in and member-settings queries (bot/store_checkin.c,
 * part of the store module: the only place their SQL lives): upsert a check-in, list a
 * learner's or a cohort's rows, member settings, the learner's data export and deletion,
 * the CSV export rows. Loop thread only, like the rest of the store. Strings passed in
 * are borrowed for the call; rows handed to callbacks are valid during the call only. */
#ifndef COHORT_STORE_CHECKIN_H
#define COHORT_STORE_CHECKIN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/store.h"

struct checkin {
    int64_t cohort_id;
    char user_id[24];
    int day;
    double hours; /* < 0 = not given (NULL) */
    char note[2048];
    char link[1024];
    int64_t created_at, updated_at;
};

struct member {
    char guild_id[24], user_id[24];
    char name[64];
    char timezone[64]; /* "" = use the cohort's */
    bool progress_public;
    bool leaderboard; /* listed on /leaderboard */
    bool nudges;
    int last_nudge_day; /* 0 = never */
};

/* Inserts or updates (cohort, user, day). On update created_at is kept (it decides
 * whether the day counted) and hours/note/link given as "not set" (hours < 0, "" text)
 * keep their old values. *updated tells which happened. Runs in its own transaction
 * unless one is open (then the caller's commit makes it durable). 0 or BOT_EIO. */
int store_checkin_put(struct store *s, const struct checkin *ck, int64_t now, bool *updated);
/* One row, or BOT_ENOTFOUND. */
int store_checkin_get(struct store *s, int64_t cohort_id, const char *user_id, int day,
                      struct checkin *out);
/* Calls fn for the rows of one learner (user_id non-NULL) or of the whole cohort, by
 * user then day. fn returning non-zero stops early. 0, BOT_EIO or fn's value. */
int store_checkin_each(struct store *s, int64_t cohort_id, const char *user_id,
                       int (*fn)(void *arg, const struct checkin *ck), void *arg);

/* Export rows (CSV tool): every check-in, or one guild's, ordered by guild, cohort,
 * user, day. cohort_start is the cohort's start date (its identity for people). */
struct checkin_export_row {
    const char *guild_id, *cohort_start, *user_id, *note, *link;
    int64_t cohort_id;
    int day;
    double hours; /* < 0 = NULL */
    int64_t created_at;
};
int store_checkin_export(struct store *s, const char *guild_id,
                         int (*fn)(void *arg, const struct checkin_export_row *r), void *arg);

/* Member settings; absent members get the defaults (public off, leaderboard on,
 * nudges on) and 0 is returned. */
int store_member_get(struct store *s, const char *guild_id, const char *user_id,
                     struct member *out);
/* Inserts or replaces the whole row. */
int store_member_put(struct store *s, const struct member *m);
/* Calls fn for every member row of a guild. */
int store_member_each(struct store *s, const char *guild_id,
                      int (*fn)(void *arg, const struct member *m), void *arg);

/* Is mentor_id the mentor of mentee_id in the cohort's latest pairing round? */
bool store_is_mentor_of(struct store *s, int64_t cohort_id, const char *mentor_id,
                        const char *mentee_id);

/* Everything stored about a member in a guild as a JSON object (settings, check-ins,
 * mentor/mentee sign-ups, pairings): *out is a new reference the caller decrefs. */
int store_member_export_json(struct store *s, const char *guild_id, const char *user_id,
                             json_t **out);
/* Deletes everything about a member in a guild in one transaction: check-ins,
 * settings, mentor/mentee rows, pairs, DM delivery rows; the id is scrubbed from the
 * pairing audit text. *rows = rows deleted. */
int store_member_delete(struct store *s, const char *guild_id, const char *user_id, int *rows);

/* True while a transaction is open on the connection (group commit checks this). */
bool store_txn_open(struct store *s);

#endif
