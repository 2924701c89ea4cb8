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
#include "schedules/feed_pool.h"
#include "schedules/study_groups.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_FLY 64
#define RETRY_S 60
#define POOL_THREADS 4
#define TICK_BUDGET_NS 20000000L /* post_due work per tick before yielding to the loop */

struct feed {
    int64_t id;
    struct cal_feed *cal; /* last good parse, or NULL */
    int64_t next_refresh, next_check;
    bool busy;         /* a job for it is in the pool */
    bool parse_stored; /* its stored copy still needs parsing (on a worker) */
    bool seen;
    bool too_big_told; /* its expansion hit the budget; told once */
    bool heavy;        /* the worker's trial was over budget or too slow: never expanded
                          on the loop thread until the feed changes */
    int leads[CFG_MAX_LEADS];
    int nleads;
    struct feed_row row;
    char cfg_guild[GUILDS_ID_LEN]; /* feed_guild's answer for a config feed (no guild_id) */
};

struct fly {
    struct rem_state *r;
    char key[256];
    char guild[24]; /* the posting slot's owner: at most guild_post_slots each */
    int64_t sent_at;
    bool used;
};

struct rem_state {
    struct app *app;
    struct feed *feeds;
    size_t nfeeds, cursor; /* cursor: where the next tick's posting pass starts */
    bool dirty;
    int64_t refresh_id, retry_at;
    struct fly fly[MAX_FLY];
    struct feed_pool *pool;
};

struct rem_state *rem_new(struct app *app)
{
    struct rem_state *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->app = app;
    r->dirty = true;
    r->pool = feed_pool_new(POOL_THREADS);
    if (!r->pool) {
        free(r);
        return NULL;
    }
    return r;
}

void rem_free(struct rem_state *r)
{
    if (!r)
        return;
    feed_pool_free(r->pool);
    for (size_t i = 0; i < r->nfeeds; i++)
        cal_feed_free(r->feeds[i].cal);
    free(r->feeds);
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
    char found[GUILDS_ID_LEN];
    const char *guild = f->row.guild_id[0] ? f->row.guild_id
                        : guilds_channel_guild(app->guilds, f->row.channel_id, found) ? found
                                                                                      : NULL;
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

/* The guild a feed belongs to ("" for the operator's config feeds whose channel is
 * not known yet). */
static const char *feed_guild(struct app *app, struct feed *f)
{
    if (f->row.guild_id[0])
        return f->row.guild_id;
    if (!guilds_channel_guild(app->guilds, f->row.channel_id, f->cfg_guild))
        f->cfg_guild[0] = '\0';
    return f->cfg_guild;
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
    f->parse_stored = strcmp(row->source, STUDY_GROUPS_SOURCE) != 0;
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

/* A refresh failed: `why` is what admins see (generic, safe for Discord), `detail`
 * goes to the log only (URLs already redacted by the fetcher). */
static void feed_failed(struct app *app, struct feed *f, const char *why, const char *detail)
{
    bool first = false;
    store_feed_error(app->store, f->id, why, &first);
    size_t n = strlen(why);
    n = n < sizeof(f->row.last_error) ? n : sizeof(f->row.last_error) - 1;
    memcpy(f->row.last_error, why, n); /* shown cut; the full text went to the store */
    f->row.last_error[n] = '\0';
    if (first)
        log_error("calendar", "feed %" PRId64 " failed, keeping its last good copy: %s", f->id,
                  detail && *detail ? detail : why);
    else
        log_debug("calendar", "feed %" PRId64 " still failing: %s", f->id,
                  detail && *detail ? detail : why);
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

/* True when the guild's stored calendars plus `len` new bytes stay within its quota. */
static bool within_quota(struct app *app, struct feed *f, size_t len)
{
    int64_t others = 0;
    if (!f->row.guild_id[0])
        return true; /* the operator's own feeds */
    if (store_feed_guild_bytes(app->store, f->row.guild_id, f->id, &others))
        return false;
    return (uint64_t)others + len <= app->cfg->guild_feed_bytes;
}

static void apply_parsed(struct app *app, struct feed *f, struct feed_job *j)
{
    cal_feed_free(f->cal);
    f->cal = j->cal;
    j->cal = NULL;
    f->next_check = 0;
    f->too_big_told = false;
    f->heavy = j->trial_rc == BOT_ETOOBIG || j->trial_us > FEED_TRIAL_MAX_US;
    if (f->heavy) {
        char why[200];
        snprintf(why, sizeof(why),
                 "the calendar is too complex for the bot to follow (more than %d events in "
                 "a day, or rules that take too long to expand); its reminders are paused "
                 "until it changes",
                 CAL_MAX_OCC);
        feed_failed(app, f, why, NULL);
        f->too_big_told = true;
        log_warn("calendar", "feed %" PRId64 " too costly: trial rc=%d took %ld us", f->id,
                 j->trial_rc, j->trial_us);
    }
}

/* Applies one finished job on the loop thread (pointer swaps and one store write). */
static void apply_result(struct app *app, struct rem_state *r, struct feed_job *j, int64_t now)
{
    struct feed *f = find_feed(r, j->id);
    if (!f)
        return; /* removed meanwhile */
    f->busy = false;
    if (j->body) { /* the stored copy */
        if (j->parse_rc)
            log_warn("calendar", "stored copy of feed %" PRId64 " does not parse: %s", f->id,
                     j->parse_err);
        else
            apply_parsed(app, f, j);
        return;
    }
    f->next_refresh = now + (int64_t)app->cfg->feed_refresh_minutes * 60;
    char why[BOT_ERR_LEN + 32];
    switch (j->res.status) {
    case FEED_CHANGED:
        if (j->parse_rc) {
            snprintf(why, sizeof(why), "not a valid calendar: %s", j->parse_err);
            feed_failed(app, f, why, NULL);
            return;
        }
        if (!within_quota(app, f, j->res.len)) {
            snprintf(why, sizeof(why),
                     "this server's calendars together would exceed %zu KiB, the bot's limit",
                     app->cfg->guild_feed_bytes / 1024);
            feed_failed(app, f, why, NULL);
            return;
        }
        feed_succeeded(app, f, &j->res.v, j->res.body, j->res.len, now);
        apply_parsed(app, f, j); /* after: a too-costly feed's error must stay */
        log_info("calendar", "feed %" PRId64 " updated events=%zu", f->id,
                 cal_feed_event_count(f->cal));
        break;
    case FEED_UNCHANGED:
        feed_succeeded(app, f, &j->res.v, NULL, 0, now);
        break;
    default:
        feed_failed(app, f, j->res.err, j->res.detail);
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
        feed_failed(app, f, "no cohort in this server to describe", NULL);
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
                feed_failed(app, f, err, NULL);
        }
    }
    buf_free(&b);
}

static struct feed_job *new_job(struct app *app, struct feed *f)
{
    struct feed_job *j = calloc(1, sizeof(*j));
    if (!j)
        return NULL;
    j->id = f->id;
    j->trial_now = app_now(app);
    j->trial_nleads = f->nleads < 8 ? f->nleads : 8;
    memcpy(j->trial_leads, f->leads, (size_t)j->trial_nleads * sizeof(int));
    snprintf(j->guild, sizeof(j->guild), "%s", feed_guild(app, f));
    feed_zone(app, f, j->zone, sizeof(j->zone));
    return j;
}

/* A job parsing the stored copy, or NULL when there is none (nothing to do). */
static struct feed_job *stored_job(struct app *app, struct feed *f)
{
    char *body = NULL;
    size_t len = 0;
    f->parse_stored = false;
    if (store_feed_body(app->store, f->id, &body, &len) || !body)
        return NULL;
    struct feed_job *j = new_job(app, f);
    if (!j) {
        free(body);
        return NULL;
    }
    j->body = body;
    j->len = len;
    return j;
}

static struct feed_job *fetch_job(struct app *app, struct feed *f)
{
    struct feed_job *j = new_job(app, f);
    if (!j)
        return NULL;
    const struct config *cfg = app->cfg;
    snprintf(j->source, sizeof(j->source), "%s", f->row.source);
    snprintf(j->prev.etag, sizeof(j->prev.etag), "%s", f->row.etag);
    snprintf(j->prev.last_modified, sizeof(j->prev.last_modified), "%s", f->row.last_modified);
    j->prev.have_hash = f->row.content_hash[0] && f->cal;
    j->prev.hash = strtoull(f->row.content_hash, NULL, 16);
    j->opts = (struct feed_opts){.max_bytes = cfg->feed_max_bytes,
                                 .timeout_ms = cfg->feed_timeout_s * 1000L,
                                 .connect_timeout_ms = cfg->feed_connect_timeout_s * 1000L,
                                 .allow_private = (const char *const *)cfg->allow_private,
                                 .nallow = cfg->nallow};
    return j;
}

static void start_refreshes(struct app *app, struct rem_state *r, int64_t now)
{
    for (size_t i = 0; i < r->nfeeds; i++) {
        struct feed *f = &r->feeds[i];
        if (f->busy)
            continue;
        if (!f->parse_stored && now < f->next_refresh)
            continue;
        if (!f->parse_stored && strcmp(f->row.source, STUDY_GROUPS_SOURCE) == 0) {
            refresh_study_groups(app, f, now);
            continue;
        }
        struct feed_job *j = f->parse_stored ? stored_job(app, f) : fetch_job(app, f);
        if (!j)
            continue;
        if (feed_pool_submit(r->pool, j)) {
            feed_job_free(j); /* queue full: try again next tick */
            return;
        }
        f->busy = true;
    }
}

static void drain_results(struct app *app, struct rem_state *r, int64_t now)
{
    struct feed_job *done[16];
    int n = feed_pool_take(r->pool, done, 16); /* the rest on the next passes */
    for (int i = 0; i < n; i++) {
        apply_result(app, r, done[i], now);
        feed_job_free(done[i]);
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
    if (got == 0 && dl.state != DLV_PENDING)
        return false;
    if (got && got != BOT_ENOTFOUND)
        return true;
    /* a slot first, then the ledger row: a backlog costs reads, not one fsync'd
     * write per waiting reminder in one loop pass */
    const char *guild = feed_guild(app, f);
    struct fly *slot = NULL;
    int mine = 0;
    for (int i = 0; i < MAX_FLY; i++) {
        if (!r->fly[i].used && !slot)
            slot = &r->fly[i];
        mine += r->fly[i].used && strcmp(r->fly[i].guild, guild) == 0;
    }
    if (!slot || mine >= app->cfg->guild_post_slots)
        return true; /* a guild's backlog never takes another guild's slots */
    if (got == BOT_ENOTFOUND && store_delivery_begin(app->store, key, "reminder", f->row.channel_id,
                                                     rm->fire, now, &dl, &created))
        return true;
    struct message m;
    msg_init(&m);
    if (rem_message(&rm->occ, &m) == 0) {
        *slot = (struct fly){.r = r, .sent_at = now, .used = true};
        snprintf(slot->key, sizeof(slot->key), "%s", key);
        snprintf(slot->guild, sizeof(slot->guild), "%s", guild);
        if (app->chat.ops->post(app->chat.impl, f->row.channel_id, &m, dl.nonce, on_posted, slot))
            slot->used = false;
    }
    msg_free(&m);
    return store_delivery_get(app->store, key, &dl) != 0 || dl.state == DLV_PENDING;
}

/* Posts the feed's due reminders and remembers when the next one fires. */
static void post_due(struct app *app, struct rem_state *r, struct feed *f, int64_t now)
{
    if (!f->cal || f->heavy || now < f->next_check)
        return;
    int64_t window = (int64_t)app->cfg->catchup_hours * 3600;
    struct cal_reminder *rs = NULL;
    size_t n = 0;
    int rc = cal_reminders(f->cal, now - window, now + 86400, f->leads, (size_t)f->nleads, &rs, &n);
    if (rc == BOT_ETOOBIG) {
        if (!f->too_big_told) {
            char why[160];
            snprintf(why, sizeof(why),
                     "the calendar has more than %d events within a day, more than the bot "
                     "handles; its reminders are paused until it changes",
                     CAL_MAX_OCC);
            feed_failed(app, f, why, NULL);
            f->too_big_told = true;
        }
        f->next_check = now + 3600;
        return;
    }
    if (rc) {
        f->next_check = now + 60;
        return;
    }
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
    if (!app->chat.ops || now < r->retry_at || r->nfeeds == 0)
        return;
    /* Round robin from where the last pass stopped, within a time budget, so many
     * large feeds never make one loop pass long and every feed gets its turn. */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t k = 0; k < r->nfeeds; k++) {
        post_due(app, r, &r->feeds[(r->cursor + k) % r->nfeeds], now);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long spent = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
        if (spent > TICK_BUDGET_NS) {
            r->cursor = (r->cursor + k + 1) % r->nfeeds;
            return;
        }
    }
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
    return guilds_channel_in(app->guilds, guild_id, f->row.channel_id);
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
        if (!f->cal || f->heavy || !feed_in_guild(app, f, guild_id) ||
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
