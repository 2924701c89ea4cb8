/* reminders.c - calendar feeds kept current and their reminders posted exactly once
 * (see reminders.h). */
#include "schedules/reminders.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/calendar.h"
#include "schedules/cohort.h"
#include "schedules/feed.h"
#include "schedules/study_groups.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_JOBS 64
#define MAX_FLY 64
#define RETRY_S 60

struct job {
    int64_t id;
    char source[512];
    struct feed_validators prev;
    struct feed_result res; /* filled by the worker */
};

struct feed {
    int64_t id;
    struct cal_feed *cal; /* last good parse, or NULL */
    int64_t next_refresh, next_check;
    bool fetching, seen;
    int leads[CFG_MAX_LEADS];
    int nleads;
    struct feed_row row;
};

struct fly {
    struct rem_state *r;
    char key[256];
    int64_t sent_at;
    bool used;
};

struct rem_state {
    struct app *app;
    struct feed *feeds;
    size_t nfeeds;
    bool dirty;
    int64_t refresh_id, retry_at;
    struct fly fly[MAX_FLY];
    /* worker */
    pthread_t thread;
    bool started, quit;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *queued[MAX_JOBS], *done[MAX_JOBS];
    int nqueued, ndone;
};

static void *worker(void *arg)
{
    struct rem_state *r = arg;
    pthread_mutex_lock(&r->mu);
    while (!r->quit) {
        if (r->nqueued == 0) {
            pthread_cond_wait(&r->cv, &r->mu);
            continue;
        }
        struct job *j = r->queued[0];
        memmove(r->queued, r->queued + 1, (size_t)(--r->nqueued) * sizeof(r->queued[0]));
        struct feed_opts opts = {.max_bytes = r->app->cfg->feed_max_bytes,
                                 .timeout_ms = r->app->cfg->feed_timeout_s * 1000L};
        pthread_mutex_unlock(&r->mu);
        feed_fetch(j->source, &j->prev, &opts, &j->res);
        pthread_mutex_lock(&r->mu);
        if (r->ndone < MAX_JOBS)
            r->done[r->ndone++] = j;
        else {
            feed_result_free(&j->res);
            free(j);
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

struct rem_state *rem_new(struct app *app)
{
    struct rem_state *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->app = app;
    r->dirty = true;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    if (pthread_create(&r->thread, NULL, worker, r) != 0) {
        rem_free(r);
        return NULL;
    }
    r->started = true;
    return r;
}

void rem_free(struct rem_state *r)
{
    if (!r)
        return;
    if (r->started) {
        pthread_mutex_lock(&r->mu);
        r->quit = true;
        pthread_cond_signal(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL); /* a fetch in progress ends by its timeout */
    }
    for (int i = 0; i < r->nqueued; i++)
        free(r->queued[i]);
    for (int i = 0; i < r->ndone; i++) {
        feed_result_free(&r->done[i]->res);
        free(r->done[i]);
    }
    for (size_t i = 0; i < r->nfeeds; i++)
        cal_feed_free(r->feeds[i].cal);
    free(r->feeds);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    free(r);
}

void rem_feeds_changed(struct rem_state *r, int64_t refresh_id)
{
    r->dirty = true;
    r->refresh_id = refresh_id;
}

int rem_parse_leads(const char *s, int *out, int max)
{
    int n = 0;
    const char *p = s;
    while (p && *p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v > 40320 || n >= max || (*end && *end != ','))
            return BOT_EINVAL;
        out[n++] = (int)v;
        p = *end ? end + 1 : end;
    }
    return n > 0 ? n : BOT_EINVAL;
}

static const char *feed_zone(struct app *app, const struct feed *f, char *buf, size_t len)
{
    struct cohort co;
    const char *guild =
        f->row.guild_id[0] ? f->row.guild_id : guilds_channel_guild(app->guilds, f->row.channel_id);
    if (guild && store_cohort_get(app->store, guild, &co) == 0) {
        snprintf(buf, len, "%s", co.timezone);
        return buf;
    }
    return "UTC";
}

/* Parses body into f->cal (replacing it). 0 or BOT_EINVAL with err. */
static int apply_body(struct app *app, struct feed *f, const char *body, size_t len, char *err)
{
    char zone[64];
    struct cal_feed *cal = NULL;
    int rc = cal_parse(body, len, feed_zone(app, f, zone, sizeof(zone)), &cal, err);
    if (rc)
        return rc;
    cal_feed_free(f->cal);
    f->cal = cal;
    f->next_check = 0;
    return 0;
}

static void load_feed(struct app *app, struct feed *f, const struct feed_row *row, int64_t now)
{
    memset(f, 0, sizeof(*f));
    f->id = row->id;
    f->row = *row;
    f->nleads = rem_parse_leads(row->leads, f->leads, CFG_MAX_LEADS);
    if (f->nleads <= 0) {
        memcpy(f->leads, app->cfg->leads, sizeof(f->leads));
        f->nleads = app->cfg->nleads;
    }
    char *body;
    size_t len;
    char err[BOT_ERR_LEN];
    if (store_feed_body(app->store, f->id, &body, &len) == 0 && body) {
        if (apply_body(app, f, body, len, err))
            log_warn("calendar", "stored copy of feed %" PRId64 " does not parse: %s", f->id, err);
        free(body);
    }
    f->next_refresh = now;
}

/* Reloads the feed list from the store, keeping parsed copies of known feeds. */
static void sync_feeds(struct app *app, struct rem_state *r, int64_t now)
{
    struct feed_row *rows;
    size_t n;
    if (store_feed_list(app->store, NULL, &rows, &n))
        return;
    struct feed *next = calloc(n ? n : 1, sizeof(*next));
    if (!next) {
        free(rows);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct feed *old = NULL;
        for (size_t k = 0; k < r->nfeeds && !old; k++)
            if (r->feeds[k].id == rows[i].id && !r->feeds[k].seen)
                old = &r->feeds[k];
        if (old) {
            next[i] = *old;
            next[i].row = rows[i];
            old->seen = true;
            old->cal = NULL; /* moved */
        } else {
            load_feed(app, &next[i], &rows[i], now);
        }
        if (rows[i].id == r->refresh_id)
            next[i].next_refresh = now;
        next[i].seen = false;
    }
    for (size_t k = 0; k < r->nfeeds; k++)
        cal_feed_free(r->feeds[k].cal); /* removed feeds */
    free(r->feeds);
    free(rows);
    r->feeds = next;
    r->nfeeds = n;
    r->dirty = false;
    r->refresh_id = 0;
}

static struct feed *find_feed(struct rem_state *r, int64_t id)
{
    for (size_t i = 0; i < r->nfeeds; i++)
        if (r->feeds[i].id == id)
            return &r->feeds[i];
    return NULL;
}

static void feed_failed(struct app *app, struct feed *f, const char *why)
{
    bool first = false;
    store_feed_error(app->store, f->id, why, &first);
    size_t n = strlen(why);
    n = n < sizeof(f->row.last_error) ? n : sizeof(f->row.last_error) - 1;
    memcpy(f->row.last_error, why, n); /* shown cut; the full text went to the store */
    f->row.last_error[n] = '\0';
    if (first)
        log_error("calendar", "feed %" PRId64 " failed, keeping its last good copy: %s", f->id,
                  why);
    else
        log_debug("calendar", "feed %" PRId64 " still failing: %s", f->id, why);
}

static void feed_succeeded(struct app *app, struct feed *f, const struct feed_validators *v,
                           const char *body, size_t len, int64_t now)
{
    char hash[24];
    snprintf(hash, sizeof(hash), "%016" PRIx64, v->hash);
    store_feed_ok(app->store, f->id, v->etag, v->last_modified, hash, body, len, now);
    f->row.last_error[0] = '\0';
    f->row.last_ok_at = now;
    snprintf(f->row.etag, sizeof(f->row.etag), "%s", v->etag);
    snprintf(f->row.last_modified, sizeof(f->row.last_modified), "%s", v->last_modified);
    snprintf(f->row.content_hash, sizeof(f->row.content_hash), "%s", hash);
}

/* Applies one fetch result on the loop thread. */
static void apply_result(struct app *app, struct rem_state *r, struct job *j, int64_t now)
{
    struct feed *f = find_feed(r, j->id);
    if (!f)
        return; /* removed meanwhile */
    f->fetching = false;
    f->next_refresh = now + (int64_t)app->cfg->feed_refresh_minutes * 60;
    char err[BOT_ERR_LEN];
    switch (j->res.status) {
    case FEED_CHANGED:
        if (apply_body(app, f, j->res.body, j->res.len, err)) {
            char why[BOT_ERR_LEN + 32];
            snprintf(why, sizeof(why), "not a valid calendar: %s", err);
            feed_failed(app, f, why);
            return;
        }
        feed_succeeded(app, f, &j->res.v, j->res.body, j->res.len, now);
        log_info("calendar", "feed %" PRId64 " updated events=%zu", f->id,
                 cal_feed_event_count(f->cal));
        break;
    case FEED_UNCHANGED:
        feed_succeeded(app, f, &j->res.v, NULL, 0, now);
        break;
    default:
        feed_failed(app, f, j->res.err);
    }
}

/* The generated study-group calendar of the feed's cohort. */
static void refresh_study_groups(struct app *app, struct feed *f, int64_t now)
{
    struct cohort co;
    const struct curriculum *cur = NULL;
    char err[BOT_ERR_LEN];
    f->next_refresh = now + (int64_t)app->cfg->feed_refresh_minutes * 60;
    if (store_cohort_get(app->store, f->row.guild_id, &co) == 0)
        cur = curricula_find(app->curricula, co.curriculum);
    if (!cur) {
        feed_failed(app, f, "no cohort in this server to describe");
        return;
    }
    struct buf b;
    buf_init(&b, 1 << 20);
    struct feed_validators v = {0};
    if (study_groups_ics(cur, &co, &b) == 0) {
        v.hash = feed_hash(buf_str(&b), b.len);
        char hash[24];
        snprintf(hash, sizeof(hash), "%016" PRIx64, v.hash);
        if (strcmp(hash, f->row.content_hash) != 0 || !f->cal) {
            if (apply_body(app, f, buf_str(&b), b.len, err) == 0)
                feed_succeeded(app, f, &v, buf_str(&b), b.len, now);
            else
                feed_failed(app, f, err);
        }
    }
    buf_free(&b);
}

static void start_refreshes(struct app *app, struct rem_state *r, int64_t now)
{
    for (size_t i = 0; i < r->nfeeds; i++) {
        struct feed *f = &r->feeds[i];
        if (f->fetching || now < f->next_refresh)
            continue;
        if (strcmp(f->row.source, STUDY_GROUPS_SOURCE) == 0) {
            refresh_study_groups(app, f, now);
            continue;
        }
        struct job *j = calloc(1, sizeof(*j));
        if (!j)
            return;
        j->id = f->id;
        snprintf(j->source, sizeof(j->source), "%s", f->row.source);
        snprintf(j->prev.etag, sizeof(j->prev.etag), "%s", f->row.etag);
        snprintf(j->prev.last_modified, sizeof(j->prev.last_modified), "%s", f->row.last_modified);
        j->prev.have_hash = f->row.content_hash[0] && f->cal;
        j->prev.hash = strtoull(f->row.content_hash, NULL, 16);
        pthread_mutex_lock(&r->mu);
        if (r->nqueued < MAX_JOBS) {
            r->queued[r->nqueued++] = j;
            f->fetching = true;
            pthread_cond_signal(&r->cv);
        } else {
            free(j);
        }
        pthread_mutex_unlock(&r->mu);
    }
}

static void drain_results(struct app *app, struct rem_state *r, int64_t now)
{
    struct job *done[MAX_JOBS];
    pthread_mutex_lock(&r->mu);
    int n = r->ndone;
    memcpy(done, r->done, (size_t)n * sizeof(done[0]));
    r->ndone = 0;
    pthread_mutex_unlock(&r->mu);
    for (int i = 0; i < n; i++) {
        apply_result(app, r, done[i], now);
        feed_result_free(&done[i]->res);
        free(done[i]);
    }
}

int rem_message(const struct cal_occ *o, struct message *m)
{
    struct msg_embed *e = msg_add_embed(m, o->summary[0] ? o->summary : "(untitled event)",
                                        o->description[0] ? o->description : NULL);
    if (!e)
        return BOT_ENOMEM;
    e->color = 0xff9800;
    char when[160];
    if (o->all_day) {
        char date[32];
        cal_format_start(o, date);
        snprintf(when, sizeof(when), "All day on %s (<t:%lld:R>)", date, (long long)o->start);
    } else {
        snprintf(when, sizeof(when), "<t:%lld:F> (<t:%lld:R>)", (long long)o->start,
                 (long long)o->start);
    }
    int rc = msg_embed_field(e, "Starts", when, false);
    if (!rc && o->location[0])
        rc = msg_embed_field(e, "Where", o->location, false);
    if (!rc && o->url[0])
        rc = msg_embed_field(e, "Link", o->url, false);
    return rc;
}

static void on_posted(void *arg, const struct chat_result *res)
{
    struct fly *f = arg;
    struct app *app = f->r->app;
    int64_t now = app_now(app);
    if (res->rc == 0)
        store_delivery_mark(app->store, f->key, DLV_SENT, res->id, NULL, now);
    else if (res->http_status == 403 || res->http_status == 404 || res->http_status == 400) {
        store_delivery_mark(app->store, f->key, DLV_FAILED, NULL, res->detail, now);
        log_error("calendar", "reminder refused key=%s status=%d code=%d", f->key, res->http_status,
                  res->discord_code);
    } else {
        f->r->retry_at = f->sent_at + RETRY_S;
        log_warn("calendar", "reminder failed, will retry key=%s", f->key);
    }
    f->used = false;
}

static bool flying(struct rem_state *r, const char *key)
{
    for (int i = 0; i < MAX_FLY; i++)
        if (r->fly[i].used && strcmp(r->fly[i].key, key) == 0)
            return true;
    return false;
}

/* Returns true while the reminder still needs sending (in flight or failed). */
static bool post_one(struct app *app, struct rem_state *r, struct feed *f,
                     const struct cal_reminder *rm, int64_t now)
{
    char occ[200], key[256];
    if (cal_occ_key(&rm->occ, rm->fire, occ, sizeof(occ)))
        return false;
    snprintf(key, sizeof(key), "cal/%" PRId64 "/%s", f->id, occ);
    struct delivery dl;
    bool created;
    if (flying(r, key))
        return true;
    int got = store_delivery_get(app->store, key, &dl);
    if (got == BOT_ENOTFOUND)
        got = store_delivery_begin(app->store, key, "reminder", f->row.channel_id, rm->fire, now,
                                   &dl, &created);
    if (got)
        return true;
    if (dl.state != DLV_PENDING)
        return false;
    struct fly *slot = NULL;
    for (int i = 0; i < MAX_FLY && !slot; i++)
        if (!r->fly[i].used)
            slot = &r->fly[i];
    if (!slot)
        return true;
    struct message m;
    msg_init(&m);
    if (rem_message(&rm->occ, &m) == 0) {
        *slot = (struct fly){.r = r, .sent_at = now, .used = true};
        snprintf(slot->key, sizeof(slot->key), "%s", key);
        if (app->chat.ops->post(app->chat.impl, f->row.channel_id, &m, dl.nonce, on_posted, slot))
            slot->used = false;
    }
    msg_free(&m);
    return store_delivery_get(app->store, key, &dl) != 0 || dl.state == DLV_PENDING;
}

/* Posts the feed's due reminders and remembers when the next one fires. */
static void post_due(struct app *app, struct rem_state *r, struct feed *f, int64_t now)
{
    if (!f->cal || now < f->next_check)
        return;
    int64_t window = (int64_t)app->cfg->catchup_hours * 3600;
    struct cal_reminder *rs = NULL;
    size_t n = 0;
    if (cal_reminders(f->cal, now - window, now + 86400, f->leads, (size_t)f->nleads, &rs, &n))
        return;
    int64_t next = now + 3600;
    for (size_t i = 0; i < n; i++) {
        if (rs[i].fire > now) {
            next = rs[i].fire < next ? rs[i].fire : next;
            continue;
        }
        if (cal_reminder_due(&rs[i], now) && post_one(app, r, f, &rs[i], now))
            next = now + 1; /* look again soon: in flight or to be retried */
    }
    free(rs);
    f->next_check = next;
}

void rem_tick(struct app *app, struct rem_state *r, int64_t now)
{
    if (r->dirty)
        sync_feeds(app, r, now);
    drain_results(app, r, now);
    start_refreshes(app, r, now);
    if (!app->chat.ops || now < r->retry_at)
        return;
    for (size_t i = 0; i < r->nfeeds; i++)
        post_due(app, r, &r->feeds[i], now);
}

long rem_feed_events(struct rem_state *r, int64_t id)
{
    struct feed *f = find_feed(r, id);
    return f && f->cal ? (long)cal_feed_event_count(f->cal) : -1;
}

static int by_start(const void *a, const void *b)
{
    const struct cal_occ *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : strcmp(x->uid, y->uid);
}

static bool feed_in_guild(struct app *app, const struct feed *f, const char *guild_id)
{
    if (f->row.guild_id[0])
        return strcmp(f->row.guild_id, guild_id) == 0;
    const char *g = guilds_channel_guild(app->guilds, f->row.channel_id);
    return g && strcmp(g, guild_id) == 0;
}

int rem_schedule(struct app *app, struct rem_state *r, const char *guild_id, int64_t now, int days,
                 struct message *m)
{
    struct cal_occ *all = NULL;
    size_t nall = 0;
    for (size_t i = 0; i < r->nfeeds; i++) {
        struct feed *f = &r->feeds[i];
        struct cal_occ *o = NULL;
        size_t n = 0;
        if (!f->cal || !feed_in_guild(app, f, guild_id) ||
            cal_expand(f->cal, now, now + (int64_t)days * 86400, &o, &n) || n == 0)
            continue;
        struct cal_occ *p = realloc(all, (nall + n) * sizeof(*p));
        if (!p) {
            free(o);
            continue;
        }
        all = p;
        for (size_t k = 0; k < n; k++)
            if (!o[k].cancelled)
                all[nall++] = o[k];
        free(o);
    }
    if (nall)
        qsort(all, nall, sizeof(*all), by_start);
    struct buf b;
    buf_init(&b, 4000);
    for (size_t i = 0; i < nall && i < 25; i++)
        buf_printf(&b, "<t:%lld:f> \xc2\xb7 %s%s%s%s\n", (long long)all[i].start,
                   all[i].summary[0] ? all[i].summary : "(untitled)",
                   all[i].location[0] ? " (" : "", all[i].location, all[i].location[0] ? ")" : "");
    if (nall > 25)
        buf_printf(&b, "... and %zu more.", nall - 25);
    char title[80];
    snprintf(title, sizeof(title), "Coming up in the next %d day%s", days, days == 1 ? "" : "s");
    int rc =
        msg_add_embed(m, title, nall ? buf_str(&b) : "Nothing on the calendars.") ? 0 : BOT_ENOMEM;
    buf_free(&b);
    free(all);
    return rc;
}
