/* e2e.c - end-to-end harness (e2e.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "e2e.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN "test-token-not-real-0000"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void e2e_start_fake(struct e2e *e, const char *fake_config)
{
    e2e_prepare(e, 0);
    e2e_spawn_fake(e, 0);
    if (fake_config)
        json_decref(e2e_ctl(e, "config", fake_config));
}

int e2e_free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    socklen_t al = sizeof(a);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &al), 0);
    close(s);
    return ntohs(a.sin_port);
}

void e2e_prepare(struct e2e *e, int port)
{
    memset(e, 0, sizeof(*e));
    e->port = port;
    snprintf(e->dir, sizeof(e->dir), "/tmp/cohortbot-e2e-XXXXXX");
    assert_non_null(mkdtemp(e->dir));
    snprintf(e->db, sizeof(e->db), "%s/bot.db", e->dir);
    snprintf(e->botlog, sizeof(e->botlog), "%s/bot.log", e->dir);
    snprintf(e->config, sizeof(e->config), "%s/config.json", e->dir);
}

void e2e_spawn_fake(struct e2e *e, int port)
{
    e2e_spawn_fake_tls(e, port, NULL, NULL);
}

void e2e_spawn_fake_tls(struct e2e *e, int port, const char *cert, const char *key)
{
    char portarg[16];
    snprintf(portarg, sizeof(portarg), "%d", port);
    const char *bin = getenv("FAKEDISCORD_BIN");
    assert_non_null(bin);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    e->fake = fork();
    assert_true(e->fake >= 0);
    if (e->fake == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a failed test */
        int null = getenv("E2E_FAKE_STDERR") ? -1 : open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        dup2(fds[1], 1);
        close(fds[0]);
        if (cert)
            execl(bin, bin, "--port", portarg, "--tls-cert", cert, "--tls-key", key, (char *)NULL);
        else
            execl(bin, bin, "--port", portarg, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char line[128] = "";
    size_t got = 0;
    while (got < sizeof(line) - 1) { /* "PORT p\n" and, with TLS, "TLSPORT q\n" */
        ssize_t n = read(fds[0], line + got, sizeof(line) - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
        line[got] = '\0';
        const char *tl = strstr(line, "TLSPORT");
        if (cert ? tl && strchr(tl, '\n') : strchr(line, '\n') != NULL)
            break;
    }
    close(fds[0]);
    assert_true(got > 5);
    assert_int_equal(sscanf(line, "PORT %d", &e->port), 1);
    const char *t = strstr(line, "TLSPORT ");
    e->tls_port = t ? (int)strtol(t + 8, NULL, 10) : 0;
    assert_true(!cert || e->tls_port > 0);
}

void e2e_start_bot(struct e2e *e, const char *config_json)
{
    FILE *f = fopen(e->config, "w");
    assert_non_null(f);
    /* E2E_GATEWAY_COMPRESSION (zlib-stream | none): the same tests run both ways */
    const char *cj = config_json ? config_json : "{}";
    const char *zc = getenv("E2E_GATEWAY_COMPRESSION");
    if (zc && *zc && !strstr(cj, "gateway_compression") && cj[0] == '{') {
        const char *rest = cj + 1 + strspn(cj + 1, " \t\r\n");
        fprintf(f, "{\"gateway_compression\":\"%s\"%s%s", zc, *rest == '}' ? "" : ",", rest);
    } else
        fputs(cj, f);
    fclose(f);
    const char *bin = getenv("COHORTBOT_BIN");
    assert_non_null(bin);
    char base[160];
    if (e->api_base[0])
        snprintf(base, sizeof(base), "%s", e->api_base);
    else
        snprintf(base, sizeof(base), "http://127.0.0.1:%d/api/v10", e->port);
    e->bot = fork();
    assert_true(e->bot >= 0);
    if (e->bot == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int fd = open(e->botlog, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
        }
        setenv("DISCORD_TOKEN", TOKEN, 1);
        setenv("COHORTBOT_API_BASE", base, 1);
        const char *level = getenv("E2E_LOG_LEVEL"); /* benchmarks: less logging */
        execl(bin, bin, "--config", e->config, "--db", e->db, "--log-level",
              level && *level ? level : "debug", (char *)NULL);
        _exit(127);
    }
}

static size_t on_body(char *p, size_t s, size_t n, void *arg)
{
    struct {
        char *p;
        size_t len;
    } *b = arg;
    char *np = realloc(b->p, b->len + s * n + 1);
    if (!np)
        return 0;
    memcpy(np + b->len, p, s * n);
    b->p = np;
    b->len += s * n;
    b->p[b->len] = '\0';
    return s * n;
}

static json_t *http_once(struct e2e *e, const char *verb, const char *body, CURLcode *rc)
{
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/_ctl/%s", e->port, verb);
    struct {
        char *p;
        size_t len;
    } b = {NULL, 0};
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    *rc = curl_easy_perform(c);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_t *j = *rc == CURLE_OK && b.p ? json_loads(b.p, 0, NULL) : NULL;
    free(b.p);
    return j;
}

/* A few tries: a loaded machine may refuse one connection; say why on failure. */
static json_t *http(struct e2e *e, const char *verb, const char *body)
{
    CURLcode rc = CURLE_OK;
    for (int i = 0; i < 3; i++) {
        json_t *j = http_once(e, verb, body, &rc);
        if (j)
            return j;
        sleep_ms(100);
    }
    fprintf(stderr, "fake control /_ctl/%s failed: %s\n", verb, curl_easy_strerror(rc));
    return NULL;
}

json_t *e2e_ctl(struct e2e *e, const char *verb, const char *body)
{
    json_t *j = http(e, verb, body ? body : "{}");
    assert_non_null(j);
    return j;
}

json_t *e2e_log(struct e2e *e)
{
    json_t *j = http(e, "log", NULL);
    assert_non_null(j);
    return j;
}

/* Waits end on events; their bounds are safety nets for a loaded machine (2 cores shared
 * by many jobs, sanitizers), never expectations: none is shorter than this. */
#define E2E_MIN_WAIT_MS 60000

json_t *e2e_wait(struct e2e *e, bool (*cond)(json_t *, void *), void *arg, int ms)
{
    int64_t end = now_ms() + (ms > E2E_MIN_WAIT_MS ? ms : E2E_MIN_WAIT_MS);
    for (;;) {
        json_t *log = e2e_log(e);
        if (cond(log, arg))
            return log;
        json_decref(log);
        if (now_ms() >= end)
            return NULL;
        sleep_ms(50);
    }
}

int e2e_bot_exit(struct e2e *e, int ms)
{
    int64_t end = now_ms() + (ms > E2E_MIN_WAIT_MS / 2 ? ms : E2E_MIN_WAIT_MS / 2);
    int st;
    while (now_ms() < end) {
        pid_t r = waitpid(e->bot, &st, WNOHANG);
        if (r == e->bot) {
            e->bot = 0;
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        }
        sleep_ms(20);
    }
    kill(e->bot, SIGKILL);
    waitpid(e->bot, &st, 0);
    e->bot = 0;
    return -1;
}

int e2e_stop_bot(struct e2e *e)
{
    if (e->bot <= 0)
        return -1;
    kill(e->bot, SIGTERM);
    return e2e_bot_exit(e, 5000);
}

bool e2e_botlog_has(struct e2e *e, const char *s)
{
    FILE *f = fopen(e->botlog, "r");
    if (!f)
        return false;
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, s) != NULL;
    fclose(f);
    return found;
}

int e2e_botlog_count(struct e2e *e, const char *s)
{
    FILE *f = fopen(e->botlog, "r");
    if (!f)
        return 0;
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof(line), f))
        n += strstr(line, s) != NULL;
    fclose(f);
    return n;
}

bool e2e_wait_botlog(struct e2e *e, const char *s, int n, int ms)
{
    int64_t end = now_ms() + ms;
    while (e2e_botlog_count(e, s) < n) {
        if (now_ms() >= end)
            return false;
        sleep_ms(50);
    }
    return true;
}

void e2e_wait_ready(struct e2e *e, int nth, int ms)
{
    int64_t end = now_ms() + ms;
    while (e2e_botlog_count(e, "commands registered (") +
               e2e_botlog_count(e, "commands unchanged (") <
           nth) {
        assert_true(now_ms() < end);
        sleep_ms(50);
    }
}

void e2e_finish(struct e2e *e)
{
    if (e->bot > 0)
        e2e_stop_bot(e);
    json_t *log = e2e_log(e);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        json_t *probs = json_object_get(r, "problems");
        if (json_array_size(probs) > 0) {
            char *s = json_dumps(r, JSON_COMPACT);
            fprintf(stderr, "request broke Discord's limits: %.2000s\n", s ? s : "?");
            free(s);
        }
        assert_int_equal(json_array_size(probs), 0);
    }
    /* the token must never reach the log */
    assert_false(e2e_botlog_has(e, TOKEN));
    json_decref(log);
    CURLcode rc;
    json_decref(http_once(e, "quit", "{}", &rc)); /* it may exit before answering */
    int st;
    waitpid(e->fake, &st, 0);
    if (getenv("E2E_KEEP") == NULL) {
        unlink(e->db);
        char p[160];
        snprintf(p, sizeof(p), "%s-wal", e->db);
        unlink(p);
        snprintf(p, sizeof(p), "%s-shm", e->db);
        unlink(p);
        unlink(e->botlog);
        unlink(e->config);
        rmdir(e->dir);
    }
}

int e2e_count_rest(json_t *log, const char *method, const char *prefix, int status)
{
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *m = json_string_value(json_object_get(r, "method"));
        const char *p = json_string_value(json_object_get(r, "path"));
        int st = (int)json_integer_value(json_object_get(r, "status"));
        if (m && p && !strcmp(m, method) && !strncmp(p, prefix, strlen(prefix)) &&
            (status == 0 || st == status))
            n++;
    }
    return n;
}

int e2e_count_posts(json_t *log, const char *channel, const char *needle)
{
    int n = 0;
    size_t i;
    json_t *r;
    char path[64];
    snprintf(path, sizeof(path), "/channels/%s/messages", channel);
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *p = json_string_value(json_object_get(r, "path"));
        const char *c = json_string_value(json_object_get(json_object_get(r, "body"), "content"));
        if (p && strcmp(p, path) == 0 && c && strstr(c, needle))
            n++;
    }
    return n;
}

int e2e_count_dm_posts(json_t *log, int status)
{
    return e2e_count_rest(log, "POST", "/channels/12", status);
}

void e2e_console_script(const struct e2e *e, const char *now, const char *script)
{
    char in[160], cmd[1024];
    snprintf(in, sizeof(in), "%s/script.txt", e->dir);
    FILE *fp = fopen(in, "w");
    assert_non_null(fp);
    fputs(script, fp);
    fclose(fp);
    snprintf(cmd, sizeof(cmd),
             "env -u DISCORD_TOKEN COHORTBOT_FAKE_NOW=%s '%s' --console --db '%s' < '%s' > "
             "/dev/null 2>&1",
             now, getenv("COHORTBOT_BIN"), e->db, in);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

json_t *e2e_nth_rest(json_t *log, const char *method, const char *prefix, int nth)
{
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(log, "rest"), i, r)
    {
        const char *m = json_string_value(json_object_get(r, "method"));
        const char *p = json_string_value(json_object_get(r, "path"));
        if (m && p && !strcmp(m, method) && !strncmp(p, prefix, strlen(prefix)) && nth-- == 0)
            return r;
    }
    return NULL;
}

int e2e_count_op(json_t *log, int op)
{
    int n = 0;
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(log, "gw"), i, g) n +=
        json_integer_value(json_object_get(g, "op")) == op;
    return n;
}

void e2e_interaction(struct e2e *e, const char *id, const char *name)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":\"%s\",\"application_id\":"
             "\"800000000000000001\",\"type\":2,\"token\":\"itok-%s\",\"guild_id\":"
             "\"1000000000000000001\",\"channel_id\":\"1100000000000000001\",\"member\":{"
             "\"user\":{\"id\":\"42\",\"username\":\"learner\"},\"permissions\":\"0\"},"
             "\"data\":{\"id\":\"1\",\"name\":\"%s\",\"type\":1}}}",
             id, id, name);
    json_decref(e2e_ctl(e, "dispatch", body));
}
