/* registry.h - the table-driven command registry. Each command (one file in
 * commands/) contributes a struct cmd_def; the same table yields the Discord
 * bulk-overwrite registration JSON, /help and the console parser. Option values
 * are validated (type, range, length, required) before a handler runs; admin-only
 * commands are checked here, on our side. Loop thread only. */
#ifndef COHORT_REGISTRY_H
#define COHORT_REGISTRY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "bot/message.h"
#include "commands/interaction.h"

struct app;

enum opt_type {
    OPT_SUBCOMMAND = 1,
    OPT_GROUP = 2,
    OPT_STRING = 3,
    OPT_INTEGER = 4,
    OPT_BOOLEAN = 5,
    OPT_USER = 6,
    OPT_CHANNEL = 7,
    OPT_NUMBER = 10,
};

struct cmd_opt {
    const char *name;
    const char *description;
    enum opt_type type;
    bool required;
    bool has_min, has_max;
    double min, max; /* integer/number range */
    int max_len;     /* string length in characters (0 = 6000) */
    bool autocomplete;
    const char *const *choices; /* NULL-terminated fixed string choices, or NULL */
    const struct cmd_opt *sub;  /* SUBCOMMAND/GROUP children */
    int nsub;
};

/* Element count of a static option array, for .nopts / .nsub. */
#define CMD_NOPTS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define CMD_MAX_ARGS 25

struct cmd_arg {
    const char *name;
    enum opt_type type;
    const char *s; /* string/user/channel value; borrowed from the interaction */
    int64_t i;
    double d;
    bool b;
    bool focused; /* autocomplete: the option being typed */
};

struct cmd_args {
    char sub[64]; /* "start", "channels create", or "" */
    struct cmd_arg v[CMD_MAX_ARGS];
    int n;
};

/* Typed lookups; absent options give NULL / false. */
const char *args_str(const struct cmd_args *a, const char *name);
bool args_int(const struct cmd_args *a, const char *name, int64_t *out);
bool args_num(const struct cmd_args *a, const char *name, double *out);
bool args_bool(const struct cmd_args *a, const char *name, bool *out);
const struct cmd_arg *args_focused(const struct cmd_args *a);

/* What a handler gets. It fills `reply`; for a slow answer it returns CMD_DEFER and
 * later calls cmd_finish() with a copy of the interaction it made (ix_copy). */
struct pic_req;
struct cmd_ctx {
    struct app *app;
    const struct interaction *ix;
    struct message *reply;
    int64_t now;         /* UTC seconds */
    struct pic_req *pic; /* where a handler asks for a picture after its reply
                            (commands/picture.h); NULL when none may follow */
};

#define CMD_DEFER 1
/* 0 = send reply; CMD_DEFER = ack now, answer later; <0 = internal error (a generic
 * ephemeral apology is sent and the error logged). */
typedef int (*cmd_fn)(struct cmd_ctx *c, const struct cmd_args *a);

struct cmd_def {
    const char *name;
    const char *description;
    bool admin_only;
    const struct cmd_opt *opts;
    int nopts;
    cmd_fn run;
    cmd_fn complete; /* autocomplete handler or NULL */
};

/* Buttons and modals are routed by custom_id prefix ("checkin:", …). */
struct cmd_component {
    const char *prefix;
    bool admin_only;
    cmd_fn run; /* a->sub holds the custom_id; modal inputs arrive as string args */
};

/* The tables (static storage). */
const struct cmd_def *const *cmd_table(int *n);
const struct cmd_component *const *cmd_components(int *n);
const struct cmd_def *cmd_find(const char *name);

/* Body for PUT /applications/{app}/commands: new reference. */
json_t *cmd_registration_json(void);

/* Validates ix->data against the table into args. 0, or BOT_EINVAL with a message
 * for the member naming the option. `a` borrows strings from ix->data. */
int cmd_parse_args(const struct cmd_def *def, const struct interaction *ix, struct cmd_args *a,
                   char *err, size_t errlen);

/* Runs an interaction end to end: parse, check, handler, reply through app->chat. */
int cmd_dispatch(struct app *app, struct interaction *ix);
/* Sends a deferred handler's answer and frees the interaction copy. */
void cmd_finish(struct app *app, struct interaction *ix, const struct message *reply);

/* The console's stand-ins for Discord ids: the local guild, the application, and a
 * stable snowflake-shaped id per user name (case-insensitive). Pure. */
#define CONSOLE_GUILD_ID "1000000000000000001"
#define CONSOLE_APP_ID "1000000000000000002"
void console_user_id(const char *name, char out[IX_ID_LEN]);

/* Console: turns a typed line ("/checkin hours:2 note:\"lab done\"") into
 * interaction data JSON using the table (same validation afterwards). 0 or
 * BOT_EINVAL with a readable error. *out is a new reference. */
int cmd_console_parse(struct app *app, const char *line, json_t **out, char *err, size_t errlen);
/* The same against one given definition (the line's first word is skipped): lets
 * tests drive every option type without a command in the table using it. */
int cmd_console_parse_def(struct app *app, const struct cmd_def *def, const char *line,
                          json_t **out, char *err, size_t errlen);

/* /help text for a member (admin commands only for admins). */
int cmd_help(struct message *m, bool is_admin);

#endif
