/* mydata.c - /mydata export (the member's own rows as a JSON attachment, ephemeral)
 * and /mydata delete (asks first; the confirm button mydata:delete:<user> deletes
 * everything about the member in this server). */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/ckcore.h"
#include "commands/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int export_data(struct cmd_ctx *c)
{
    json_t *o = NULL;
    int rc = store_member_export_json(c->app->store, c->ix->guild_id, c->ix->user_id, &o);
    if (rc)
        return rc;
    json_object_set_new(o, "exported_at", json_integer(c->now));
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
    size_t nck = json_array_size(json_object_get(o, "checkins"));
    json_decref(o);
    if (!text)
        return BOT_ENOMEM;
    c->reply->ephemeral = true;
    msg_set_content(c->reply,
                    "Here is everything cohortbot stores about you in this server "
                    "(%zu check-in%s, your settings, mentoring sign-ups and pairings).",
                    nck, nck == 1 ? "" : "s");
    rc = msg_set_file(c->reply, "cohortbot-mydata.json", text, strlen(text));
    free(text);
    return rc;
}

static int mydata_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    if (!c->ix->guild_id[0])
        return ck_say(c, "Use /mydata inside the cohort's server (your data is per server).");
    if (strcmp(a->sub, "export") == 0)
        return export_data(c);
    char yes[64], no[64];
    snprintf(yes, sizeof(yes), "mydata:delete:%s", c->ix->user_id);
    snprintf(no, sizeof(no), "mydata:cancel:%s", c->ix->user_id);
    ck_say(c, "This deletes everything cohortbot stores about you in this server: check-ins, "
              "settings, mentoring sign-ups and pairings. It cannot be undone. (/mydata export "
              "first if you want a copy.)");
    msg_add_button(c->reply, "Delete everything", yes, MSG_BTN_DANGER);
    msg_add_button(c->reply, "Cancel", no, MSG_BTN_SECONDARY);
    return 0;
}

static int mydata_button(struct cmd_ctx *c, const struct cmd_args *a)
{
    const char *cid = a->sub + strlen("mydata:");
    bool del = strncmp(cid, "delete:", 7) == 0;
    bool cancel = strncmp(cid, "cancel:", 7) == 0;
    if ((!del && !cancel) || strcmp(cid + 7, c->ix->user_id) != 0)
        return ck_say(c, "This button is not for you: only the member who asked can confirm. "
                         "Use /mydata delete for your own data.");
    c->reply->kind = MSG_KIND_UPDATE;
    if (cancel)
        return msg_set_content(c->reply, "Cancelled; nothing was deleted.");
    int rows = 0;
    int rc = store_member_delete(c->app->store, c->ix->guild_id, c->ix->user_id, &rows);
    if (rc)
        return rc;
    return msg_set_content(c->reply,
                           "Deleted: %d row%s about you are gone from this server's "
                           "cohortbot database.",
                           rows, rows == 1 ? "" : "s");
}

static const struct cmd_opt mydata_subs[] = {
    {.name = "export", .description = "Send me my data as a JSON file", .type = OPT_SUBCOMMAND},
    {.name = "delete",
     .description = "Delete everything about me (asks first)",
     .type = OPT_SUBCOMMAND},
};

const struct cmd_def cmd_mydata_def = {
    .name = "mydata",
    .description = "Export or delete your data",
    .opts = mydata_subs,
    .nopts = CMD_NOPTS(mydata_subs),
    .run = mydata_run,
};

const struct cmd_component cmd_mydata_button = {
    .prefix = "mydata:",
    .run = mydata_button,
};
