/* e2e.h - the end-to-end harness: starts tests/fakediscord and the real cohortbot
 * binary (COHORTBOT_BIN) against it on 127.0.0.1 with a fake token and a temporary
 * database, drives the fake through its control API and reads back what the bot
 * did. Test code only. */
#ifndef COHORT_E2E_H
#define COHORT_E2E_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

struct e2e {
    pid_t fake, bot;
    int port, tls_port; /* tls_port: the fake's TLS listener, 0 = none */
    char api_base[128]; /* "" = http://127.0.0.1:<port>/api/v10 */
    char dir[64];
    char db[128], botlog[128], config[128];
};

/* Starts the fake (and applies fake_config JSON if non-NULL). */
void e2e_start_fake(struct e2e *e, const char *fake_config);
/* The two halves of e2e_start_fake, for a test that starts the bot first: a temporary
 * directory and the port the bot will be told (no fake yet), then the fake on that port
 * (0 = any). e2e_free_port: a loopback port nobody listens on (for now). */
void e2e_prepare(struct e2e *e, int port);
void e2e_spawn_fake(struct e2e *e, int port);
/* The same with a TLS listener (certificate chain and key files) on e->tls_port. */
void e2e_spawn_fake_tls(struct e2e *e, int port, const char *cert, const char *key);
int e2e_free_port(void);
/* Writes config_json to a file (NULL = "{}") and starts the bot. */
void e2e_start_bot(struct e2e *e, const char *config_json);
/* POST /_ctl/<verb> with body; returns the parsed answer (caller decrefs). */
json_t *e2e_ctl(struct e2e *e, const char *verb, const char *body);
/* GET /_ctl/log (caller decrefs). */
json_t *e2e_log(struct e2e *e);
/* Polls the log until cond(log, arg) is true; returns it (caller decrefs) or NULL. The
 * bound ms is a safety net, raised to at least 60 s (an event wait, never a duration). */
json_t *e2e_wait(struct e2e *e, bool (*cond)(json_t *log, void *arg), void *arg, int ms);
/* Waits for the bot to exit; exit status, or -1 on timeout (then kills it). */
int e2e_bot_exit(struct e2e *e, int ms);
/* SIGTERM the bot and wait. */
int e2e_stop_bot(struct e2e *e);
/* Stops everything and removes the temporary directory. Asserts that no REST body
 * the bot sent broke Discord's documented limits. */
void e2e_finish(struct e2e *e);
/* Does the bot's log contain s? */
bool e2e_botlog_has(struct e2e *e, const char *s);
/* Lines of the bot's log (all runs of this test) containing s. */
int e2e_botlog_count(struct e2e *e, const char *s);
/* Waits until at least n lines contain s; false after ms. */
bool e2e_wait_botlog(struct e2e *e, const char *s, int n, int ms);
/* Waits until the bot's nth start (1-based, counting restarts in this test) is READY
 * with its commands registered or found unchanged; asserts it happens within ms. */
void e2e_wait_ready(struct e2e *e, int nth, int ms);

/* Log queries. */
int e2e_count_rest(json_t *log, const char *method, const char *path_prefix, int status);
int e2e_count_op(json_t *log, int op);
json_t *e2e_nth_rest(json_t *log, const char *method, const char *path_prefix, int n);
/* Messages posted into channel (POST /channels/<id>/messages) whose content holds
 * needle. */
int e2e_count_posts(json_t *log, const char *channel, const char *needle);
/* Messages posted into DM channels (the fake's DM channel ids start with 12), by
 * status (0 = any). */
int e2e_count_dm_posts(json_t *log, int status);
/* Runs `script` (console commands, one per line) through `cohortbot --console` on the
 * test's database at fake time `now`, without a token: how a test fills the database
 * before the bot starts. Asserts it exits 0. */
void e2e_console_script(const struct e2e *e, const char *now, const char *script);
/* Injects an INTERACTION_CREATE for /name with interaction id `id`. */
void e2e_interaction(struct e2e *e, const char *id, const char *name);

#endif
