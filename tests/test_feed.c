/* test_feed.c - feed_fetch against a tiny HTTP/1.1 server run inside this test on
 * 127.0.0.1 (one thread per connection): 200, 304 by ETag and Last-Modified, 404,
 * slow (timeout), oversize (with and without Content-Length), redirect chain and
 * loop, off-site redirect, garbage body; plus files, URL policy and the hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bot/err.h"
#include "bot/netpolicy.h"
#include "schedules/calendar.h"
#include "schedules/feed.h"

static const char *ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
                         "DTSTAMP:20240101T000000Z\r\nDTSTART:20240305T100000Z\r\n"
                         "SUMMARY:Hello\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

static int listen_fd = -1, port;
static atomic_int active, stamp_counter;
static pthread_t acceptor;

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

static void reply(int fd, int code, const char *extra, const char *body, bool clen)
{
    char head[512];
    size_t n = strlen(body);
    int h = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nConnection: close\r\n%s", code, extra);
    if (clen)
        h += snprintf(head + h, sizeof(head) - (size_t)h, "Content-Length: %zu\r\n", n);
    h += snprintf(head + h, sizeof(head) - (size_t)h, "\r\n");
    send_all(fd, head, (size_t)h);
    send_all(fd, body, n);
}

static bool has_header(const char *req, const char *line)
{
    return strstr(req, line) != NULL;
}

static void route(int fd, const char *path, const char *req)
{
    if (strcmp(path, "/ok") == 0) {
        if (has_header(req, "If-None-Match: \"v1\""))
            reply(fd, 304, "ETag: \"v1\"\r\n", "", true);
        else
            reply(fd, 200, "ETag: \"v1\"\r\n", ICS, true);
    } else if (strcmp(path, "/lm") == 0) {
        const char *lm = "Last-Modified: Tue, 05 Mar 2024 10:00:00 GMT\r\n";
        if (has_header(req, "If-Modified-Since: Tue, 05 Mar 2024 10:00:00 GMT"))
            reply(fd, 304, "", "", true);
        else
            reply(fd, 200, lm, ICS, true);
    } else if (strcmp(path, "/slow") == 0) {
        usleep(1500 * 1000);
        reply(fd, 200, "", ICS, true);
    } else if (strncmp(path, "/big", 4) == 0) {
        size_t n = 3u << 20;
        char *big = malloc(n + 1);
        memset(big, 'A', n);
        big[n] = '\0';
        reply(fd, 200, "", big, strcmp(path, "/big") == 0);
        free(big);
    } else if (strcmp(path, "/loop") == 0) {
        reply(fd, 302, "Location: /loop\r\n", "", true);
    } else if (strncmp(path, "/hop", 4) == 0) { /* /hop3 -> /hop2 -> /hop1 -> /ok */
        char loc[64];
        int k = (int)strtol(path + 4, NULL, 10);
        snprintf(loc, sizeof(loc), k > 1 ? "Location: /hop%d\r\n" : "Location: /ok\r\n", k - 1);
        reply(fd, 301, loc, "", true);
    } else if (strcmp(path, "/offsite") == 0) {
        reply(fd, 302, "Location: http://example.com/cal.ics\r\n", "", true);
    } else if (strcmp(path, "/to-metadata") == 0) { /* a public-looking hop, then private */
        reply(fd, 302, "Location: https://metadata.test/latest/meta-data\r\n", "", true);
    } else if (strcmp(path, "/garbage") == 0) {
        reply(fd, 200, "", "<html><body>Please sign in</body></html>\n", true);
    } else if (strcmp(path, "/stamp") == 0) {
        char body[512];
        snprintf(body, sizeof(body),
                 "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:s@x\r\nDTSTAMP:202403%02dT000000Z\r\n"
                 "DTSTART:20240305T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                 1 + atomic_fetch_add(&stamp_counter, 1) % 28);
        reply(fd, 200, "", body, true);
    } else {
        reply(fd, 404, "", "not found", true);
    }
}

static void *conn_main(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char req[8192];
    size_t n = 0;
    while (n < sizeof(req) - 1) {
        ssize_t r = recv(fd, req + n, sizeof(req) - 1 - n, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        req[n] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[n] = '\0';
    char path[256] = "";
    if (sscanf(req, "GET %255s", path) == 1)
        route(fd, path, req);
    close(fd);
    atomic_fetch_sub(&active, 1);
    return NULL;
}

static void *accept_main(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0)
            return NULL;
        pthread_t t;
        atomic_fetch_add(&active, 1);
        if (pthread_create(&t, NULL, conn_main, (void *)(intptr_t)fd) == 0)
            pthread_detach(t);
        else
            close(fd), atomic_fetch_sub(&active, 1);
    }
}

static int server_up(void **state)
{
    (void)state;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&a, sizeof(a)) ||
        listen(listen_fd, 16) || getsockname(listen_fd, (struct sockaddr *)&a, &len))
        return -1;
    port = ntohs(a.sin_port);
    return pthread_create(&acceptor, NULL, accept_main, NULL);
}

static int server_down(void **state)
{
    (void)state;
    shutdown(listen_fd, SHUT_RDWR);
    close(listen_fd);
    pthread_join(acceptor, NULL);
    while (atomic_load(&active) > 0)
        usleep(10000);
    return 0;
}

static void url(char *out, size_t cap, const char *path)
{
    snprintf(out, cap, "http://127.0.0.1:%d%s", port, path);
}

/* The operator's allow list naming this test's listener (http is allowed only for
 * listed endpoints), and a resolver that knows a few test names. */
static char g_allow_buf[2][64];
static const char *g_allow[2] = {g_allow_buf[0], g_allow_buf[1]};
static int g_resolved; /* resolver calls */

static int test_resolve(void *arg, const char *host, struct sockaddr_storage *out, int max)
{
    (void)arg;
    (void)max;
    static const struct {
        const char *host, *addr;
    } names[] = {
        {"metadata.test", "169.254.169.254"},
        {"ten.test", "10.0.0.5"},
        {"rfc1918.test", "192.168.1.1"},
        {"cgnat.test", "100.64.1.1"},
        {"mapped.test", "::ffff:127.0.0.1"},
        {"ula.test", "fd00::1"},
        {"linklocal6.test", "fe80::1"},
        {"pinned.test", "127.0.0.1"},
        {"mixed.test", "8.8.8.8"},
        {"mixed.test", "127.0.0.1"},
    };
    int n = 0;
    g_resolved++;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(names[i].host, host) != 0)
            continue;
        memset(&out[n], 0, sizeof(out[n]));
        struct sockaddr_in *v4 = (struct sockaddr_in *)&out[n];
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&out[n];
        if (inet_pton(AF_INET, names[i].addr, &v4->sin_addr) == 1)
            v4->sin_family = AF_INET;
        else if (inet_pton(AF_INET6, names[i].addr, &v6->sin6_addr) == 1)
            v6->sin6_family = AF_INET6;
        n++;
    }
    return n ? n : BOT_ENOTFOUND;
}

static struct feed_opts lo_opts(void)
{
    snprintf(g_allow_buf[0], sizeof(g_allow_buf[0]), "127.0.0.1:%d", port);
    snprintf(g_allow_buf[1], sizeof(g_allow_buf[1]), "pinned.test:%d", port);
    return (struct feed_opts){.allow_private = g_allow, .nallow = 2, .resolve = test_resolve};
}

static void test_http_statuses(void **state)
{
    (void)state;
    const struct {
        const char *path;
        enum feed_status st;
        int code;
        const char *msg;
    } cases[] = {
        {"/ok", FEED_CHANGED, 0, NULL},
        {"/hop3", FEED_CHANGED, 0, NULL},
        {"/missing", FEED_ERROR, BOT_ENOTFOUND, "HTTP status 404"},
        {"/slow", FEED_ERROR, BOT_EIO, "timed out"},
        {"/big", FEED_ERROR, BOT_ETOOBIG, "larger than"},
        {"/big-noclen", FEED_ERROR, BOT_ETOOBIG, "larger than"},
        {"/loop", FEED_ERROR, BOT_EPROTO, "more than 5 redirects"},
        {"/offsite", FEED_ERROR, BOT_EDENIED, "only https"},
        {"/to-metadata", FEED_ERROR, BOT_EDENIED, "non-public address"},
    };
    struct feed_opts opts = lo_opts();
    opts.max_bytes = 1u << 20;
    opts.timeout_ms = 400;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char u[128];
        struct feed_result r;
        url(u, sizeof(u), cases[i].path);
        int rc = feed_fetch(u, NULL, &opts, &r);
        if (r.status != cases[i].st || rc != cases[i].code ||
            (cases[i].msg && !strstr(r.err, cases[i].msg) && !strstr(r.detail, cases[i].msg)))
            fail_msg("%s: status %d rc %d err \"%s\" detail \"%s\"", cases[i].path, r.status, rc,
                     r.err, r.detail);
        /* what Discord sees never carries the URL, curl's text or a path */
        if (r.status == FEED_ERROR && (strstr(r.err, "127.0.0.1") || strstr(r.err, "curl")))
            fail_msg("%s: error shown to admins leaks details: %s", cases[i].path, r.err);
        if (r.status == FEED_CHANGED) {
            assert_int_equal(r.len, strlen(ICS));
            assert_string_equal(r.body, ICS);
            assert_int_equal(r.http_code, 200);
        }
        feed_result_free(&r);
    }
}

static void test_conditional_get(void **state)
{
    (void)state;
    struct feed_opts lo = lo_opts();
    const char *paths[] = {"/ok", "/lm"};
    for (size_t i = 0; i < 2; i++) {
        char u[128];
        struct feed_result a, b;
        url(u, sizeof(u), paths[i]);
        assert_int_equal(feed_fetch(u, NULL, &lo, &a), 0);
        assert_int_equal(a.status, FEED_CHANGED);
        assert_true(a.v.etag[0] || a.v.last_modified[0]);
        struct feed_validators prev = a.v;
        prev.have_hash = false; /* prove the 304 path, not the hash path */
        assert_int_equal(feed_fetch(u, &prev, &lo, &b), 0);
        assert_int_equal(b.status, FEED_UNCHANGED);
        assert_int_equal(b.http_code, 304);
        assert_null(b.body);
        assert_string_equal(b.v.etag, a.v.etag);
        feed_result_free(&a);
        feed_result_free(&b);
    }
}

static void test_hash_unchanged_without_validators(void **state)
{
    (void)state;
    struct feed_opts lo = lo_opts();
    char u[128];
    struct feed_result a, b;
    url(u, sizeof(u), "/stamp");
    assert_int_equal(feed_fetch(u, NULL, &lo, &a), 0);
    assert_int_equal(a.status, FEED_CHANGED);
    assert_int_equal(feed_fetch(u, &a.v, &lo, &b), 0); /* only DTSTAMP differs */
    assert_int_equal(b.status, FEED_UNCHANGED);
    assert_int_equal(b.v.hash, a.v.hash);
    feed_result_free(&a);
    feed_result_free(&b);
}

static void test_garbage_body(void **state)
{
    (void)state;
    struct feed_opts lo = lo_opts();
    char u[128], err[BOT_ERR_LEN];
    struct feed_result r;
    url(u, sizeof(u), "/garbage");
    assert_int_equal(feed_fetch(u, NULL, &lo, &r), 0);
    assert_int_equal(r.status, FEED_CHANGED);
    struct cal_feed *f = NULL;
    assert_int_equal(cal_parse(r.body, r.len, NULL, &f, err), BOT_EINVAL);
    assert_null(f);
    assert_non_null(strstr(err, "line 1:"));
    feed_result_free(&r);
}

static void test_files(void **state)
{
    (void)state;
    char path[] = "/tmp/feedtest-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, ICS, strlen(ICS)), (ssize_t)strlen(ICS));
    close(fd);
    struct feed_result a, b, c;
    assert_int_equal(feed_fetch(path, NULL, NULL, &a), 0);
    assert_int_equal(a.status, FEED_CHANGED);
    assert_string_equal(a.body, ICS);
    assert_int_equal(feed_fetch(path, &a.v, NULL, &b), 0);
    assert_int_equal(b.status, FEED_UNCHANGED);
    struct feed_opts tiny = {.max_bytes = 16};
    assert_int_equal(feed_fetch(path, NULL, &tiny, &c), BOT_ETOOBIG);
    unlink(path);
    feed_result_free(&a);
    feed_result_free(&b);
    feed_result_free(&c);
    assert_int_equal(feed_fetch("/nonexistent/cal.ics", NULL, NULL, &c), BOT_ENOTFOUND);
    assert_int_equal(c.status, FEED_ERROR);
}

static void test_url_policy(void **state)
{
    (void)state;
    struct feed_opts lo = lo_opts();
    const struct {
        const char *url;
        bool ok;
    } cases[] = {
        {"https://calendar.google.com/calendar/ical/x/basic.ics", true},
        {"https://127.0.0.1/a.ics", true}, /* syntax only; refused at fetch (address) */
        {"http://localhost/a.ics", false},
        {"http://[::1]:9/a.ics", false},
        {"http://127.0.0.1:8080/a.ics", false},
        {"http://example.com/a.ics", false},
        {"http://127.0.0.1.evil.test/a.ics", false},
        {"ftp://example.com/a.ics", false},
        {"file:///etc/passwd", false},
        {"not a url", false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (feed_url_allowed(cases[i].url, NULL, 0) != cases[i].ok)
            fail_msg("%s", cases[i].url);
    char u[128];
    url(u, sizeof(u), "/ok");
    assert_true(feed_url_allowed(u, lo.allow_private, lo.nallow)); /* listed endpoint */
    struct feed_result r;
    assert_int_equal(feed_fetch("http://example.com/a.ics", NULL, NULL, &r), BOT_EDENIED);
}

/* SSRF: every private, loopback, link-local, CGNAT, ULA or mapped address is refused
 * before a connection is made, by name (test resolver) and as a literal; a listed
 * endpoint is reached through the pinned address only. */
static void test_private_addresses_refused(void **state)
{
    (void)state;
    struct feed_opts o = lo_opts();
    o.nallow = 0; /* nothing listed */
    o.timeout_ms = 2000;
    char self[128];
    snprintf(self, sizeof(self), "https://127.0.0.1:%d/ok", port);
    const char *urls[] = {
        "https://metadata.test/latest/meta-data",
        "https://ten.test/a.ics",
        "https://rfc1918.test/a.ics",
        "https://cgnat.test/a.ics",
        "https://mapped.test/a.ics",
        "https://ula.test/a.ics",
        "https://linklocal6.test/a.ics",
        "https://pinned.test/a.ics",
        "https://mixed.test/a.ics", /* one private answer among public ones */
        self,
    };
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        struct feed_result r;
        int rc = feed_fetch(urls[i], NULL, &o, &r);
        if (rc != BOT_EDENIED || !strstr(r.err, "not a public internet address"))
            fail_msg("%s: rc %d err %s detail %s", urls[i], rc, r.err, r.detail);
    }
    /* literals go through the same check (system resolver parses them) */
    const char *lits[] = {"https://169.254.169.254/latest/meta-data",
                          "https://[::1]/a.ics",
                          "https://[::ffff:10.0.0.1]/a.ics",
                          "https://0x7f.1/a.ics",
                          "https://2130706433/a.ics",
                          "https://[fe80::1]/a.ics"};
    struct feed_opts sys = {.timeout_ms = 2000};
    for (size_t i = 0; i < sizeof(lits) / sizeof(lits[0]); i++) {
        struct feed_result r;
        int rc = feed_fetch(lits[i], NULL, &sys, &r);
        if (rc != BOT_EDENIED)
            fail_msg("%s: rc %d err %s detail %s", lits[i], rc, r.err, r.detail);
    }
    /* http to a listed private endpoint works, through the checked address only:
     * pinned.test is unknown to the system resolver */
    struct feed_opts lo = lo_opts();
    char pinned[128];
    snprintf(pinned, sizeof(pinned), "http://pinned.test:%d/ok", port);
    int before = g_resolved;
    struct feed_result ok;
    assert_int_equal(feed_fetch(pinned, NULL, &lo, &ok), 0);
    assert_int_equal(ok.status, FEED_CHANGED);
    assert_int_equal(g_resolved, before + 1);
    feed_result_free(&ok);
}

/* URLs in logs and Discord lose their secrets. */
static void test_redact(void **state)
{
    (void)state;
    char out[200];
    net_redact_url("https://user:pw@calendar.google.com/calendar/ical/abc%40group/"
                   "private-0123456789abcdef0123456789abcdef/basic.ics?token=SECRET#x",
                   out, sizeof(out));
    assert_null(strstr(out, "SECRET"));
    assert_null(strstr(out, "pw"));
    assert_null(strstr(out, "0123456789abcdef"));
    assert_non_null(strstr(out, "https://calendar.google.com/calendar/ical/"));
    net_redact_url("https://example.com/feeds/sk_live_4eC39HqLyjWDarjtT1zdp7dc.ics", out,
                   sizeof(out));
    assert_null(strstr(out, "4eC39HqLyjWDarjtT1zdp7dc"));
    net_redact_url("https://example.com/cal/team.ics", out, sizeof(out));
    assert_string_equal(out, "https://example.com/cal/team.ics");
    net_redact_url("https://example.com/a.ics?x=1", out, 20); /* cut, still terminated */
    assert_true(strlen(out) < 20);
}

static void test_hash(void **state)
{
    (void)state;
    const char *a = "BEGIN:VEVENT\r\nDTSTAMP:20240101T000000Z\r\nUID:1\r\nEND:VEVENT\r\n";
    const char *b = "BEGIN:VEVENT\nDTSTAMP;X=1:20250101T000000Z\n folded rest\nUID:1\nEND:VEVENT\n";
    const char *c = "BEGIN:VEVENT\r\nDTSTAMP:20240101T000000Z\r\nUID:2\r\nEND:VEVENT\r\n";
    assert_true(feed_hash(a, strlen(a)) == feed_hash(b, strlen(b)));
    assert_true(feed_hash(a, strlen(a)) != feed_hash(c, strlen(c)));
    assert_true(feed_hash("", 0) == 14695981039346656037ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_statuses),
        cmocka_unit_test(test_conditional_get),
        cmocka_unit_test(test_hash_unchanged_without_validators),
        cmocka_unit_test(test_garbage_body),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_url_policy),
        cmocka_unit_test(test_private_addresses_refused),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, server_up, server_down);
}
