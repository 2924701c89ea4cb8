/* ledger_dm.c - DMs and posts through the delivery ledger (see ledger_dm.h). */
#include "schedules/ledger_dm.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANNOT_DM 50007

struct slot {
    struct ldm *s;
    struct app *app;
    char key[192], guild[24];
    char user[24];       /* DM recipient; "" for a channel post */
    char channel[24];    /* the fallback channel once used */
    struct message copy; /* the DM, kept for the fallback mention */
    int64_t sent_at;
    bool fallback, used;
};

struct ldm {
    struct ldm_opts o;
    struct slot slot[LDM_MAX_SLOTS];
    int64_t retry_at;
    int fails;
};

struct ldm *ldm_new(const struct ldm_opts *o)
{
    struct ldm *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->o = *o;
    if (s->o.slots < 1 || s->o.slots > LDM_MAX_SLOTS)
        s->o.slots = LDM_MAX_SLOTS;
    for (int i = 0; i < s->o.slots; i++)
        msg_init(&s->slot[i].copy);
    return s;
}

void ldm_free(struct ldm *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->o.slots; i++)
        msg_free(&s->slot[i].copy);
    free(s);
}

static int free_index(const struct ldm *s)
{
    for (int i = 0; i < s->o.slots; i++)
        if (!s->slot[i].used)
            return i;
    return -1;
}

static struct slot *free_slot(struct ldm *s)
{
    int i = free_index(s);
    return i < 0 ? NULL : &s->slot[i];
}

static bool in_flight(const struct ldm *s, const char *key)
{
    for (int i = 0; i < s->o.slots; i++)
        if (s->slot[i].used && strcmp(s->slot[i].key, key) == 0)
            return true;
    return false;
}

bool ldm_can_send(const struct ldm *s, int64_t now)
{
    return now >= s->retry_at && free_index(s) >= 0;
}

static void release(struct slot *f)
{
    msg_free(&f->copy);
    f->used = false;
}

static void on_sent(void *arg, const struct chat_result *r);

/* DMs closed: mention the member in the fallback channel instead. 1 = posted (the
 * slot stays in flight), 0 = no channel, <0 = could not queue. */
static int post_fallback(struct slot *f)
{
    struct cohort co;
    char chan[24], nonce_key[220], nonce[26];
    if (store_cohort_get(f->app->store, f->guild, &co) ||
        !f->s->o.fallback(f->app, &co, chan, sizeof(chan)))
        return 0;
    struct message m;
    int rc = msg_copy(&m, &f->copy);
    if (!rc)
        rc = msg_set_content(&m, "<@%s>, your DMs are closed, so here is your message:\n%s",
                             f->user, f->copy.content ? f->copy.content : "");
    m.mention_users = true;
    snprintf(nonce_key, sizeof(nonce_key), "%s/fallback", f->key);
    store_delivery_nonce(nonce_key, nonce);
    snprintf(f->channel, sizeof(f->channel), "%s", chan);
    f->fallback = true;
    if (!rc)
        rc = f->app->chat.ops->post(f->app->chat.impl, chan, &m, nonce, on_sent, f);
    msg_free(&m); /* f may be released by now (synchronous transports) */
    return rc ? rc : 1;
}

static void backoff(struct slot *f)
{
    struct ldm *s = f->s;
    int shift = s->fails < 6 ? s->fails : 6;
    int64_t wait = (int64_t)30 << shift;
    s->fails++;
    s->retry_at = f->sent_at + (wait > 1800 ? 1800 : wait);
}

static void on_sent(void *arg, const struct chat_result *r)
{
    struct slot *f = arg;
    const struct ldm_opts *o = &f->s->o;
    struct store *st = f->app->store;
    int64_t now = app_now(f->app);
    char detail[96];
    if (r->rc == 0) {
        snprintf(detail, sizeof(detail), "fallback: DMs closed, mentioned in <#%s>", f->channel);
        store_delivery_mark(st, f->key, DLV_SENT, r->id, f->fallback ? detail : NULL, now);
        f->s->fails = 0;
        log_info(o->mod, "sent key=%s%s%s%s", f->key, f->fallback ? " (" : "",
                 f->fallback ? o->fallback_what : "", f->fallback ? ")" : "");
    } else if (!f->fallback && f->user[0] && r->discord_code == CANNOT_DM) {
        int fb = post_fallback(f);
        if (fb == 1)
            return;
        if (fb == 0) {
            snprintf(detail, sizeof(detail), "DMs closed, no %s", o->fallback_what);
            store_delivery_mark(st, f->key, DLV_FAILED, NULL, detail, now);
            log_warn(o->mod, "DMs closed and no %s key=%s", o->fallback_what, f->key);
        } else {
            store_delivery_mark(st, f->key, DLV_PENDING, NULL, "fallback not queued", now);
            backoff(f);
        }
    } else if (r->http_status == 400 || r->http_status == 403 || r->http_status == 404) {
        store_delivery_mark(st, f->key, DLV_FAILED, NULL, r->detail, now);
        log_error(o->mod, "send refused key=%s status=%d code=%d", f->key, r->http_status,
                  r->discord_code);
    } else {
        store_delivery_mark(st, f->key, DLV_PENDING, NULL, r->detail, now);
        backoff(f);
        log_warn(o->mod, "send failed, will retry key=%s rc=%d", f->key, r->rc);
    }
    release(f);
}

int ldm_prepare(struct ldm *s, struct app *app, const char *key, const char *target, int64_t now,
                bool skip, const char *skip_why, struct delivery *dl)
{
    if (in_flight(s, key))
        return -1;
    bool created;
    int rc = store_delivery_get(app->store, key, dl);
    if (rc == BOT_ENOTFOUND)
        rc = store_delivery_begin(app->store, key, s->o.kind, target, now, now, dl, &created);
    if (rc)
        return -1;
    if (dl->state != DLV_PENDING)
        return 0;
    if (skip) {
        store_delivery_mark(app->store, key, DLV_SKIPPED, NULL, skip_why, now);
        log_warn(s->o.mod, "skipped key=%s: %s", key, skip_why);
        return 0;
    }
    return ldm_can_send(s, now) ? 1 : -1;
}

void ldm_launch(struct ldm *s, struct app *app, const char *guild, const char *key,
                const char *user, const char *channel, const struct message *m, const char *nonce,
                int64_t now)
{
    struct slot *f = free_slot(s);
    if (!f)
        return;
    const struct chat_ops *ops = app->chat.ops;
    f->s = s;
    f->app = app;
    f->sent_at = now;
    f->fallback = false;
    f->used = true;
    f->channel[0] = '\0';
    snprintf(f->key, sizeof(f->key), "%s", key);
    snprintf(f->guild, sizeof(f->guild), "%s", guild);
    snprintf(f->user, sizeof(f->user), "%s", user ? user : "");
    int rc = user ? msg_copy(&f->copy, m) : 0;
    if (!rc)
        rc = user ? ops->dm(app->chat.impl, user, m, nonce, on_sent, f)
                  : ops->post(app->chat.impl, channel, m, nonce, on_sent, f);
    if (rc) {
        log_warn(s->o.mod, "could not queue key=%s: %s", key, bot_strerror(rc));
        release(f);
    }
}
