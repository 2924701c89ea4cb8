/* console.c - console mode: the console implementation of struct chat and the
 * read-eval-print loop over the same command registry and schedules (console.h). */
#include "bot/console.h"
#include "bot/app.h"
#include "bot/backup.h"
#include "bot/err.h"
#include "bot/gcommit.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/notify.h"
#include "commands/registry.h"
#include "bot/tz.h"
#include "schedules/scheduler.h"
#include "schedules/sessions_sync.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_USERS 64
#define GENERAL_ID "1000000000000000100"

struct console {
    struct app *app;
    FILE *out;
    char user[64];
    bool admin;
    uint64_t next_id;
    struct {
        char id[IX_ID_LEN], name[64];
    } users[MAX_USERS];
    int nusers;
    struct gc *gc;       /* group commit: replies of one read() chunk share a commit */
    struct message last; /* last message with buttons (for /press) */
    char modal_id[101];  /* last modal opened (for /submit) */
};

static void remember_user(struct console *c, const char *name)
{
    char id[IX_ID_LEN];
    console_user_id(name, id);
    for (int i = 0; i < c->nusers; i++)
        if (strcmp(c->users[i].id, id) == 0)
            return;
    if (c->nusers < MAX_USERS) {
        snprintf(c->users[c->nusers].id, IX_ID_LEN, "%s", id);
        snprintf(c->users[c->nusers].name, 64, "%s", name);
        c->nusers++;
    }
}

static const char *user_name(struct console *c, const char *id)
{
    for (int i = 0; i < c->nusers; i++)
        if (strcmp(c->users[i].id, id) == 0)
            return c->users[i].name;
    return id;
}

static void print_message(struct console *c, const char *header, const struct message *m)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    msg_render_text(m, &b);
    fprintf(c->out, "%s\n%s", header, buf_str(&b));
    fflush(c->out);
    buf_free(&b);
    if (m->nbuttons || m->nselects) {
        msg_free(&c->last);
        msg_copy(&c->last, m);
    }
    if (m->kind == MSG_KIND_MODAL && m->modal_id) {
        snprintf(c->modal_id, sizeof(c->modal_id), "%s", m->modal_id);
        fprintf(c->out, "(fill it in with /submit name:value ...)\n");
    }
}

static void done_ok(struct console *c, chat_done_fn done, void *arg)
{
    char id[IX_ID_LEN];
    snprintf(id, sizeof(id), "%llu", (unsigned long long)c->next_id++);
    struct chat_result r = {.rc = 0, .http_status = 200, .id = id};
    if (done)
        done(arg, &r);
}

static int c_post(void *impl, const char *channel_id, const struct message *m, const char *nonce,
                  chat_done_fn done, void *arg)
{
    struct console *c = impl;
    (void)nonce;
    const char *name = guilds_channel_name(c->app->guilds, CONSOLE_GUILD_ID, channel_id);
    char header[160];
    snprintf(header, sizeof(header), "== #%s ==", name ? name : channel_id);
    print_message(c, header, m);
    done_ok(c, done, arg);
    return 0;
}

static int c_dm(void *impl, const char *user_id, const struct message *m, const char *nonce,
                chat_done_fn done, void *arg)
{
    struct console *c = impl;
    (void)nonce;
    char header[160];
    snprintf(header, sizeof(header), "== DM to @%s ==", user_name(c, user_id));
    print_message(c, header, m);
    done_ok(c, done, arg);
    return 0;
}

static int c_reply(void *impl, const struct interaction *ix, const struct message *m)
{
    struct console *c = impl;
    (void)ix;
    print_message(c, "--", m);
    return 0;
}

static int c_defer(void *impl, struct interaction *ix)
{
    (void)impl;
    (void)ix;
    return 0;
}

static int c_create_channel(void *impl, const char *guild_id, const char *name, int type,
                            const char *parent_id, const char *topic, chat_done_fn done, void *arg)
{
    struct console *c = impl;
    (void)topic;
    char id[IX_ID_LEN];
    snprintf(id, sizeof(id), "%llu", (unsigned long long)c->next_id++);
    (void)parent_id; /* the cache keeps no parents */
    int rc = guilds_channel_upsert(c->app->guilds, guild_id, id, name, type);
    struct chat_result r = {.rc = rc, .http_status = rc ? 400 : 201, .id = id};
    if (done)
        done(arg, &r);
    return 0;
}

static void print_event(struct console *c, const char *what, const char *event_id,
                        const struct chat_event *ev)
{
    char when[40] = "";
    if (ev && ev->start) {
        struct civil u;
        tz_from_utc("UTC", ev->start, &u);
        snprintf(when, sizeof(when), " %04d-%02d-%02dT%02d:%02dZ", u.year, u.month, u.day, u.hour,
                 u.minute);
    }
    const char *ch = ev && ev->channel_id
                         ? guilds_channel_name(c->app->guilds, CONSOLE_GUILD_ID, ev->channel_id)
                         : NULL;
    fprintf(c->out, "== event %s %s ==%s%s%s%s%s\n", what, event_id, ev && ev->name ? " " : "",
            ev && ev->name ? ev->name : "", when, ch ? " in #" : "", ch ? ch : "");
    if (ev && ev->status)
        fprintf(c->out, "status %d\n", ev->status);
    fflush(c->out);
}

static int c_create_event(void *impl, const char *guild_id, const struct chat_event *ev,
                          chat_done_fn done, void *arg)
{
    struct console *c = impl;
    (void)guild_id;
    char id[IX_ID_LEN];
    snprintf(id, sizeof(id), "%llu", (unsigned long long)c->next_id++);
    print_event(c, "created", id, ev);
    struct chat_result r = {.rc = 0, .http_status = 200, .id = id};
    if (done)
        done(arg, &r);
    return 0;
}

static int c_modify_event(void *impl, const char *guild_id, const char *event_id,
                          const struct chat_event *ev, chat_done_fn done, void *arg)
{
    struct console *c = impl;
    (void)guild_id;
    print_event(c, ev->status ? "status" : "updated", event_id, ev);
    struct chat_result r = {.rc = 0, .http_status = 200, .id = event_id};
    if (done)
        done(arg, &r);
    return 0;
}

static int c_delete_event(void *impl, const char *guild_id, const char *event_id, chat_done_fn done,
                          void *arg)
{
    struct console *c = impl;
    (void)guild_id;
    print_event(c, "deleted", event_id, NULL);
    struct chat_result r = {.rc = 0, .http_status = 204, .id = ""};
    if (done)
        done(arg, &r);
    return 0;
}

/* The console keeps no events of its own: creates never have an unknown outcome here. */
static int c_list_events(void *impl, const char *guild_id, chat_events_fn done, void *arg)
{
    (void)impl;
    (void)guild_id;
    struct chat_result r = {.rc = 0, .http_status = 200, .id = ""};
    done(arg, &r, NULL, 0);
    return 0;
}

static const struct chat_ops console_ops = {
    .post = c_post,
    .dm = c_dm,
    .reply = c_reply,
    .defer = c_defer,
    .create_channel = c_create_channel,
    .create_event = c_create_event,
    .modify_event = c_modify_event,
    .delete_event = c_delete_event,
    .list_events = c_list_events,
};

static void setup_guild(struct app *app)
{
    guilds_add(app->guilds, CONSOLE_GUILD_ID, "console");
    guilds_channel_upsert(app->guilds, CONSOLE_GUILD_ID, GENERAL_ID, "general", 0);
    for (int w = 1; w <= 10; w++) {
        char id[IX_ID_LEN], name[16];
        snprintf(id, sizeof(id), "10000000000000001%02d", w);
        snprintf(name, sizeof(name), "week-%02d", w);
        guilds_channel_upsert(app->guilds, CONSOLE_GUILD_ID, id, name, 0);
    }
    guilds_channel_upsert(app->guilds, CONSOLE_GUILD_ID, "1000000000000000150", "mentors", 0);
}

/* Fills the common fields of a console interaction; data is stolen. */
static void make_ix(struct console *c, struct interaction *ix, enum ix_type type, json_t *data)
{
    memset(ix, 0, sizeof(*ix));
    ix->type = type;
    ix->console = true;
    snprintf(ix->id, sizeof(ix->id), "%llu", (unsigned long long)c->next_id++);
    snprintf(ix->application_id, sizeof(ix->application_id), "%s", CONSOLE_APP_ID);
    snprintf(ix->guild_id, sizeof(ix->guild_id), "%s", CONSOLE_GUILD_ID);
    snprintf(ix->channel_id, sizeof(ix->channel_id), "%s", GENERAL_ID);
    console_user_id(c->user, ix->user_id);
    snprintf(ix->user_name, sizeof(ix->user_name), "%s", c->user);
    ix->permissions = c->admin ? (1u << 5) : 0;
    ix->token = strdup("console");
    ix->data = data;
    ix->resolved = json_object_get(data, "resolved");
    ix->received_ms = app_mono_ms();
}

static void run_ix(struct console *c, enum ix_type type, json_t *data)
{
    struct interaction ix;
    make_ix(c, &ix, type, data);
    cmd_dispatch(c->app, &ix);
    ix_free(&ix);
}

static void press(struct console *c, const char *label)
{
    for (int i = 0; i < c->last.nbuttons; i++) {
        const struct msg_button *b = &c->last.buttons[i];
        if (b->custom_id &&
            (strcasecmp(b->label, label) == 0 || strcmp(b->custom_id, label) == 0)) {
            run_ix(c, IX_COMPONENT,
                   json_pack("{s:s,s:i}", "custom_id", b->custom_id, "component_type", 2));
            return;
        }
    }
    fprintf(c->out, "no button \"%s\" on the last message\n", label);
}

/* /pick N VALUE picks VALUE in the last message's N-th select menu (1-based). */
static void pick(struct console *c, const char *args)
{
    char *end;
    long n = strtol(args, &end, 10);
    while (*end == ' ')
        end++;
    if (n < 1 || n > c->last.nselects || !*end) {
        fprintf(c->out, "usage: /pick N VALUE (the last message has %d menus)\n", c->last.nselects);
        return;
    }
    const struct msg_select *s = &c->last.selects[n - 1];
    for (int i = 0; i < s->noptions; i++)
        if (strcmp(s->options[i].value, end) == 0 || strcasecmp(s->options[i].label, end) == 0) {
            run_ix(c, IX_COMPONENT,
                   json_pack("{s:s,s:i,s:[s]}", "custom_id", s->custom_id, "component_type", 3,
                             "values", s->options[i].value));
            return;
        }
    fprintf(c->out, "no option \"%s\" in that menu\n", end);
}

/* /submit name:value ... answers the last modal. */
static void submit(struct console *c, const char *args)
{
    if (!c->modal_id[0]) {
        fprintf(c->out, "no form is open\n");
        return;
    }
    json_t *comps = json_array();
    char copy[2048];
    snprintf(copy, sizeof(copy), "%s", args);
    for (char *t = copy; *t;) {
        while (*t == ' ')
            t++;
        char *end = t + strcspn(t, " ");
        char hold = *end;
        *end = '\0';
        char *colon = strchr(t, ':');
        if (colon) {
            *colon = '\0';
            json_array_append_new(comps, json_pack("{s:i,s:{s:i,s:s,s:s}}", "type", 18, "component",
                                                   "type", 4, "custom_id", t, "value", colon + 1));
        }
        t = hold ? end + 1 : end;
    }
    run_ix(c, IX_MODAL, json_pack("{s:s,s:o}", "custom_id", c->modal_id, "components", comps));
    c->modal_id[0] = '\0';
}

/* Commits the batch so far and prints its replies (before anything is printed
 * directly, and before /press or /submit, which need the last reply on screen). */
static void sync_batch(struct console *c)
{
    if (c->gc) {
        gc_flush(c->gc);
        gc_begin(c->gc);
    }
}

/* /voice join NAME, /voice leave, /interested SESSION, /uninterested SESSION: the
 * gateway events a member's clicks would send, for the study groups. */
static void simulate_gateway(struct console *c, const char *line)
{
    char uid[IX_ID_LEN], err[200] = "";
    console_user_id(c->user, uid);
    int64_t now = app_now(c->app);
    int rc;
    if (strncmp(line, "/voice join ", 12) == 0)
        rc = sg_simulate_voice(c->app, CONSOLE_GUILD_ID, uid, line + 12, now, err, sizeof(err));
    else if (strcmp(line, "/voice leave") == 0)
        rc = sg_simulate_voice(c->app, CONSOLE_GUILD_ID, uid, NULL, now, err, sizeof(err));
    else if (strncmp(line, "/interested ", 12) == 0)
        rc = sg_simulate_interest(c->app, CONSOLE_GUILD_ID, uid, line + 12, true, now, err,
                                  sizeof(err));
    else if (strncmp(line, "/uninterested ", 14) == 0)
        rc = sg_simulate_interest(c->app, CONSOLE_GUILD_ID, uid, line + 14, false, now, err,
                                  sizeof(err));
    else {
        rc = BOT_EINVAL;
        snprintf(err, sizeof(err), "usage: /voice join NAME | /voice leave | /interested SESSION");
    }
    fprintf(c->out, "%s\n", rc ? err : "ok");
    fflush(c->out);
}

/* Returns 1 to quit. */
static int handle_line(struct console *c, char *line)
{
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
        line[--n] = '\0';
    while (*line == ' ')
        line++;
    if (!*line || line[0] == '#')
        return 0;
    if (line[0] != '/' || strncmp(line, "/as ", 4) == 0 || strncmp(line, "/admin", 6) == 0 ||
        strncmp(line, "/press", 6) == 0 || strncmp(line, "/submit", 7) == 0 ||
        strncmp(line, "/pick ", 6) == 0 || strcmp(line, "/quit") == 0 || strcmp(line, "/exit") == 0)
        sync_batch(c);
    if (strcmp(line, "/quit") == 0 || strcmp(line, "/exit") == 0)
        return 1;
    if (strncmp(line, "/as ", 4) == 0 && line[4]) {
        snprintf(c->user, sizeof(c->user), "%s", line[4] == '@' ? line + 5 : line + 4);
        remember_user(c, c->user);
        fprintf(c->out, "you are now %s%s\n", c->user, c->admin ? " (admin)" : "");
        return 0;
    }
    if (strcmp(line, "/admin on") == 0 || strcmp(line, "/admin off") == 0) {
        c->admin = strcmp(line, "/admin on") == 0;
        fprintf(c->out, "admin rights %s for %s\n", c->admin ? "on" : "off", c->user);
        return 0;
    }
    if (strncmp(line, "/pick ", 6) == 0) {
        pick(c, line + 6);
        return 0;
    }
    if (strncmp(line, "/press ", 7) == 0) {
        press(c, line + 7);
        return 0;
    }
    if (strncmp(line, "/submit", 7) == 0) {
        submit(c, line + 7);
        return 0;
    }
    if (strncmp(line, "/voice ", 7) == 0 || strncmp(line, "/interested ", 12) == 0 ||
        strncmp(line, "/uninterested ", 14) == 0) {
        sync_batch(c);
        simulate_gateway(c, line);
        return 0;
    }
    json_t *data = NULL;
    char err[256];
    if (cmd_console_parse(c->app, line, &data, err, sizeof(err))) {
        sync_batch(c);
        fprintf(c->out, "%s\n", err);
        return 0;
    }
    run_ix(c, IX_COMMAND, data);
    return 0;
}

static void banner(struct console *c)
{
    fprintf(c->out,
            "cohortbot %s console. You are %s%s. Type /help for commands; /as NAME to "
            "switch user, /admin on|off, /press LABEL to click a button, /quit to leave.\n",
            COHORTBOT_VERSION, c->user, c->admin ? " (admin)" : "");
    fflush(c->out);
}

int console_run(struct app *app, FILE *in, FILE *out)
{
    struct console c = {.app = app, .out = out, .admin = true, .next_id = 1100000000000000000ULL};
    snprintf(c.user, sizeof(c.user), "you");
    remember_user(&c, c.user);
    msg_init(&c.last);
    setup_guild(app);
    app->chat.ops = &console_ops;
    app->chat.impl = &c;
    if (app->store && (c.gc = gc_new(app->store, app->chat)))
        app->chat = gc_chat(c.gc);
    banner(&c);
    struct buf line;
    buf_init(&line, 8192);
    int fd = fileno(in), quit = 0;
    bool skipping = false; /* inside a line that was too long: drop up to its newline */
    notify_ready("console");
    while (!quit && !*app->stop) {
        notify_tick("console", app_mono_ms());
        backup_tick(app->cfg, app_now(app));
        int wait_s = app->sched ? sched_tick(app->sched, app_now(app)) : 1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (wait_s > 1 ? 1 : wait_s) * 1000);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0)
            continue;
        char chunk[4096];
        ssize_t got = read(fd, chunk, sizeof(chunk));
        if (got <= 0) {
            if (line.len && !skipping) /* a last line without newline */
                handle_line(&c, line.p);
            break;
        }
        if (c.gc)
            gc_begin(c.gc);
        for (ssize_t i = 0; i < got && !quit; i++) {
            if (chunk[i] != '\n') {
                if (!skipping && buf_append(&line, &chunk[i], 1)) {
                    sync_batch(&c); /* earlier replies of this chunk print first */
                    fprintf(out, "line too long, ignored\n");
                    skipping = true; /* the buffer is freed; its tail must not run */
                }
                continue;
            }
            if (line.len && !skipping)
                quit = handle_line(&c, line.p);
            fflush(out); /* /as, /admin and errors print without a message: a pipe sees them now */
            skipping = false;
            buf_reset(&line);
        }
        if (c.gc)
            gc_flush(c.gc);
    }
    notify_stopping();
    gc_free(c.gc);
    buf_free(&line);
    msg_free(&c.last);
    app->chat.ops = NULL;
    app->chat.impl = NULL;
    fprintf(out, "bye\n");
    fflush(out);
    return app->exit_code;
}
