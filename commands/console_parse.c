/* console_parse.c - turns a console line into interaction data shaped like Discord's,
 * using the command table for option types, so the same validation runs after. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "commands/registry.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TOKENS 32

/* Splits line into tokens in buf (word, key:value, key:"quoted value"). */
void console_user_id(const char *name, char out[IX_ID_LEN])
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ (unsigned char)(*p | 0x20)) * UINT64_C(0x100000001b3);
    /* 18 digits, first digit 2: shaped like a snowflake, never 0 */
    snprintf(out, IX_ID_LEN, "2%017llu", (unsigned long long)(h % UINT64_C(100000000000000000)));
}

static int tokenize(const char *line, char *buf, size_t buflen, char **tok, int *ntok)
{
    size_t o = 0;
    *ntok = 0;
    const char *p = line;
    while (*p) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (*ntok >= MAX_TOKENS)
            return BOT_ETOOBIG;
        tok[(*ntok)++] = buf + o;
        bool quoted = false;
        while (*p && (quoted || !isspace((unsigned char)*p))) {
            if (*p == '"') {
                quoted = !quoted;
                p++;
                continue;
            }
            if (*p == '\\' && quoted && p[1])
                p++;
            if (o + 2 >= buflen)
                return BOT_ETOOBIG;
            buf[o++] = *p++;
        }
        if (quoted)
            return BOT_EINVAL;
        buf[o++] = '\0';
    }
    return 0;
}

static const struct cmd_opt *opt_named(const struct cmd_opt *opts, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(opts[i].name, name) == 0)
            return &opts[i];
    return NULL;
}

/* A typed JSON value for the option; leaves it a string when it does not parse so
 * the registry's validation names the option in its error. */
static json_t *typed_value(struct app *app, const struct cmd_opt *o, const char *v,
                           json_t *resolved)
{
    char *end;
    errno = 0;
    if (o->type == OPT_INTEGER) {
        long long i = strtoll(v, &end, 10);
        if (*v && !*end && !errno)
            return json_integer(i);
    } else if (o->type == OPT_NUMBER) {
        /* plain decimal only: strtod also reads "nan", "inf" and hex, and jansson
         * refuses non-finite reals (the option would silently vanish) */
        double d = strtod(v, &end);
        if (*v && !*end && !errno && strspn(v, "0123456789.eE+-") == strlen(v) && isfinite(d))
            return json_real(d);
    } else if (o->type == OPT_BOOLEAN) {
        if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
            return json_true();
        if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
            return json_false();
    } else if (o->type == OPT_USER) {
        char id[IX_ID_LEN];
        const char *name = v[0] == '@' ? v + 1 : v;
        console_user_id(name, id);
        json_t *users = json_object_get(resolved, "users");
        json_object_set_new(users, id, json_pack("{s:s,s:s}", "id", id, "username", name));
        return json_string(id);
    } else if (o->type == OPT_CHANNEL) {
        const char *name = v[0] == '#' ? v + 1 : v;
        char id[GUILDS_ID_LEN];
        if (guilds_find_by_name(app->guilds, CONSOLE_GUILD_ID, name, id))
            return json_string(id);
    }
    return json_string(v);
}

/* Builds the interaction data for def from the tokens after the command word. */
static int build_data(struct app *app, const struct cmd_def *def, char **tok, int ntok,
                      json_t **out, char *err, size_t errlen)
{
    json_t *data = json_pack("{s:s,s:i,s:[],s:{s:{}}}", "name", def->name, "type", 1, "options",
                             "resolved", "users");
    json_t *resolved = json_object_get(data, "resolved");
    json_t *level = json_object_get(data, "options");
    const struct cmd_opt *opts = def->opts;
    int nopts = def->nopts;
    int t = 1;
    /* bare words pick subcommand groups and subcommands */
    while (t < ntok && !strchr(tok[t], ':') && nopts > 0 &&
           (opts[0].type == OPT_SUBCOMMAND || opts[0].type == OPT_GROUP)) {
        const struct cmd_opt *o = opt_named(opts, nopts, tok[t]);
        if (!o) {
            snprintf(err, errlen, "/%s has no subcommand '%s'", def->name, tok[t]);
            json_decref(data);
            return BOT_EINVAL;
        }
        json_t *sub = json_pack("{s:s,s:i,s:[]}", "name", o->name, "type", o->type, "options");
        json_array_append_new(level, sub);
        level = json_object_get(sub, "options");
        opts = o->sub;
        nopts = o->nsub;
        t++;
    }
    for (; t < ntok; t++) {
        char *colon = strchr(tok[t], ':');
        const struct cmd_opt *o = NULL;
        if (colon) {
            *colon = '\0';
            o = opt_named(opts, nopts, tok[t]);
        }
        if (!o) {
            snprintf(err, errlen, "unknown option '%s' (write name:value)", tok[t]);
            json_decref(data);
            return BOT_EINVAL;
        }
        json_array_append_new(level, json_pack("{s:s,s:i,s:o}", "name", o->name, "type", o->type,
                                               "value", typed_value(app, o, colon + 1, resolved)));
    }
    *out = data;
    return 0;
}

int cmd_console_parse(struct app *app, const char *line, json_t **out, char *err, size_t errlen)
{
    char buf[4096];
    char *tok[MAX_TOKENS];
    int ntok = 0;
    if (tokenize(line, buf, sizeof(buf), tok, &ntok) || ntok == 0 || tok[0][0] != '/') {
        snprintf(err, errlen, "could not read that line (unbalanced quotes or too long?)");
        return BOT_EINVAL;
    }
    const struct cmd_def *def = cmd_find(tok[0] + 1);
    if (!def) {
        snprintf(err, errlen, "unknown command %s (try /help)", tok[0]);
        return BOT_EINVAL;
    }
    return build_data(app, def, tok, ntok, out, err, errlen);
}

int cmd_console_parse_def(struct app *app, const struct cmd_def *def, const char *line,
                          json_t **out, char *err, size_t errlen)
{
    char buf[4096];
    char *tok[MAX_TOKENS];
    int ntok = 0;
    if (tokenize(line, buf, sizeof(buf), tok, &ntok) || ntok == 0) {
        snprintf(err, errlen, "could not read that line (unbalanced quotes or too long?)");
        return BOT_EINVAL;
    }
    return build_data(app, def, tok, ntok, out, err, errlen);
}
