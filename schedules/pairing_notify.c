/* pairing_notify.c - the mentorship scheduler step: runs a round when its time comes
 * and sends its messages exactly once through the delivery ledger (a row before the
 * send, marked after; a retry reuses the key's nonce). Keys:
 *   pair/<guild>/<round>/mentor/<user>, …/mentee/<user>, …/unmatched/<user>,
 *   …/summary, …/met/mentor/<user>, …/met/mentee/<user>.
 * The sending itself (slots in flight, the 50007 fallback to a mention in the mentors
 * channel, backoff) is ledger_dm.h's. Loop thread. */
#include "bot/app.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/ledger_dm.h"
#include "schedules/pairing_round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INFLIGHT 64
#define MAX_DONE 32

struct pairing_state {
    struct ldm *send;
    struct {
        int64_t round_id;
        int phase; /* 1 = announcements final, 2 = follow-ups final */
    } done[MAX_DONE];
    int ndone;
    int64_t run_retry_at;
};

struct pairing_state *pairing_new(void)
{
    struct pairing_state *ps = calloc(1, sizeof(*ps));
    const struct ldm_opts o = {"pairing", "pair", "mentors channel", pairing_mentors_channel,
                               MAX_INFLIGHT};
    if (ps && !(ps->send = ldm_new(&o))) {
        free(ps);
        ps = NULL;
    }
    return ps;
}

void pairing_free(struct pairing_state *ps)
{
    if (!ps)
        return;
    ldm_free(ps->send);
    free(ps);
}

static bool is_done(const struct pairing_state *ps, int64_t round_id, int phase)
{
    for (int i = 0; i < ps->ndone; i++)
        if (ps->done[i].round_id == round_id && ps->done[i].phase == phase)
            return true;
    return false;
}

static void set_done(struct pairing_state *ps, int64_t round_id, int phase)
{
    if (ps->ndone == MAX_DONE) { /* forget the oldest */
        memmove(&ps->done[0], &ps->done[1], (MAX_DONE - 1) * sizeof(ps->done[0]));
        ps->ndone--;
    }
    ps->done[ps->ndone].round_id = round_id;
    ps->done[ps->ndone++].phase = phase;
}

const char *pairing_mentors_channel(struct app *app, const struct cohort *co, char *buf,
                                    size_t buflen)
{
    char found[GUILDS_ID_LEN];
    const char *byname =
        app->guilds && guilds_find_by_name(app->guilds, co->guild_id, "mentors", found) ? found
                                                                                        : NULL;
    const char *pick = co->mentors_channel[0] ? co->mentors_channel : byname;
    if (!pick && store_week_channel_get(app->store, co->id, 0, buf, buflen) == 0)
        return buf;
    if (!pick)
        pick = co->fallback_channel[0] ? co->fallback_channel : app->cfg->fallback_channel;
    if (!pick || !*pick)
        return NULL;
    snprintf(buf, buflen, "%s", pick);
    return buf;
}

/* One tick over one round's messages. */
struct nctx {
    struct app *app;
    struct pairing_state *ps;
    const struct cohort *co;
    int64_t now;
    bool skip;     /* past its window: record what is unsent as skipped */
    bool complete; /* every message so far is final */
};

/* 1 = send it now, 0 = final already, -1 = wait (in flight, backing off, full). */
static int prepare(struct nctx *x, const char *key, const char *target, struct delivery *dl)
{
    int rc =
        ldm_prepare(x->ps->send, x->app, key, target, x->now, x->skip, "round window passed", dl);
    if (rc != 0)
        x->complete = false;
    return rc;
}

/* Sends m as a DM to user, or into channel when user is NULL. */
static void launch(struct nctx *x, const char *key, const char *user, const char *channel,
                   const struct message *m, const char *nonce)
{
    ldm_launch(x->ps->send, x->app, x->co->guild_id, key, user, channel, m, nonce, x->now);
}

enum what { W_MENTOR, W_MENTEE, W_UNMATCHED, W_MET_MENTOR, W_MET_MENTEE };
static const char *const what_key[] = {"mentor", "mentee", "unmatched", "met/mentor", "met/mentee"};

static int build(enum what w, const struct store_round *r, const struct store_pair *p, size_t n,
                 struct message *m)
{
    char with[600];
    size_t used = 0;
    switch (w) {
    case W_MENTOR:
        return pairing_msg_mentor(r->round_no, p, n, m);
    case W_MENTEE:
        return pairing_msg_mentee(r->round_no, p, m);
    case W_UNMATCHED:
        return pairing_msg_unmatched(r->round_no, m);
    case W_MET_MENTEE:
        snprintf(with, sizeof(with), "your mentor <@%s>", p->mentor_id);
        return pairing_msg_followup(r, with, m);
    case W_MET_MENTOR:
        used = (size_t)snprintf(with, sizeof(with), "your mentee%s", n == 1 ? "" : "s");
        for (size_t i = 0; i < n && used < sizeof(with); i++)
            used += (size_t)snprintf(with + used, sizeof(with) - used, "%s <@%s>", i ? "," : "",
                                     p[i].mentee_id);
        return pairing_msg_followup(r, with, m);
    }
    return BOT_EINVAL;
}

/* The DM of `user` about rows p[0..n). */
static void dm_one(struct nctx *x, const struct store_round *r, const char *prefix, enum what w,
                   const char *user, const struct store_pair *p, size_t n)
{
    char key[192];
    struct delivery dl;
    snprintf(key, sizeof(key), "%s%s/%s", prefix, what_key[w], user);
    if (prepare(x, key, user, &dl) != 1)
        return;
    struct message m;
    msg_init(&m);
    if (build(w, r, p, n, &m) == 0)
        launch(x, key, user, NULL, &m, dl.nonce);
    msg_free(&m);
}

static void summary(struct nctx *x, const struct store_round *r, const char *prefix,
                    const struct store_pair *all, size_t n)
{
    char key[192], chan[24];
    struct delivery dl;
    snprintf(key, sizeof(key), "%ssummary", prefix);
    const char *target = pairing_mentors_channel(x->app, x->co, chan, sizeof(chan));
    if (prepare(x, key, target, &dl) != 1)
        return;
    if (!target) {
        store_delivery_mark(x->app->store, key, DLV_FAILED, NULL, "no mentors channel", x->now);
        log_warn("pairing", "no mentors channel for the summary key=%s", key);
        return;
    }
    struct message m;
    msg_init(&m);
    if (pairing_msg_summary(r->round_no, all, n, &m) == 0)
        launch(x, key, NULL, target, &m, dl.nonce);
    msg_free(&m);
}

/* Announcements (followup false) or follow-ups of a round; true when all are final. */
static bool round_messages(struct nctx *x, const struct store_round *r, bool followup)
{
    struct store_pair *ps;
    size_t n;
    char prefix[96];
    if (store_pairs_of_round(x->app->store, r->id, &ps, &n))
        return false;
    pairing_key_prefix(x->co->guild_id, r->round_no, prefix, sizeof(prefix));
    x->complete = true;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && strcmp(ps[j].mentor_id, ps[i].mentor_id) == 0; j++)
            ;
        if (ps[i].mentor_id[0])
            dm_one(x, r, prefix, followup ? W_MET_MENTOR : W_MENTOR, ps[i].mentor_id, ps + i,
                   j - i);
        for (size_t k = i; k < j; k++) {
            bool matched = ps[k].mentor_id[0] != '\0';
            if (followup && !matched)
                continue;
            dm_one(x, r, prefix,
                   followup  ? W_MET_MENTEE
                   : matched ? W_MENTEE
                             : W_UNMATCHED,
                   ps[k].mentee_id, ps + k, 1);
        }
    }
    if (!followup)
        summary(x, r, prefix, ps, n);
    free(ps);
    return x->complete;
}

/* One phase of a round. Skipping sends nothing, so its ledger rows are written in
 * one transaction (one fsync instead of two per message). */
static void phase(struct nctx *x, const struct store_round *r, int which, int64_t skip_at)
{
    x->skip = x->now >= skip_at;
    bool tx = x->skip && store_begin(x->app->store) == 0;
    bool complete = round_messages(x, r, which == 2);
    if (tx && store_commit(x->app->store))
        complete = false;
    if (complete)
        set_done(x->ps, r->id, which);
}

static void handle_round(struct nctx *x, const struct store_round *r)
{
    if (!is_done(x->ps, r->id, 1))
        phase(x, r, 1, r->run_at + PAIRING_FOLLOWUP_S);
    if (x->now >= r->run_at + PAIRING_FOLLOWUP_S && !is_done(x->ps, r->id, 2))
        phase(x, r, 2, r->run_at + 2 * PAIRING_FOLLOWUP_S);
}

/* Runs the current period's round when its time has come (within its first week). */
static void maybe_run(struct nctx *x, const struct curriculum *cur)
{
    const struct config *cfg = x->app->cfg;
    struct store_round r;
    int64_t at;
    int k = pairing_period_at(x->co, cur, x->now);
    if (k < 1 || k > pairing_round_count(cur) || x->now < x->ps->run_retry_at ||
        pairing_round_time(x->co, cur, cfg->pair_weekday, cfg->pair_time, k, &at) || x->now < at ||
        x->now >= at + PAIRING_FOLLOWUP_S ||
        store_round_by_no(x->app->store, x->co->id, k, &r) != BOT_ENOTFOUND)
        return;
    struct pairing_run run;
    char err[BOT_ERR_LEN];
    int rc = pairing_run_round(x->app->store, x->co, cur, k, x->now, false, true, &run, err);
    if (rc) {
        log_error("pairing", "round failed guild=%s round=%d: %s", x->co->guild_id, k, err);
        x->ps->run_retry_at = x->now + 300;
        return;
    }
    log_info("pairing", "round ran guild=%s round=%d matched=%zu unmatched=%zu repeats=%zu",
             x->co->guild_id, k, run.res.matched, run.res.n_unmatched, run.res.repeats);
    pairing_run_free(&run);
}

static int tick_cohort(void *arg, const struct cohort *co)
{
    struct nctx *x = arg;
    const struct curriculum *cur = curricula_find(x->app->curricula, co->curriculum);
    struct store_round r, prev;
    x->co = co;
    if (cur)
        maybe_run(x, cur);
    /* nothing can be sent while backing off or with every slot in flight: skip the
     * scan (it reads every pair of the round) */
    if (!ldm_can_send(x->ps->send, x->now))
        return 0;
    if (store_round_latest(x->app->store, co->id, &r) != 0)
        return 0;
    if (r.round_no > 1 && store_round_by_no(x->app->store, co->id, r.round_no - 1, &prev) == 0)
        handle_round(x, &prev);
    handle_round(x, &r);
    return 0;
}

void pairing_tick(struct app *app, struct pairing_state *ps, int64_t now)
{
    if (!app->chat.ops || !ps)
        return;
    struct nctx x = {.app = app, .ps = ps, .now = now};
    store_cohort_each(app->store, tick_cohort, &x);
}
