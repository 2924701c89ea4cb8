/* cohort_channels.c - /cohort channels create: a category named after the curriculum
 * and week-01 … week-NN text channels (topic = the week's title) for the weeks that
 * have no channel yet, created one after another through struct chat; the reply says
 * what was created and what could not be (e.g. missing Manage Channels). */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "config/curriculum.h"
#include "schedules/daily.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct create_job {
    struct app *app;
    struct interaction ix; /* our copy, answered by cmd_finish */
    struct cohort co;
    const struct curriculum *cur;
    char category[24];
    int week; /* the week being created; 0 = the category */
    struct buf created, failed;
    bool denied;
};

static void job_next(struct create_job *j);

static void job_finish(struct create_job *j)
{
    struct message m;
    msg_init(&m);
    m.ephemeral = true;
    if (j->denied)
        msg_set_content(&m,
                        "I don't have the **Manage Channels** permission here, so I could "
                        "not create channels. Give my role that permission (Server Settings "
                        "\xe2\x86\x92 Roles) and run /cohort channels create again.%s%s",
                        j->created.len ? "\nCreated before that: " : "", buf_str(&j->created));
    else
        msg_set_content(&m, "Created: %s%s%s", j->created.len ? buf_str(&j->created) : "nothing",
                        j->failed.len ? "\nCould not create: " : "", buf_str(&j->failed));
    cmd_finish(j->app, &j->ix, &m);
    msg_free(&m);
    buf_free(&j->created);
    buf_free(&j->failed);
    free(j);
}

static void on_created(void *arg, const struct chat_result *r)
{
    struct create_job *j = arg;
    char name[32];
    if (j->week == 0)
        snprintf(name, sizeof(name), "category");
    else
        snprintf(name, sizeof(name), "#week-%02d", j->week);
    if (r->rc == 0) {
        buf_printf(&j->created, "%s%s", j->created.len ? ", " : "", name);
        if (j->week == 0)
            snprintf(j->category, sizeof(j->category), "%s", r->id ? r->id : "");
        else if (r->id)
            guilds_channel_upsert(j->app->guilds, j->co.guild_id, r->id, name + 1, 0);
    } else if (r->http_status == 403 || r->discord_code == 50013 || r->discord_code == 50001) {
        j->denied = true;
    } else {
        buf_printf(&j->failed, "%s%s (%s)", j->failed.len ? ", " : "", name,
                   r->detail ? r->detail : bot_strerror(r->rc));
    }
    if (j->denied) {
        job_finish(j);
        return;
    }
    j->week++;
    job_next(j);
}

/* Starts the next missing creation, or finishes. */
static void job_next(struct create_job *j)
{
    for (; j->week <= (int)j->cur->n_weeks; j->week++) {
        char buf[24];
        if (j->week > 0 && daily_week_channel(j->app, &j->co, j->week, buf, sizeof(buf), NULL, 0))
            continue;
        const struct cur_week *w = curriculum_week(j->cur, j->week);
        char name[101];
        if (j->week == 0)
            snprintf(name, sizeof(name), "%s", j->cur->name);
        else
            snprintf(name, sizeof(name), "week-%02d", j->week);
        int rc = j->app->chat.ops->create_channel(
            j->app->chat.impl, j->co.guild_id, name, j->week == 0 ? 4 : 0,
            j->category[0] ? j->category : NULL, w ? w->title : NULL, on_created, j);
        if (rc == 0)
            return; /* on_created continues */
        buf_printf(&j->failed, "%s%s (%s)", j->failed.len ? ", " : "", name, bot_strerror(rc));
    }
    job_finish(j);
}

int cohort_channels_create(struct cmd_ctx *c)
{
    struct cohort co;
    const struct curriculum *cur;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    int missing = 0;
    for (size_t w = 1; w <= cur->n_weeks; w++) {
        char buf[24];
        missing += !daily_week_channel(c->app, &co, (int)w, buf, sizeof(buf), NULL, 0);
    }
    if (!missing)
        return msg_set_content(c->reply, "Every week already has a channel; nothing to create.");
    struct create_job *j = calloc(1, sizeof(*j));
    if (!j || ix_copy(&j->ix, c->ix)) {
        free(j);
        return BOT_ENOMEM;
    }
    j->app = c->app;
    j->co = co;
    j->cur = cur;
    buf_init(&j->created, 1500);
    buf_init(&j->failed, 1500);
    char cat[GUILDS_ID_LEN];
    if (guilds_find_by_name(c->app->guilds, co.guild_id, cur->name, cat)) {
        snprintf(j->category, sizeof(j->category), "%s", cat);
        j->week = 1;
    }
    job_next(j);
    return CMD_DEFER;
}
