/* pairing_round.h - mentorship rounds around the pure matcher (pairing.h): when a
 * round is due (pure schedule from the cohort's start date), collecting its inputs
 * from the store into JSON, running and storing it (inputs, seed, result) so it can
 * be explained and re-run, and the scheduler step that sends the pairing DMs and the
 * "did you meet?" follow-ups exactly once through the delivery ledger
 * (pairing_notify.c). Loop thread (store and chat); the schedule functions are pure. */
#ifndef COHORT_PAIRING_ROUND_H
#define COHORT_PAIRING_ROUND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "bot/err.h"
#include "bot/message.h"
#include "bot/store.h"
#include "schedules/cohort.h"
#include "schedules/pairing.h"

struct app;
struct curriculum;

#define PAIRING_FOLLOWUP_S (7 * 86400) /* "did you meet?" this long into a round */

/* ---- schedule (pure) ----
 * Round k's period starts on cohort day 1 + (k-1) * every_days (every_days from the
 * curriculum's mentorship, 14 when absent: weeks 1, 3, 5, 7, 9). It fires on the first
 * `weekday` (1 = Monday .. 7 = Sunday) on or after that day, at `hhmm` in the
 * cohort's zone; a cohort whose day 1 is a Monday therefore pairs on day 1. Rounds
 * are scheduled while their period starts within the curriculum's days. */
int pairing_every_days(const struct curriculum *cur);
int pairing_round_count(const struct curriculum *cur);
/* UTC instant round k fires. 0 or BOT_EINVAL (k < 1, bad date/zone/time). */
int pairing_round_time(const struct cohort *co, const struct curriculum *cur, int weekday,
                       const char *hhmm, int k, int64_t *out);
/* Index of the period containing `now` (0 before day 1; may pass round_count). */
int pairing_period_at(const struct cohort *co, const struct curriculum *cur, int64_t now);
/* Round seed: FNV-1a 64 of "<guild>/<round>". */
uint64_t pairing_seed(const char *guild_id, int round_no);

/* ---- inputs ----
 * The inputs JSON: {"round", "seed" (hex string), "slot_from", "tracks": [slug],
 *   "mentors": [{"id","tracks":[slug],"capacity","zone","offset_min"}],
 *   "mentees": [{"id","interest" (slug or null),"zone","offset_min"}],
 *   "history": [{"mentor","mentee","round"}]}.
 * Mentors whose tracks are all unknown to the curriculum are left out (logged). */
int pairing_collect(struct store *st, const struct cohort *co, const struct curriculum *cur,
                    int round_no, int64_t now, json_t **out);

/* A pair_input view of an inputs JSON: strings borrow from root (held). */
struct pairing_inputs {
    json_t *root; /* own reference */
    struct pair_input in;
    const char **tracks;
    struct pair_mentor *mentors;
    struct pair_mentee *mentees;
    struct pair_history *history;
};
/* Validates the JSON (outside data: a clear error, never a crash). root is borrowed
 * (a reference is taken). 0 or BOT_EINVAL/BOT_ENOMEM with err. */
int pairing_inputs_parse(json_t *root, struct pairing_inputs *out, char err[BOT_ERR_LEN]);
void pairing_inputs_free(struct pairing_inputs *pi);
/* Result JSON {"round","matched","repeats","total_cost","unmatched":[id],"pairs":[
 * {"mentor","mentee","cost","repeat","last_met","slot","in_overlap","reason"}]}:
 * new reference, NULL on allocation failure. */
json_t *pairing_result_json(const struct pairing_inputs *pi, const struct pair_result *r);

/* ---- running a round ---- */
struct pairing_run {
    struct store_round round; /* id 0 when not stored */
    struct pairing_inputs pi;
    struct pair_result res;
};
/* The round a manual run or a dry run makes at `now`: the current period's round
 * when it has not run, else the latest stored round + 1 (at least 1). */
int pairing_next_round(struct store *st, const struct cohort *co, const struct curriculum *cur,
                       int64_t now, int *round_no);
/* Collects, matches and (when store_it) stores round round_no. BOT_EBUSY when it
 * already ran. Fills *out (free with pairing_run_free) on success. */
int pairing_run_round(struct store *st, const struct cohort *co, const struct curriculum *cur,
                      int round_no, int64_t now, bool manual, bool store_it,
                      struct pairing_run *out, char err[BOT_ERR_LEN]);
void pairing_run_free(struct pairing_run *r);
/* Re-runs a stored round from its stored inputs; *same = the result JSON matches the
 * stored one exactly. csv (may be NULL) gets the re-run as pair_format_csv text.
 * 0 or BOT_E* with err. */
int pairing_rerun(struct store *st, int64_t round_id, bool *same, struct buf *csv,
                  char err[BOT_ERR_LEN]);

/* ---- messages (pure builders) ---- */
/* Delivery key prefix of a round: "pair/<guild>/<round>/". */
void pairing_key_prefix(const char *guild_id, int round_no, char *out, size_t outlen);
/* mine: the pairs of one mentor (all with the same mentor_id). */
int pairing_msg_mentor(int round_no, const struct store_pair *mine, size_t n, struct message *m);
int pairing_msg_mentee(int round_no, const struct store_pair *p, struct message *m);
int pairing_msg_unmatched(int round_no, struct message *m);
int pairing_msg_summary(int round_no, const struct store_pair *all, size_t n, struct message *m);
/* Follow-up with Yes/No buttons met:<round_id>:yes|no; `with` names the partners. */
int pairing_msg_followup(const struct store_round *r, const char *with, struct message *m);

/* ---- the scheduler step (pairing_notify.c) ---- */
struct pairing_state;
struct pairing_state *pairing_new(void);
void pairing_free(struct pairing_state *ps);
/* Runs due rounds and sends what is due: announcements within the round's first
 * week, follow-ups in its second (older ones are recorded as skipped). */
void pairing_tick(struct app *app, struct pairing_state *ps, int64_t now);
/* The cohort's mentors channel: cohort.mentors_channel, else a channel named
 * "mentors", else the fallback channel; NULL when none. */
const char *pairing_mentors_channel(struct app *app, const struct cohort *co, char *buf,
                                    size_t buflen);

#endif
