/* registry.c - the command table, option validation and dispatch (see registry.h). */
#include "commands/registry.h"
#include "bot/guilds.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/log.h"
#include "commands/commands.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const struct cmd_def *const g_table[] = {COMMAND_TABLE};
/* NULL-terminated so the list may be empty. */
static const struct cmd_component *const g_components[] = {COMPONENT_TABLE NULL};
#define NCOMPONENTS (sizeof(g_components) / sizeof(g_components[0]) - 1)

const struct cmd_def *const *cmd_table(int *n)
{
    *n = (int)(sizeof(g_table) / sizeof(g_table[0]));
    return g_table;
}

const struct cmd_component *const *cmd_components(int *n)
{
    *n = (int)NCOMPONENTS;
    return g_components;
}

const struct cmd_def *cmd_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof(g_table) / sizeof(g_table[0]); i++)
        if (strcmp(g_table[i]->name, name) == 0)
            return g_table[i];
    return NULL;
}

/* ---- typed lookups ---- */

static const struct cmd_arg *find_arg(const struct cmd_args *a, const char *name)
{
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->v[i].name, name) == 0)
            return &a->v[i];
    return NULL;
}

const char *args_str(const struct cmd_args *a, const char *name)
{
    const struct cmd_arg *v = find_arg(a, name);
    return v ? v->s : NULL;
}

bool args_int(const struct cmd_args *a, const char *name, int64_t *out)
{
    const struct cmd_arg *v = find_arg(a, name);
    if (!v || v->type != OPT_INTEGER || v->focused)
        return false;
    *out = v->i;
    return true;
}

bool args_num(const struct cmd_args *a, const char *name, double *out)
{
    const struct cmd_arg *v = find_arg(a, name);
    if (!v || (v->type != OPT_NUMBER && v->type != OPT_INTEGER) || v->focused)
        return false;
    *out = v->type == OPT_NUMBER ? v->d : (double)v->i;
    return true;
}

bool args_bool(const struct cmd_args *a, const char *name, bool *out)
{
    const struct cmd_arg *v = find_arg(a, name);
    if (!v || v->type != OPT_BOOLEAN)
        return false;
    *out = v->b;
    return true;
}

const struct cmd_arg *args_focused(const struct cmd_args *a)
{
    for (int i = 0; i < a->n; i++)
        if (a->v[i].focused)
            return &a->v[i];
    return NULL;
}

/* ---- validation ---- */

static const struct cmd_opt *opt_find(const struct cmd_opt *opts, int n, const char *name)
{
    for (int i = 0; name && i < n; i++)
        if (strcmp(opts[i].name, name) == 0)
            return &opts[i];
    return NULL;
}

static int check_range(const struct cmd_opt *o, double v, char *err, size_t errlen)
{
    if (!isfinite(v) || (o->has_min && v < o->min) || (o->has_max && v > o->max)) {
        if (o->has_min && o->has_max)
            snprintf(err, errlen, "`%s` must be between %g and %g.", o->name, o->min, o->max);
        else if (o->has_min)
            snprintf(err, errlen, "`%s` must be at least %g.", o->name, o->min);
        else
            snprintf(err, errlen, "`%s` must be at most %g.", o->name, o->max);
        return BOT_EINVAL;
    }
    return 0;
}

static int check_string(const struct cmd_opt *o, const char *s, char *err, size_t errlen)
{
    size_t max = o->max_len > 0 ? (size_t)o->max_len : 6000;
    if (msg_utf8_len(s) > max) {
        snprintf(err, errlen, "`%s` is too long (at most %zu characters).", o->name, max);
        return BOT_EINVAL;
    }
    if (o->choices) {
        for (const char *const *c = o->choices; *c; c++)
            if (strcmp(*c, s) == 0)
                return 0;
        snprintf(err, errlen, "`%s` must be one of the offered choices.", o->name);
        return BOT_EINVAL;
    }
    return 0;
}

/* Validates one leaf option value from Discord into arg. */
static int leaf_value(const struct cmd_opt *o, json_t *jo, struct cmd_arg *arg, char *err,
                      size_t errlen)
{
    json_t *v = json_object_get(jo, "value");
    arg->name = o->name;
    arg->type = o->type;
    arg->focused = json_is_true(json_object_get(jo, "focused"));
    if (arg->focused) { /* autocomplete: the partial text, whatever the type */
        arg->s = json_is_string(v) ? json_string_value(v) : "";
        return 0;
    }
    switch (o->type) {
    case OPT_STRING:
        if (!json_is_string(v))
            break;
        arg->s = json_string_value(v);
        return check_string(o, arg->s, err, errlen);
    case OPT_USER:
    case OPT_CHANNEL:
        if (!snowflake_valid(json_string_value(v)))
            break;
        arg->s = json_string_value(v);
        return 0;
    case OPT_INTEGER:
        if (!json_is_integer(v))
            break;
        arg->i = json_integer_value(v);
        return check_range(o, (double)arg->i, err, errlen);
    case OPT_NUMBER:
        if (!json_is_number(v))
            break;
        arg->d = json_number_value(v);
        return check_range(o, arg->d, err, errlen);
    case OPT_BOOLEAN:
        if (!json_is_boolean(v))
            break;
        arg->b = json_is_true(v);
        return 0;
    default:
        break;
    }
    static const char *const names[] = {
        [OPT_STRING] = "text",   [OPT_INTEGER] = "a whole number", [OPT_BOOLEAN] = "true or false",
        [OPT_USER] = "a member", [OPT_CHANNEL] = "a channel",      [OPT_NUMBER] = "a number"};
    snprintf(err, errlen, "`%s` must be %s.", o->name,
             o->type <= OPT_NUMBER && names[o->type] ? names[o->type] : "valid");
    return BOT_EINVAL;
}

static int parse_leaves(const struct cmd_opt *opts, int nopts, json_t *given, bool partial,
                        struct cmd_args *a, char *err, size_t errlen)
{
    size_t i;
    json_t *jo;
    if (given && !json_is_array(given)) {
        snprintf(err, errlen, "options are malformed.");
        return BOT_EINVAL;
    }
    json_array_foreach(given, i, jo)
    {
        const char *name = json_string_value(json_object_get(jo, "name"));
        const struct cmd_opt *o = opt_find(opts, nopts, name);
        if (!o || o->type == OPT_SUBCOMMAND || o->type == OPT_GROUP) {
            snprintf(err, errlen, "unknown option `%.40s`.", name ? name : "?");
            return BOT_EINVAL;
        }
        if (find_arg(a, o->name)) {
            snprintf(err, errlen, "`%s` was given twice.", o->name);
            return BOT_EINVAL;
        }
        if (a->n >= CMD_MAX_ARGS) {
            snprintf(err, errlen, "too many options.");
            return BOT_EINVAL;
        }
        int rc = leaf_value(o, jo, &a->v[a->n], err, errlen);
        if (rc)
            return rc;
        a->n++;
    }
    for (int k = 0; !partial && k < nopts; k++) {
        if (opts[k].required && !find_arg(a, opts[k].name)) {
            snprintf(err, errlen, "`%s` is required.", opts[k].name);
            return BOT_EINVAL;
        }
    }
    return 0;
}

/* Descends through SUB_COMMAND_GROUP / SUB_COMMAND levels, recording the path. */
static int descend(const struct cmd_opt **opts, int *nopts, json_t **given, struct cmd_args *a,
                   char *err, size_t errlen)
{
    for (int depth = 0; depth < 2; depth++) {
        if (*nopts == 0 || ((*opts)[0].type != OPT_SUBCOMMAND && (*opts)[0].type != OPT_GROUP))
            return 0;
        json_t *first = json_array_get(*given, 0);
        const char *name = json_string_value(json_object_get(first, "name"));
        const struct cmd_opt *o = opt_find(*opts, *nopts, name);
        if (!o || json_array_size(*given) != 1 ||
            (o->type != OPT_SUBCOMMAND && o->type != OPT_GROUP)) {
            snprintf(err, errlen, "choose one of the subcommands.");
            return BOT_EINVAL;
        }
        size_t used = strlen(a->sub);
        snprintf(a->sub + used, sizeof(a->sub) - used, "%s%s", used ? " " : "", o->name);
        *opts = o->sub;
        *nopts = o->nsub;
        *given = json_object_get(first, "options");
    }
    return 0;
}

int cmd_parse_args(const struct cmd_def *def, const struct interaction *ix, struct cmd_args *a,
                   char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    const struct cmd_opt *opts = def->opts;
    int nopts = def->nopts;
    json_t *given = json_object_get(ix->data, "options");
    int rc = descend(&opts, &nopts, &given, a, err, errlen);
    if (rc)
        return rc;
    return parse_leaves(opts, nopts, given, ix->type == IX_AUTOCOMPLETE, a, err, errlen);
}

/* ---- dispatch ---- */

static void reply_error(struct app *app, const struct interaction *ix, const char *text)
{
    struct message m;
    msg_init(&m);
    m.ephemeral = true;
    msg_set_content(&m, "%s", text);
    app->chat.ops->reply(app->chat.impl, ix, &m);
    msg_free(&m);
}

/* Finds the component route for custom_id and collects modal inputs as args. */
static const struct cmd_component *route_component(const struct interaction *ix, struct cmd_args *a)
{
    memset(a, 0, sizeof(*a));
    const char *cid = json_string_value(json_object_get(ix->data, "custom_id"));
    snprintf(a->sub, sizeof(a->sub), "%s", cid ? cid : "");
    size_t i, j;
    json_t *row, *c;
    json_array_foreach(json_object_get(ix->data, "components"), i, row)
    {
        /* Label (type 18) wraps one component; action rows (type 1) hold a list. */
        json_t *inner = json_object_get(row, "component");
        json_t *list = json_object_get(row, "components");
        json_t *single = json_array();
        if (inner)
            json_array_append(single, inner);
        json_array_foreach(inner ? single : list, j, c)
        {
            const char *id = json_string_value(json_object_get(c, "custom_id"));
            const char *val = json_string_value(json_object_get(c, "value"));
            /* Discord's text inputs hold at most 4000 characters; json strings are
             * valid UTF-8 already. Anything longer is forged and never reaches a handler. */
            if (id && val && a->n < CMD_MAX_ARGS && msg_utf8_len(val) <= 4000)
                a->v[a->n++] = (struct cmd_arg){.name = id, .type = OPT_STRING, .s = val};
        }
        json_decref(single);
    }
    /* a select menu's pick arrives as data.values: the first one as arg "value" */
    const char *picked = json_string_value(json_array_get(json_object_get(ix->data, "values"), 0));
    if (picked && a->n < CMD_MAX_ARGS)
        a->v[a->n++] = (struct cmd_arg){.name = "value", .type = OPT_STRING, .s = picked};
    for (size_t k = 0; g_components[k]; k++)
        if (cid && strncmp(cid, g_components[k]->prefix, strlen(g_components[k]->prefix)) == 0)
            return g_components[k];
    return NULL;
}

static int run_handler(struct app *app, struct interaction *ix, cmd_fn fn, const struct cmd_args *a)
{
    struct message reply;
    msg_init(&reply);
    struct cmd_ctx c = {.app = app, .ix = ix, .reply = &reply, .now = app_now(app)};
    int rc = fn(&c, a);
    if (rc == CMD_DEFER) {
        app->chat.ops->defer(app->chat.impl, ix);
    } else if (rc < 0) {
        log_error("cmd", "handler failed cmd=%s rc=%d (%s)", a->sub[0] ? a->sub : "-", rc,
                  bot_strerror(rc));
        reply_error(app, ix,
                    "Sorry, something went wrong on our side; nothing was changed. "
                    "Please try again in a minute.");
    } else {
        app->chat.ops->reply(app->chat.impl, ix, &reply);
    }
    msg_free(&reply);
    return rc < 0 ? rc : 0;
}

/* Every channel and member option must belong to the interaction's guild: in
 * Discord mode the id must be among the interaction's `resolved` objects, and the
 * guild cache must place a channel in this guild. A forged or stale id from another
 * server never reaches a handler. Channel options name where the bot posts, so they
 * must be text or announcement channels. 0, or BOT_EDENIED with err filled. */
static int check_foreign_ids(struct app *app, const struct interaction *ix,
                             const struct cmd_args *a, char *err, size_t errlen)
{
    for (int i = 0; i < a->n; i++) {
        const struct cmd_arg *v = &a->v[i];
        if (v->focused || !v->s || (v->type != OPT_CHANNEL && v->type != OPT_USER))
            continue;
        const char *kind = v->type == OPT_CHANNEL ? "channels" : "members";
        bool listed = ix->console || json_object_get(json_object_get(ix->resolved, kind), v->s);
        if (v->type == OPT_USER) {
            if (!listed || !ix->guild_id[0]) {
                snprintf(err, errlen, "`%s` must be a member of this server.", v->name);
                return BOT_EDENIED;
            }
            continue;
        }
        if (!listed || !app->guilds || !guilds_channel_in(app->guilds, ix->guild_id, v->s)) {
            snprintf(err, errlen, "`%s` must be a channel of this server that I can see.", v->name);
            return BOT_EDENIED;
        }
        int t = guilds_channel_type(app->guilds, ix->guild_id, v->s);
        if (t != 0 && t != 5) {
            snprintf(err, errlen, "`%s` must be a text channel I can post in.", v->name);
            return BOT_EDENIED;
        }
        /* the bot's own permissions there, when Discord includes them */
        json_t *ch = json_object_get(json_object_get(ix->resolved, "channels"), v->s);
        const char *ap = json_string_value(json_object_get(ch, "app_permissions"));
        uint64_t need = (UINT64_C(1) << 10) | (UINT64_C(1) << 11) | (UINT64_C(1) << 14);
        if (ap && (strtoull(ap, NULL, 10) & need) != need &&
            !(strtoull(ap, NULL, 10) & PERM_ADMINISTRATOR)) {
            snprintf(err, errlen,
                     "I can't post in <#%s>: I need View Channel, Send Messages and Embed Links "
                     "there.",
                     v->s);
            return BOT_EDENIED;
        }
    }
    return 0;
}

static void reply_no_choices(struct app *app, const struct interaction *ix)
{
    struct message m;
    msg_init(&m);
    m.kind = MSG_KIND_CHOICES; /* an autocomplete gets choices (none), never a message */
    app->chat.ops->reply(app->chat.impl, ix, &m);
    msg_free(&m);
}

static int dispatch_command(struct app *app, struct interaction *ix)
{
    const char *name = json_string_value(json_object_get(ix->data, "name"));
    const struct cmd_def *def = cmd_find(name);
    if (!def) {
        reply_error(app, ix, "I don't know that command (it may have been removed). Try /help.");
        return 0;
    }
    if (def->admin_only && !ix_is_admin(ix)) {
        if (ix->type == IX_AUTOCOMPLETE)
            reply_no_choices(app, ix);
        else
            reply_error(app, ix,
                        "Only server admins (Manage Server permission) can use this command.");
        return 0;
    }
    struct cmd_args a;
    char err[256];
    if (cmd_parse_args(def, ix, &a, err, sizeof(err)) ||
        (ix->type != IX_AUTOCOMPLETE && check_foreign_ids(app, ix, &a, err, sizeof(err)))) {
        if (ix->type == IX_AUTOCOMPLETE)
            return 0;
        char text[320];
        snprintf(text, sizeof(text), "/%s: %s", def->name, err);
        reply_error(app, ix, text);
        return 0;
    }
    if (ix->type == IX_AUTOCOMPLETE) {
        if (!def->complete)
            return 0;
        struct message m;
        msg_init(&m);
        m.kind = MSG_KIND_CHOICES;
        struct cmd_ctx c = {.app = app, .ix = ix, .reply = &m, .now = app_now(app)};
        if (def->complete(&c, &a) >= 0) {
            m.kind = MSG_KIND_CHOICES;
            app->chat.ops->reply(app->chat.impl, ix, &m);
        }
        msg_free(&m);
        return 0;
    }
    log_debug("cmd", "run cmd=%s sub=%s user=%s", def->name, a.sub, ix->user_id);
    return run_handler(app, ix, def->run, &a);
}

int cmd_dispatch(struct app *app, struct interaction *ix)
{
    switch (ix->type) {
    case IX_COMMAND:
    case IX_AUTOCOMPLETE:
        return dispatch_command(app, ix);
    case IX_COMPONENT:
    case IX_MODAL: {
        struct cmd_args a;
        const struct cmd_component *route = route_component(ix, &a);
        if (!route) {
            reply_error(app, ix, "This button is no longer active.");
            return 0;
        }
        if (route->admin_only && !ix_is_admin(ix)) {
            reply_error(app, ix, "Only server admins can use this button.");
            return 0;
        }
        return run_handler(app, ix, route->run, &a);
    }
    default:
        return 0;
    }
}

void cmd_finish(struct app *app, struct interaction *ix, const struct message *reply)
{
    ix->deferred = !ix->console;
    app->chat.ops->reply(app->chat.impl, ix, reply);
    ix_free(ix);
}

/* ---- registration JSON and help ---- */

static json_t *opts_json(const struct cmd_opt *opts, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        const struct cmd_opt *o = &opts[i];
        json_t *j = json_object();
        json_object_set_new(j, "type", json_integer(o->type));
        json_object_set_new(j, "name", json_string(o->name));
        json_object_set_new(j, "description", json_string(o->description));
        if (o->type == OPT_SUBCOMMAND || o->type == OPT_GROUP) {
            json_object_set_new(j, "options", opts_json(o->sub, o->nsub));
            json_array_append_new(arr, j);
            continue;
        }
        json_object_set_new(j, "required", json_boolean(o->required));
        if (o->has_min)
            json_object_set_new(j, "min_value",
                                o->type == OPT_INTEGER ? json_integer((json_int_t)o->min)
                                                       : json_real(o->min));
        if (o->has_max)
            json_object_set_new(j, "max_value",
                                o->type == OPT_INTEGER ? json_integer((json_int_t)o->max)
                                                       : json_real(o->max));
        if (o->type == OPT_STRING && o->max_len > 0)
            json_object_set_new(j, "max_length", json_integer(o->max_len));
        if (o->autocomplete)
            json_object_set_new(j, "autocomplete", json_true());
        if (o->type == OPT_CHANNEL)
            json_object_set_new(j, "channel_types", json_pack("[i,i]", 0, 5));
        if (o->choices) {
            json_t *ch = json_array();
            for (const char *const *c = o->choices; *c; c++)
                json_array_append_new(ch, json_pack("{s:s,s:s}", "name", *c, "value", *c));
            json_object_set_new(j, "choices", ch);
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

json_t *cmd_registration_json(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof(g_table) / sizeof(g_table[0]); i++) {
        const struct cmd_def *d = g_table[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(d->name));
        json_object_set_new(j, "type", json_integer(1));
        json_object_set_new(j, "description", json_string(d->description));
        json_object_set_new(j, "options", opts_json(d->opts, d->nopts));
        /* Manage Guild (1<<5) for admin commands; we check again on our side. */
        json_object_set_new(j, "default_member_permissions",
                            d->admin_only ? json_string("32") : json_null());
        json_object_set_new(j, "contexts", json_pack("[i]", 0));
        json_array_append_new(arr, j);
    }
    return arr;
}

int cmd_help(struct message *m, bool is_admin)
{
    struct buf b;
    buf_init(&b, 1 << 16); /* the embed is cut to Discord's limit when serialized */
    int rc = 0;
    for (size_t i = 0; i < sizeof(g_table) / sizeof(g_table[0]) && !rc; i++) {
        const struct cmd_def *d = g_table[i];
        if (d->admin_only && !is_admin)
            continue;
        rc = buf_printf(&b, "**/%s** - %s%s\n", d->name, d->description,
                        d->admin_only ? " *(admin)*" : "");
    }
    if (rc)
        return rc;
    struct msg_embed *e = msg_add_embed(m, "Commands you can use", buf_str(&b));
    buf_free(&b);
    return e ? 0 : BOT_ENOMEM;
}
