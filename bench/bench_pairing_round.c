/* bench_pairing_round.c - a whole mentorship round through the store at scale:
 * 10,000 mentees and 1,000 mentors (capacities 1-5, random tracks and zones) signed
 * up in a real SQLite file, four earlier rounds run and stored, then round 5 timed
 * in its parts: collect (SQL -> inputs JSON), match, store (round + pairs), and the
 * notification tick that puts every DM through the delivery ledger (a transport
 * that completes at once). Prints times and peak RSS.
 * Usage: bench_pairing_round [mentees [mentors]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/pairing_round.h"

static const char *const ZONES[] = {"America/Los_Angeles", "America/New_York", "Europe/London",
                                    "Europe/Berlin",       "Asia/Kolkata",     "Asia/Tokyo",
                                    "Australia/Sydney",    "America/Sao_Paulo"};
static const char *const TRACKS[] = {"streaming", "ml-platform", "governance", "multi-cloud"};

static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long sent;
static int done_now(void *impl, const char *to, const struct message *m, const char *nonce,
                    chat_done_fn done, void *arg)
{
    (void)impl, (void)to, (void)m, (void)nonce;
    struct chat_result r = {.rc = 0, .http_status = 200, .id = "1"};
    sent++;
    done(arg, &r);
    return 0;
}
static const struct chat_ops ops = {.post = done_now, .dm = done_now};

static void signups(struct store *st, int64_t cohort, int mentees, int mentors, uint64_t *seed)
{
    store_begin(st);
    for (int i = 0; i < mentors; i++) {
        struct store_mentor m = {.capacity = 1 + (int)(rnd(seed) % 5)};
        snprintf(m.user_id, sizeof(m.user_id), "%d", 100000 + i);
        snprintf(m.tracks, sizeof(m.tracks), "%s,%s", TRACKS[rnd(seed) % 4], TRACKS[rnd(seed) % 4]);
        snprintf(m.timezone, sizeof(m.timezone), "%s", ZONES[rnd(seed) % 8]);
        store_mentor_put(st, cohort, &m, 0);
    }
    for (int i = 0; i < mentees; i++) {
        struct store_mentee m = {0};
        snprintf(m.user_id, sizeof(m.user_id), "%d", 500000 + i);
        if (rnd(seed) % 3)
            snprintf(m.interest, sizeof(m.interest), "%s", TRACKS[rnd(seed) % 4]);
        snprintf(m.timezone, sizeof(m.timezone), "%s", ZONES[rnd(seed) % 8]);
        store_mentee_put(st, cohort, &m, 0);
    }
    store_commit(st);
}

int main(int argc, char **argv)
{
    int mentees = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 10000;
    int mentors = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1000;
    char path[64], err[BOT_ERR_LEN];
    uint64_t seed = 42;
    struct config cfg;
    struct app app = {.cfg = &cfg};
    struct buf errs;
    log_set_level(LOGL_ERROR);
    config_defaults(&cfg);
    snprintf(path, sizeof(path), "/tmp/bench_pairing_round_%d.db", getpid());
    unlink(path);
    buf_init(&errs, 4096);
    if (store_open(path, &app.store, err, sizeof(err)) ||
        curricula_load_dir(COHORTBOT_SRCDIR "/config/curricula", &app.curricula, &errs) < 0) {
        fprintf(stderr, "bench: %s %s\n", err, buf_str(&errs));
        return 1;
    }
    buf_free(&errs);
    const struct curriculum *cur = curricula_find(app.curricula, "data-engineer");
    struct cohort co = {0};
    snprintf(co.guild_id, sizeof(co.guild_id), "111111111111111111");
    snprintf(co.curriculum, sizeof(co.curriculum), "data-engineer");
    snprintf(co.start_date, sizeof(co.start_date), "2027-03-08");
    snprintf(co.timezone, sizeof(co.timezone), "America/New_York");
    snprintf(co.post_time, sizeof(co.post_time), "09:00");
    store_cohort_put(app.store, &co, 0);
    app.guilds = guilds_new();
    guilds_channel_upsert(app.guilds, co.guild_id, "300000000000000001", "mentors", 0);
    app.chat.ops = &ops;
    signups(app.store, co.id, mentees, mentors, &seed);
    int64_t t0 = 1804518000; /* 2027-03-08 10:00 New York */
    struct pairing_run run;
    for (int k = 1; k <= 4; k++) {
        if (pairing_run_round(app.store, &co, cur, k, t0 + (k - 1) * 14 * 86400, false, true, &run,
                              err)) {
            fprintf(stderr, "bench: round %d: %s\n", k, err);
            return 1;
        }
        pairing_run_free(&run);
    }
    int64_t t5 = t0 + 4 * 14 * 86400;
    json_t *inputs;
    double a = now_s();
    pairing_collect(app.store, &co, cur, 5, t5, &inputs);
    double b = now_s();
    json_decref(inputs);
    double c = now_s();
    int rc = pairing_run_round(app.store, &co, cur, 5, t5, false, true, &run, err);
    double d = now_s();
    if (rc) {
        fprintf(stderr, "bench: round 5: %s\n", err);
        return 1;
    }
    struct pairing_state *ps = pairing_new();
    double e = now_s();
    pairing_tick(&app, ps, t5 + 1);
    double f = now_s();
    pairing_tick(&app, ps, t5 + 2);
    double g = now_s();
    pairing_tick(&app, ps, t5 + 3);
    double h = now_s();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("mentees %d, mentors %d, history %zu pairs, matched %zu, unmatched %zu, repeats %zu\n",
           mentees, mentors, run.pi.in.n_history, run.res.matched, run.res.n_unmatched,
           run.res.repeats);
    printf("collect (SQL -> inputs JSON): %.3f s\n", b - a);
    printf("round 5 (collect + parse + match + store): %.3f s\n", d - c);
    printf(
        "notification tick: %ld messages through the ledger in %.3f s; next ticks %.4f s, %.4f s\n",
        sent, f - e, g - f, h - g);
    printf("peak RSS: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    pairing_run_free(&run);
    pairing_free(ps);
    guilds_free(app.guilds);
    curricula_free(app.curricula);
    store_close(app.store);
    config_free(&cfg);
    char p[80];
    unlink(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    unlink(p);
    return 0;
}
