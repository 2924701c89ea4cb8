/* daily.c - sending the daily prompts exactly once: each post's key is recorded in the
 * delivery ledger before sending and marked after; a retry after a crash reuses the
 * key's nonce (Discord drops the duplicate). Posts are caught up within catchup_hours
 * and skipped (logged, recorded) beyond it; a post whose channel is missing goes to
 * the fallback channel or waits, reported by /cohort status. Loop thread. */
#include "schedules/daily.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "config/curriculum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INFLIGHT 64
#define MAX_WAITING 32
#define PLAN_MAX 448 /* 366 days + 52 weeks + completion, the loader's caps */

struct inflight {
    struct daily_state *d;
    struct app *app;
    char key[160];
    int64_t sent_at; /* the tick's clock when it was sent */
    bool used;
};

struct daily_state {
    struct inflight fly[MAX_INFLIGHT];
    struct {
        char guild[24], key[160];
    } waiting[MAX_WAITING];
    int nwaiting;
    int64_t retry_at; /* after a transient failure, wait before the next attempt */
    bool scanned;     /* the whole past was checked for skipped posts */
};

struct daily_state *daily_new(void)
{
    return calloc(1, sizeof(struct daily_state));
}

void daily_free(struct daily_state *d)
{
    free(d);
}

static bool in_flight(struct daily_state *d, const char *key)
{
    for (int i = 0; i < MAX_INFLIGHT; i++)
        if (d->fly[i].used && strcmp(d->fly[i].key, key) == 0)
            return true;
    return false;
}

const char *daily_week_channel(struct app *app, const struct cohort *c, int week, char *buf,
                               size_t buflen, char *fallback, size_t fblen)
{
    if (fallback && fblen) {
        fallback[0] = '\0';
        if (store_week_channel_get(app->store, c->id, 0, fallback, fblen) != 0)
            snprintf(fallback, fblen, "%s",
                     c->fallback_channel[0]       ? c->fallback_channel
                     : app->cfg->fallback_channel ? app->cfg->fallback_channel
                                                  : "");
    }
    if (store_week_channel_get(app->store, c->id, week, buf, buflen) == 0)
        return buf;
    char byname[GUILDS_ID_LEN];
    if (!guilds_week_channel(app->guilds, c->guild_id, week, byname))
        return NULL;
    snprintf(buf, buflen, "%s", byname);
    return buf;
}

static void on_sent(void *arg, const struct chat_result *r)
{
    struct inflight *f = arg;
    struct app *app = f->app;
    int64_t now = app_now(app);
    if (r->rc == 0) {
        store_delivery_mark(app->store, f->key, DLV_SENT, r->id, NULL, now);
        log_info("daily", "posted key=%s message=%s", f->key, r->id ? r->id : "-");
    } else if (r->http_status == 403 || r->http_status == 404 || r->http_status == 400) {
        store_delivery_mark(app->store, f->key, DLV_FAILED, NULL, r->detail, now);
        log_error("daily", "post refused key=%s status=%d code=%d: %s", f->key, r->http_status,
                  r->discord_code, r->detail ? r->detail : "");
    } else {
        store_delivery_mark(app->store, f->key, DLV_PENDING, NULL, r->detail, now);
        f->d->retry_at = f->sent_at + 60;
        log_warn("daily", "post failed, will retry key=%s rc=%d", f->key, r->rc);
    }
    f->used = false;
}

static void note_waiting(struct daily_state *d, const struct cohort *c, const char *key)
{
    for (int i = 0; i < d->nwaiting; i++)
        if (strcmp(d->waiting[i].key, key) == 0)
            return;
    if (d->nwaiting < MAX_WAITING) {
        snprintf(d->waiting[d->nwaiting].guild, 24, "%s", c->guild_id);
        snprintf(d->waiting[d->nwaiting].key, 160, "%s", key);
        d->nwaiting++;
        log_warn("daily", "no channel for post key=%s; waiting (see /cohort status)", key);
    }
}

static void drop_waiting(struct daily_state *d, const char *key)
{
    for (int i = 0; i < d->nwaiting; i++)
        if (strcmp(d->waiting[i].key, key) == 0)
            d->waiting[i] = d->waiting[--d->nwaiting];
}

/* Sends one due post. Returns true when later posts of the cohort may proceed. */
static bool send_post(struct app *app, struct daily_state *d, const struct cohort *c,
                      const struct curriculum *cur, const struct daily_post *p, int64_t now)
{
    char chan[24], fb[24];
    const char *target = daily_week_channel(app, c, p->week, chan, sizeof(chan), fb, sizeof(fb));
    bool fallback = false;
    if (!target && fb[0]) {
        target = fb;
        fallback = true;
    }
    if (!target) {
        note_waiting(d, c, p->key);
        return false;
    }
    drop_waiting(d, p->key);
    struct delivery dl;
    bool created;
    int got = store_delivery_get(app->store, p->key, &dl);
    if (got == BOT_ENOTFOUND)
        got = store_delivery_begin(app->store, p->key, "daily", target, p->due, now, &dl, &created);
    if (got)
        return false;
    if (dl.state != DLV_PENDING)
        return true; /* sent, skipped or failed earlier */
    struct inflight *f = NULL;
    for (int i = 0; i < MAX_INFLIGHT && !f; i++)
        if (!d->fly[i].used)
            f = &d->fly[i];
    if (!f)
        return false;
    struct message m;
    msg_init(&m);
    int rc = daily_message(c, cur, p, &m);
    if (!rc && fallback)
        rc = msg_set_content(&m,
                             "(Posted here because the week %d channel is missing; create "
                             "#week-%02d or run /cohort channel.)",
                             p->week, p->week);
    if (!rc) {
        *f = (struct inflight){.d = d, .app = app, .sent_at = now, .used = true};
        snprintf(f->key, sizeof(f->key), "%s", p->key);
        rc = app->chat.ops->post(app->chat.impl, target, &m, dl.nonce, on_sent, f);
        if (rc) {
            f->used = false;
            log_warn("daily", "could not queue key=%s: %s", p->key, bot_strerror(rc));
        }
    }
    msg_free(&m);
    /* The next post of this cohort waits until this one is marked sent (console
     * transports complete at once; Discord's on a later tick). */
    return !rc && store_delivery_get(app->store, p->key, &dl) == 0 && dl.state == DLV_SENT;
}

/* Records posts older than the catch-up window as skipped (once, with a log line). */
static void skip_old(struct app *app, const struct daily_post *p, int64_t now)
{
    struct delivery dl;
    bool created;
    if (store_delivery_get(app->store, p->key, &dl) == 0 && dl.state != DLV_PENDING)
        return;
    if (store_delivery_begin(app->store, p->key, "daily", NULL, p->due, now, &dl, &created))
        return;
    if (dl.state == DLV_PENDING) {
        store_delivery_mark(app->store, p->key, DLV_SKIPPED, NULL, "older than catchup_hours", now);
        log_warn("daily", "skipped key=%s: its time passed more than %d h ago", p->key,
                 app->cfg->catchup_hours);
    }
}

struct tick_ctx {
    struct app *app;
    struct daily_state *d;
    int64_t now;
};

static int tick_cohort(void *arg, const struct cohort *c)
{
    struct tick_ctx *t = arg;
    const struct curriculum *cur = curricula_find(t->app->curricula, c->curriculum);
    if (!cur)
        return 0;
    int64_t window = (int64_t)t->app->cfg->catchup_hours * 3600;
    int64_t from = t->now - window - 2 * 86400;
    if (!t->d->scanned && cohort_post_at(c, 0, &from)) /* first tick: the whole past */
        return 0;
    struct daily_post *plan = malloc(PLAN_MAX * sizeof(*plan));
    if (!plan)
        return 0;
    size_t n = daily_plan(c, cur, from, t->now + 1, plan, PLAN_MAX);
    for (size_t i = 0; i < n && i < PLAN_MAX; i++) {
        if (in_flight(t->d, plan[i].key))
            break;
        if (plan[i].due < t->now - window) {
            skip_old(t->app, &plan[i], t->now);
            continue;
        }
        if (!send_post(t->app, t->d, c, cur, &plan[i], t->now))
            break;
    }
    free(plan);
    return 0;
}

void daily_tick(struct app *app, struct daily_state *d, int64_t now)
{
    if (!app->curricula || !app->chat.ops || now < d->retry_at)
        return;
    struct tick_ctx t = {app, d, now};
    store_cohort_each(app->store, tick_cohort, &t);
    d->scanned = true;
}

int daily_waiting(struct daily_state *d, const char *guild_id, char *out, size_t outlen)
{
    int n = 0;
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < d->nwaiting; i++) {
        if (strcmp(d->waiting[i].guild, guild_id) != 0)
            continue;
        n++;
        const char *what = strrchr(d->waiting[i].key, '/');
        int w =
            snprintf(out + used, outlen - used, "%s%s", n > 1 ? ", " : "", what ? what + 1 : "");
        if (w > 0 && (size_t)w < outlen - used)
            used += (size_t)w;
    }
    return n;
}
