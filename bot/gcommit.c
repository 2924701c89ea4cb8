/* gcommit.c - group commit around interaction replies (see gcommit.h). */
#include "bot/gcommit.h"
#include "bot/err.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/store_checkin.h"
#include "commands/interaction.h"

#include <stdlib.h>
#include <string.h>

#define GC_MAX_HELD 1024

struct held {
    struct interaction ix;
    struct message m;
    bool edit; /* an edit of an earlier answer (edit_original), with its completion */
    chat_done_fn done;
    void *arg;
};

struct gc {
    struct store *store;
    struct chat inner;
    bool open;
    struct held *held;
    int nheld;
};

static const char apology[] = "Sorry, that was not saved (the database did not accept it). "
                              "Please try again in a minute.";

static void send_apology(struct gc *g, const struct interaction *ix)
{
    struct message m;
    msg_init(&m);
    m.ephemeral = true;
    msg_set_content(&m, "%s", apology);
    g->inner.ops->reply(g->inner.impl, ix, &m);
    msg_free(&m);
}

/* Sends (ok) or apologises for (!ok) every held reply and forgets them. */
static void release(struct gc *g, bool ok)
{
    for (int i = 0; i < g->nheld; i++) {
        struct held *h = &g->held[i];
        if (h->edit) {
            int rc = ok ? g->inner.ops->edit_original(g->inner.impl, &h->ix, &h->m, h->done, h->arg)
                        : BOT_EIO;
            struct chat_result r = {.rc = rc, .detail = "the batch was not committed"};
            if (rc < 0 && h->done)
                h->done(h->arg, &r);
        } else if (ok)
            g->inner.ops->reply(g->inner.impl, &h->ix, &h->m);
        else
            send_apology(g, &h->ix);
        ix_free(&h->ix);
        msg_free(&h->m);
    }
    g->nheld = 0;
}

static int w_reply(void *impl, const struct interaction *ix, const struct message *m)
{
    struct gc *g = impl;
    if (!g->open)
        return g->inner.ops->reply(g->inner.impl, ix, m);
    if (!store_txn_open(g->store)) {
        /* a handler rolled the batch back: earlier writes are gone, say so */
        log_warn("gc", "batch rolled back by a handler held=%d", g->nheld);
        release(g, false);
        g->open = false;
        int rc = g->inner.ops->reply(g->inner.impl, ix, m);
        gc_begin(g);
        return rc;
    }
    if (g->nheld == GC_MAX_HELD) { /* bound the latency and memory of one batch */
        gc_flush(g);
        gc_begin(g);
        return w_reply(impl, ix, m);
    }
    struct held *h = &g->held[g->nheld];
    if (ix_copy(&h->ix, ix))
        return BOT_ENOMEM;
    if (msg_copy(&h->m, m)) {
        ix_free(&h->ix);
        return BOT_ENOMEM;
    }
    h->edit = false;
    g->nheld++;
    return 0;
}

/* An edit never overtakes a held reply: while replies are held it is held behind them. */
static int w_edit_original(void *impl, const struct interaction *ix, const struct message *m,
                           chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    if (!g->inner.ops->edit_original)
        return BOT_EINVAL;
    if (g->open && g->nheld == GC_MAX_HELD) { /* as a reply would: commit, send, go on */
        gc_flush(g);
        gc_begin(g);
    }
    if (!g->open || g->nheld == 0)
        return g->inner.ops->edit_original(g->inner.impl, ix, m, done, arg);
    struct held *h = &g->held[g->nheld];
    if (ix_copy(&h->ix, ix))
        return BOT_ENOMEM;
    if (msg_copy(&h->m, m)) {
        ix_free(&h->ix);
        return BOT_ENOMEM;
    }
    h->edit = true;
    h->done = done;
    h->arg = arg;
    g->nheld++;
    return 0;
}

static int w_post(void *impl, const char *channel_id, const struct message *m, const char *nonce,
                  chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    return g->inner.ops->post(g->inner.impl, channel_id, m, nonce, done, arg);
}

static int w_dm(void *impl, const char *user_id, const struct message *m, const char *nonce,
                chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    return g->inner.ops->dm(g->inner.impl, user_id, m, nonce, done, arg);
}

static int w_defer(void *impl, struct interaction *ix)
{
    struct gc *g = impl;
    return g->inner.ops->defer(g->inner.impl, ix);
}

static int w_create_channel(void *impl, const char *guild_id, const char *name, int type,
                            const char *parent_id, const char *topic, chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    return g->inner.ops->create_channel(g->inner.impl, guild_id, name, type, parent_id, topic, done,
                                        arg);
}

static int w_create_event(void *impl, const char *guild_id, const struct chat_event *ev,
                          chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    if (!g->inner.ops->create_event)
        return BOT_EINVAL;
    return g->inner.ops->create_event(g->inner.impl, guild_id, ev, done, arg);
}

static int w_modify_event(void *impl, const char *guild_id, const char *event_id,
                          const struct chat_event *ev, chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    if (!g->inner.ops->modify_event)
        return BOT_EINVAL;
    return g->inner.ops->modify_event(g->inner.impl, guild_id, event_id, ev, done, arg);
}

static int w_delete_event(void *impl, const char *guild_id, const char *event_id,
                          chat_done_fn done, void *arg)
{
    struct gc *g = impl;
    if (!g->inner.ops->delete_event)
        return BOT_EINVAL;
    return g->inner.ops->delete_event(g->inner.impl, guild_id, event_id, done, arg);
}

static int w_list_events(void *impl, const char *guild_id, chat_events_fn done, void *arg)
{
    struct gc *g = impl;
    if (!g->inner.ops->list_events)
        return BOT_EINVAL;
    return g->inner.ops->list_events(g->inner.impl, guild_id, done, arg);
}

static const struct chat_ops gc_ops = {
    .post = w_post,
    .dm = w_dm,
    .reply = w_reply,
    .defer = w_defer,
    .edit_original = w_edit_original,
    .create_channel = w_create_channel,
    .create_event = w_create_event,
    .modify_event = w_modify_event,
    .delete_event = w_delete_event,
    .list_events = w_list_events,
};

struct gc *gc_new(struct store *store, struct chat inner)
{
    struct gc *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->held = calloc(GC_MAX_HELD, sizeof(*g->held));
    if (!g->held) {
        free(g);
        return NULL;
    }
    g->store = store;
    g->inner = inner;
    return g;
}

void gc_free(struct gc *g)
{
    if (!g)
        return;
    gc_flush(g);
    free(g->held);
    free(g);
}

struct chat gc_chat(struct gc *g)
{
    return (struct chat){.ops = &gc_ops, .impl = g};
}

int gc_begin(struct gc *g)
{
    if (g->open)
        return 0;
    int rc = store_begin(g->store);
    g->open = rc == 0;
    return rc;
}

int gc_flush(struct gc *g)
{
    if (!g->open) {
        release(g, true); /* nothing can be held without a batch; defensive */
        return 0;
    }
    g->open = false;
    int rc = store_txn_open(g->store) ? store_commit(g->store) : BOT_EIO;
    if (rc)
        log_error("gc", "group commit failed held=%d rc=%d", g->nheld, rc);
    release(g, rc == 0);
    return rc;
}

int gc_held(const struct gc *g)
{
    return g->nheld;
}
