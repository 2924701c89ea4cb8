/* pairing.h - mentor/mentee matching for one round: a pure function of its inputs
 * (people, history, round number, seed), solved exactly as a min-cost flow, plus the
 * suggested 45-minute meeting slot and the dry-run CSV. Any thread; no globals.
 * Must not do I/O, SQL or Discord: the caller loads inputs and sends the results.
 * Every pointer in the inputs is borrowed; results own their arrays, and their id
 * pointers borrow from the input (valid while the input's strings live). */
#ifndef COHORT_PAIRING_H
#define COHORT_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/buf.h"
#include "bot/err.h"

#define PAIR_MAX_TRACKS 64     /* track sets are bit masks over the caller's list */
#define PAIR_MAX_PEOPLE 100000 /* per side; keeps every cost inside int64 with room */
#define PAIR_MAX_HISTORY 2000000
#define PAIR_ID_MAX 64 /* bytes, without the NUL */
#define PAIR_MAX_K 64  /* largest k_best */
#define PAIR_MIN_CAPACITY 1
#define PAIR_MAX_CAPACITY 5
#define PAIR_SLOT_MIN 45 /* meeting length, minutes */
#define PAIR_REASON_LEN 192
#define PAIR_DEFAULT_START 540 /* 09:00 local */
#define PAIR_DEFAULT_END 1080  /* 18:00 local */

/* The cost, all integers:
 *   pair cost = time + track + repeat, where
 *   time   = 10 per 15 min that the daily overlap of the two working windows falls
 *            short of 6 h (0..240), + 200 if no 45-min slot fits in the overlap;
 *   track  = 300 if the mentee named an interest the mentor does not cover, else 0;
 *   repeat = PAIR_REPEAT_BASE + PAIR_REPEAT_STEP * (PAIR_REPEAT_WINDOW - age) when
 *            the pair met `age` rounds ago, 1 <= age <= PAIR_REPEAT_WINDOW, else 0;
 *   load   = per mentor with k mentees, PAIR_LOAD_STEP * k * (k - 1) / 2 (convex:
 *            the k-th mentee adds PAIR_LOAD_STEP * (k - 1), so load spreads).
 * Objective, lexicographic: most mentees matched (an unmatched mentee costs more
 * than any whole matching); then fewest repeats (PAIR_REPEAT_BASE exceeds all other
 * terms of any matching together, up to PAIR_MAX_PEOPLE), so a repeat happens only
 * when it is the only way to match someone, and older repeats are preferred; then
 * the sum of pair costs and load costs. The seed only picks among equal optima. */
#define PAIR_TIME_STEP 10
#define PAIR_TIME_FULL 360
#define PAIR_NO_SLOT 200
#define PAIR_TRACK_MISMATCH 300
#define PAIR_REPEAT_WINDOW 8
#define PAIR_REPEAT_STEP 1000
#define PAIR_REPEAT_BASE 1000000000LL
#define PAIR_LOAD_STEP 30

/* A working-hours window. Zero start and end mean the default 09:00-18:00 local. */
struct pair_window {
    int utc_offset_min; /* minutes east of UTC at the round date, -840..840
                           (e.g. tz_offset(zone, round_start) / 60) */
    int start_min;      /* local start, minutes after midnight, 0..1439 */
    int end_min;        /* local end (exclusive), start < end <= 1440 */
};

struct pair_mentor {
    const char *id;  /* borrowed; unique among mentors, 1..PAIR_ID_MAX bytes */
    uint64_t tracks; /* bit i = the caller's tracks[i]; at least one bit */
    int capacity;    /* PAIR_MIN_CAPACITY..PAIR_MAX_CAPACITY */
    struct pair_window win;
};

struct pair_mentee {
    const char *id; /* borrowed; unique among mentees (may equal a mentor's id:
                       the same person is never paired with themself) */
    int interest;   /* index into tracks, or -1 for no stated interest */
    struct pair_window win;
};

/* A past pairing. Rows naming people not in this round are ignored (they left). */
struct pair_history {
    const char *mentor_id; /* borrowed */
    const char *mentee_id; /* borrowed */
    int round;             /* 1 <= round < the current round */
};

struct pair_input {
    const char *const *tracks; /* borrowed track names, for reason strings */
    size_t n_tracks;           /* <= PAIR_MAX_TRACKS */
    const struct pair_mentor *mentors;
    size_t n_mentors;
    const struct pair_mentee *mentees;
    size_t n_mentees;
    const struct pair_history *history;
    size_t n_history;
    int round;         /* current round, >= 1 */
    uint64_t seed;     /* breaks ties only */
    int64_t slot_from; /* UTC seconds: suggested slots start at or after it */
    size_t k_best;     /* candidate mentors kept per mentee, <= PAIR_MAX_K; 0 = default
                          12. Speed only: the optimum's value never depends on it (which of
                          several equal-cost optima is returned may) */
};

struct pair_slot {
    int64_t start;   /* UTC seconds of the suggested 45-minute slot */
    int overlap_min; /* minutes per day inside both windows (0..1440) */
    bool in_overlap; /* false: no 45-min slot fits both; start is the fallback */
};

struct pair_assignment {
    size_t mentor;         /* index into input mentors */
    size_t mentee;         /* index into input mentees */
    const char *mentor_id; /* borrowed from the input */
    const char *mentee_id; /* borrowed from the input */
    int64_t cost;          /* pair cost (time + track + repeat), load not included */
    int last_met_round;    /* most recent earlier round they met in, 0 = never */
    bool repeat;           /* met within PAIR_REPEAT_WINDOW rounds */
    struct pair_slot slot;
    char reason[PAIR_REASON_LEN]; /* e.g. "both on streaming, 3 h overlap in working
                                     hours, first time meeting" */
};

struct pair_result {
    struct pair_assignment *assign; /* owned; sorted by mentor id, then mentee id */
    size_t n_assign;                /* = matched */
    size_t *unmatched;              /* owned; mentee indices, sorted by mentee id */
    size_t n_unmatched;
    size_t matched, repeats;
    int64_t total_cost; /* sum of pair costs + sum of load costs */
    /* solver figures, for benchmarks and logs */
    size_t edges; /* candidate mentor-mentee edges in the last solve */
    int solves;   /* 1 + repairs after the optimality check */
    long phases;  /* shortest-path phases over all solves */
};

/* Matches one round. Exact over all mentor-mentee pairs, not only the pruned
 * candidates: the flow is checked against its dual prices, and any pair that could
 * improve it is added and the flow repaired, until none is left. Same input and
 * seed give the same result, whatever the order of the input arrays. On success fills *out (free it
 * with pair_result_free) and returns 0. BOT_EINVAL with a message in err (may be NULL) for
 * malformed input: capacity out of range, duplicate or empty ids, bad windows, track indices,
 * history rounds. BOT_ENOMEM. On error *out is left empty. */
int pair_match(const struct pair_input *in, struct pair_result *out, char err[BOT_ERR_LEN]);
/* Frees what pair_match allocated; NULL and empty results are fine. */
void pair_result_free(struct pair_result *r);

/* Pair cost of mentor index `mentor` with mentee index `mentee` under `in` (history
 * and round included), as defined above. 0, or BOT_EINVAL for an index out of range
 * or a person paired with themself. Does not validate the rest of `in`. */
int pair_edge_cost(const struct pair_input *in, size_t mentor, size_t mentee, int64_t *cost);
/* Total load cost of a mentor with `load` mentees (0 for load <= 1). */
int64_t pair_load_cost(int load);

/* Suggested slot for two people: the earliest start s >= `from` (rounded up to a
 * quarter hour) such that [s, s + 45 min) lies inside both working windows. With
 * no such slot, the fallback is the start of b's next working window at or after
 * `from`, with in_overlap false. overlap_min is the daily overlap either way.
 * 0, or BOT_EINVAL for a malformed window. */
int pair_slot(const struct pair_window *a, const struct pair_window *b, int64_t from,
              struct pair_slot *out);

/* Appends "mentor_id,mentee_id,cost,reason" CSV (RFC 4180 quoting, CRLF-free "\n"
 * line ends) with a header line, one row per assignment, then one row per unmatched
 * mentee with an empty mentor_id and cost and the reason "unmatched". Returns 0, or
 * BOT_ETOOBIG / BOT_ENOMEM from the buffer (which is then freed by buf). */
int pair_format_csv(const struct pair_input *in, const struct pair_result *r, struct buf *out);

#endif
