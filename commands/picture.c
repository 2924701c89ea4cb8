/* picture.c - pictures that follow a text reply (see picture.h). */
#include "commands/picture.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "commands/interaction.h"
#include "commands/registry.h"
#include "config/config.h"
#include "render/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOD "render"

/* One picture on its way: what the edit needs once the PNG is there. */
struct pic {
    struct app *app;
    struct interaction ix; /* a copy: its token is a secret, never logged */
    struct message reply;  /* the text reply as sent, the edit's base */
    char file[64], title[64], console_name[96];
};

static void pic_free(struct pic *p)
{
    if (!p)
        return;
    ix_free(&p->ix);
    msg_free(&p->reply);
    free(p);
}

void pic_want(struct cmd_ctx *c, struct render_job *job, const char *file, const char *title,
              const char *console_name)
{
    if (!job)
        return;
    if (!c->pic || !c->app->render || !c->app->chat.ops->edit_original) {
        render_job_free(job); /* no worker here (tests, tools): the text goes alone */
        return;
    }
    pic_drop(c->pic);
    c->pic->job = job;
    snprintf(c->pic->file, sizeof(c->pic->file), "%s", file);
    snprintf(c->pic->title, sizeof(c->pic->title), "%s", title);
    snprintf(c->pic->console_name, sizeof(c->pic->console_name), "%s", console_name);
}

void pic_drop(struct pic_req *req)
{
    if (!req)
        return;
    render_job_free(req->job);
    req->job = NULL;
}

/* Where the console writes a picture: beside the database (or in TMPDIR). */
static void console_path(const struct app *app, const char *name, char *out, size_t len)
{
    const char *db = app->cfg && app->cfg->db_path ? app->cfg->db_path : "";
    const char *slash = strrchr(db, '/');
    const char *tmp = getenv("TMPDIR");
    if (slash)
        snprintf(out, len, "%.*s/%s", (int)(slash - db), db, name);
    else if (*db && strcmp(db, ":memory:") != 0)
        snprintf(out, len, "%s", name);
    else
        snprintf(out, len, "%s/%s", tmp && *tmp ? tmp : "/tmp", name);
}

static void on_edit(void *arg, const struct chat_result *res)
{
    struct pic *p = arg;
    if (res->rc) /* chat_discord logged Discord's answer; this names the picture */
        log_warn(MOD, "%s for interaction %s not shown: %s", p->title, p->ix.id,
                 res->detail && *res->detail ? res->detail : bot_strerror(res->rc));
    pic_free(p);
}

/* Console: the file beside the database, and one line that names it. */
static int console_edit(struct pic *p, const struct render_png *png, struct message *m)
{
    char path[600];
    console_path(p->app, p->console_name, path, sizeof(path));
    FILE *f = fopen(path, "wb");
    size_t n = f ? fwrite(png->data, 1, png->len, f) : 0;
    if (!f || fclose(f) != 0 || n != png->len) {
        log_warn(MOD, "cannot write %s", path);
        return msg_set_content(m, "(%s: could not write %s.)", p->title, path);
    }
    return msg_set_content(m, "%s (%dx%d PNG, %zu bytes) written to %s", p->title, png->width,
                           png->height, png->len, path);
}

/* Discord: the reply as sent, plus the picture's embed and file. */
static int discord_edit(struct pic *p, const struct render_png *png, struct message *m)
{
    int rc = msg_copy(m, &p->reply);
    if (!rc)
        rc = msg_add_file(m, p->file, (const char *)png->data, png->len);
    struct msg_embed *e = rc ? NULL : msg_add_embed(m, p->title, NULL);
    char url[128];
    snprintf(url, sizeof(url), "attachment://%s", p->file);
    if (!rc && (!e || msg_embed_image(e, url)))
        rc = e ? BOT_ENOMEM : BOT_EFULL;
    if (e)
        e->color = 0x009E73;
    return rc;
}

static void on_drawn(void *arg, struct render_done *d)
{
    struct pic *p = arg;
    if (d->rc) {
        log_warn(MOD, "%s for interaction %s not drawn: %s; the text reply went alone", p->title,
                 p->ix.id, d->err);
        pic_free(p);
        return;
    }
    log_debug(MOD, "%s ready: %zu bytes, waited %lld us, drawn in %lld us", p->title, d->png->len,
              (long long)d->wait_us, (long long)d->draw_us);
    struct message m;
    msg_init(&m);
    int rc = p->ix.console ? console_edit(p, d->png, &m) : discord_edit(p, d->png, &m);
    if (!rc)
        rc = p->app->chat.ops->edit_original(p->app->chat.impl, &p->ix, &m, on_edit, p);
    msg_free(&m);
    if (rc) { /* not queued: on_edit will not run */
        log_warn(MOD, "%s for interaction %s not shown: %s", p->title, p->ix.id, bot_strerror(rc));
        pic_free(p);
    }
}

void pic_start(struct app *app, const struct interaction *ix, const struct message *reply,
               struct pic_req *req)
{
    if (!req || !req->job)
        return;
    struct pic *p = calloc(1, sizeof(*p));
    int rc = p ? 0 : BOT_ENOMEM;
    if (p) {
        p->app = app;
        msg_init(&p->reply);
        snprintf(p->file, sizeof(p->file), "%s", req->file);
        snprintf(p->title, sizeof(p->title), "%s", req->title);
        snprintf(p->console_name, sizeof(p->console_name), "%s", req->console_name);
        rc = ix_copy(&p->ix, ix);
        if (!rc)
            rc = msg_copy(&p->reply, reply);
    }
    if (!rc)
        rc = render_pool_submit(app->render, req->job, on_drawn, p);
    if (rc) {
        log_warn(MOD, "%s for interaction %s not drawn: %s; the text reply went alone", req->title,
                 ix->id, rc == BOT_EFULL ? "the render queue is full" : bot_strerror(rc));
        pic_free(p);
        pic_drop(req);
        return;
    }
    req->job = NULL; /* the pool's now */
}
