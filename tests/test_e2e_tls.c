/* test_e2e_tls.c - TLS on both sockets, end to end: the test makes a CA and three server
 * certificates with the openssl command (good: localhost signed by the CA; wrong host:
 * other.example signed by the CA; untrusted: localhost self-signed), the fake serves REST
 * and the gateway over TLS with one of them, and the real binary trusts only the test CA
 * (ca_file). Good: READY over https + wss. Untrusted or wrong host: refused, the reason
 * named in the log, and the token never sent (no REST request, no IDENTIFY). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/e2e.h"

#define GUILD "1000000000000000001"

static char g_dir[64];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int rc = system(cmd);
    if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
        fprintf(stderr, "failed: %s\n", cmd);
    assert_true(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
}

/* name.key + name.pem for host, signed by the CA (or self-signed when !by_ca). */
static void make_cert(const char *name, const char *host, bool by_ca)
{
    const char *d = g_dir;
    const char *ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    if (!by_ca) {
        sh("cd %s && openssl req -x509 %s -keyout %s.key -out %s.pem -days 2 -subj /CN=%s "
           "-addext subjectAltName=DNS:%s 2>/dev/null",
           d, ec, name, name, host, host);
        return;
    }
    sh("cd %s && printf 'subjectAltName=DNS:%s\\nbasicConstraints=CA:FALSE\\n' > %s.ext && "
       "openssl req %s -keyout %s.key -out %s.csr -subj /CN=%s 2>/dev/null && "
       "openssl x509 -req -in %s.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out %s.pem "
       "-days 2 -extfile %s.ext 2>/dev/null",
       d, host, name, ec, name, name, host, name, name, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof(g_dir), "/tmp/cohortbot-tls-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    sh("cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
       "-keyout ca.key -out ca.pem -days 2 -subj '/CN=cohortbot test CA' 2>/dev/null",
       g_dir);
    make_cert("good", "localhost", true);
    make_cert("wronghost", "other.example", true);
    make_cert("untrusted", "localhost", false);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (!getenv("E2E_KEEP"))
        sh("rm -rf '%s'", g_dir);
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool wait_botlog(struct e2e *e, const char *s, int ms)
{
    int64_t end = now_ms() + ms;
    while (!e2e_botlog_has(e, s)) {
        if (now_ms() > end)
            return false;
        struct timespec ts = {0, 50000000L};
        nanosleep(&ts, NULL);
    }
    return true;
}

static bool ready(json_t *log, void *arg)
{
    (void)arg;
    return json_is_true(json_object_get(log, "connected")) && e2e_count_op(log, 2) >= 1 &&
           e2e_count_rest(log, "PUT", "/applications/", 200) >= 1;
}

/* The fake on TLS with cert `name`; rest_tls: REST over https too (else only the
 * gateway, REST on plain http). */
static void start(struct e2e *e, const char *name, bool rest_tls)
{
    char cert[160], key[160], cfg[512];
    snprintf(cert, sizeof(cert), "%s/%s.pem", g_dir, name);
    snprintf(key, sizeof(key), "%s/%s.key", g_dir, name);
    e2e_prepare(e, 0);
    e2e_spawn_fake_tls(e, 0, cert, key);
    json_decref(e2e_ctl(e, "config",
                        rest_tls ? "{\"tls_host\":\"localhost\"}"
                                 : "{\"tls_host\":\"localhost\",\"gateway_tls\":true}"));
    if (rest_tls)
        snprintf(e->api_base, sizeof(e->api_base), "https://localhost:%d/api/v10", e->tls_port);
    snprintf(cfg, sizeof(cfg), "{\"guild_id\":\"" GUILD "\",\"ca_file\":\"%s/ca.pem\"}", g_dir);
    e2e_start_bot(e, cfg);
}

static void test_good_both_sockets(void **state)
{
    (void)state;
    struct e2e e;
    start(&e, "good", true);
    json_t *log = e2e_wait(&e, ready, NULL, 60000);
    assert_non_null(log);
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    e2e_finish(&e);
}

static void refused_rest(const char *name, const char *reason)
{
    struct e2e e;
    start(&e, name, true);
    assert_true(wait_botlog(&e, "GET /gateway/bot attempt 2", 60000));
    assert_true(e2e_botlog_has(&e, reason));
    json_t *log = e2e_log(&e);
    assert_int_equal(json_array_size(json_object_get(log, "rest")), 0); /* token never sent */
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    e2e_finish(&e);
}

static void refused_gateway(const char *name, const char *reason)
{
    struct e2e e;
    start(&e, name, false);
    assert_true(wait_botlog(&e, "gateway connect failed", 60000));
    assert_true(wait_botlog(&e, reason, 30000));
    json_t *log = e2e_log(&e);
    assert_int_equal(e2e_count_op(log, 2), 0); /* no IDENTIFY: the token never sent */
    json_decref(log);
    assert_int_equal(e2e_stop_bot(&e), 0);
    e2e_finish(&e);
}

static void test_untrusted_rest(void **state)
{
    (void)state;
    refused_rest("untrusted", "self-signed certificate");
}

static void test_wrong_host_rest(void **state)
{
    (void)state;
    refused_rest("wronghost", "localhost");
}

static void test_untrusted_gateway(void **state)
{
    (void)state;
    refused_gateway("untrusted", "self-signed certificate");
}

static void test_wrong_host_gateway(void **state)
{
    (void)state;
    refused_gateway("wronghost", "hostname mismatch");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_both_sockets),  cmocka_unit_test(test_untrusted_rest),
        cmocka_unit_test(test_wrong_host_rest),    cmocka_unit_test(test_untrusted_gateway),
        cmocka_unit_test(test_wrong_host_gateway),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
