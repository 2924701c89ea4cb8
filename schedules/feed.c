/* feed.c - blocking fetch of one iCal feed (see feed.h): libcurl easy with
 * redirects followed by hand so every hop passes the https/loopback rule, a
 * bounded body buffer, conditional GET, and a DTSTAMP-blind content hash.
 * Worker threads only; no shared mutable state besides curl's one-time init. */
#include "schedules/feed.h"
#include "bot/buf.h"
#include "bot/netpolicy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

uint64_t feed_hash(const char *p, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    const char *end = p + len;
    bool skipping = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl + 1 : end;
        bool cont = *p == ' ' || *p == '\t';
        if (!cont)
            skipping = (size_t)(e - p) > 7 && strncasecmp(p, "DTSTAMP", 7) == 0 &&
                       (p[7] == ':' || p[7] == ';');
        if (!skipping)
            for (const char *c = p; c < e; c++)
                if (*c != '\r')
                    h = (h ^ (unsigned char)*c) * 1099511628211ULL;
        p = e;
    }
    return h;
}

/* The parts of a URL the policy needs. 0 or BOT_EINVAL. */
struct url_parts {
    char scheme[8];
    char host[256]; /* without IPv6 brackets */
    long port;
};

static int url_parts(const char *url, struct url_parts *out)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    int rc = BOT_EINVAL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
        strlen(scheme) < sizeof(out->scheme) && strlen(host) < sizeof(out->host)) {
        snprintf(out->scheme, sizeof(out->scheme), "%s", scheme);
        const char *h = host;
        size_t n = strlen(h);
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
            h++;
            n -= 2;
        }
        memcpy(out->host, h, n);
        out->host[n] = '\0';
        char *end;
        out->port = strtol(port, &end, 10);
        rc = *end || out->port <= 0 || out->port > 65535 ? BOT_EINVAL : 0;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return rc;
}

bool feed_url_allowed(const char *url, const char *const *allow, size_t nallow)
{
    struct url_parts u;
    if (!url || url_parts(url, &u))
        return false;
    if (strcasecmp(u.scheme, "https") == 0)
        return true;
    return strcasecmp(u.scheme, "http") == 0 && net_endpoint_listed(allow, nallow, u.host, u.port);
}

/* Records an error: `shown` is the generic text for Discord, the format the detail
 * for the log (callers pass redacted URLs only). */
static int fail(struct feed_result *r, int code, const char *shown, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(struct feed_result *r, int code, const char *shown, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->status = FEED_ERROR;
    r->code = code;
    snprintf(r->err, sizeof(r->err), "%s", shown);
    vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
    va_end(ap);
    return code;
}

/* A body arrived: decide changed / unchanged by hash. */
static int finish_body(struct feed_result *r, const struct feed_validators *prev, struct buf *b)
{
    r->v.hash = feed_hash(buf_str(b), b->len);
    r->v.have_hash = true;
    if (prev && prev->have_hash && prev->hash == r->v.hash) {
        r->status = FEED_UNCHANGED;
        buf_free(b);
        return 0;
    }
    r->status = FEED_CHANGED;
    r->len = b->len;
    r->body = buf_take(b);
    if (!r->body) { /* empty body: still a (changed, empty) document */
        r->body = calloc(1, 1);
        if (!r->body)
            return fail(r, BOT_ENOMEM, "out of memory", "out of memory");
    }
    return 0;
}

static int fetch_file(const char *path, const struct feed_validators *prev, size_t max,
                      struct feed_result *r)
{
    static const char unreadable[] = "the calendar file cannot be read";
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return fail(r, errno == ENOENT ? BOT_ENOTFOUND : BOT_EIO, unreadable, "cannot open %s: %s",
                    path, strerror(errno));
    struct buf b;
    buf_init(&b, max);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        rc = buf_append(&b, chunk, n);
    bool ioerr = ferror(fp);
    fclose(fp);
    if (rc == BOT_ETOOBIG)
        return fail(r, rc, "the calendar file is larger than the bot accepts",
                    "%s is larger than %zu bytes", path, max);
    if (rc)
        return fail(r, rc, "out of memory", "out of memory reading %s", path);
    if (ioerr) {
        buf_free(&b);
        return fail(r, BOT_EIO, unreadable, "read error on %s", path);
    }
    return finish_body(r, prev, &b);
}

/* The addresses checked for this hop; the socket callback admits only these. */
struct pin {
    struct sockaddr_storage a[8];
    int n;
    bool refused; /* the callback refused an address */
};

static bool same_addr(const struct sockaddr_storage *x, const struct sockaddr *y)
{
    if (x->ss_family != y->sa_family)
        return false;
    if (y->sa_family == AF_INET)
        return memcmp(&((const struct sockaddr_in *)x)->sin_addr,
                      &((const struct sockaddr_in *)y)->sin_addr, sizeof(struct in_addr)) == 0;
    if (y->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)x)->sin6_addr,
                      &((const struct sockaddr_in6 *)y)->sin6_addr, sizeof(struct in6_addr)) == 0;
    return false;
}

/* The last word before connect(): the address curl is about to use must be one the
 * policy checked for this hop (no second resolution, no rebinding, no proxy). */
static curl_socket_t open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct pin *p = ud;
    bool ok = purpose == CURLSOCKTYPE_IPCXN;
    for (int i = 0; ok && i < p->n; i++)
        if (same_addr(&p->a[i], &a->addr))
            return socket(a->family, a->socktype, a->protocol);
    p->refused = true;
    return CURL_SOCKET_BAD;
}

static int system_resolve(const char *host, struct sockaddr_storage *out, int max, bool numeric)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    hints.ai_flags = numeric ? AI_NUMERICHOST : 0;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
        return BOT_ENOTFOUND;
    int n = 0;
    for (struct addrinfo *ai = res; ai && n < max; ai = ai->ai_next)
        if ((ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
            ai->ai_addrlen <= sizeof(out[0]))
            memcpy(&out[n++], ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(res);
    return n > 0 ? n : BOT_ENOTFOUND;
}

/* Checks one hop's URL against the policy, resolves it and pins the result in
 * *resolve (a CURLOPT_RESOLVE list, replaced). 0 or an error stored in r. */
static int check_hop(const char *url, const char *shown_url, const struct feed_opts *o,
                     struct pin *pin, struct curl_slist **resolve, struct feed_result *r)
{
    struct url_parts u;
    if (url_parts(url, &u))
        return fail(r, BOT_EINVAL, "the calendar URL is not valid", "%s: not a valid URL",
                    shown_url);
    bool listed = net_endpoint_listed(o->allow_private, o->nallow, u.host, u.port);
    bool https = strcasecmp(u.scheme, "https") == 0;
    if (!https && !(listed && strcasecmp(u.scheme, "http") == 0))
        return fail(r, BOT_EDENIED, "only https:// calendar URLs are allowed",
                    "%s: scheme %s refused", shown_url, u.scheme);
    /* an address literal (any form libc reads, 0x7f.1 included) is taken as it is */
    int n = system_resolve(u.host, pin->a, 8, true);
    if (n <= 0)
        n = o->resolve ? o->resolve(o->resolve_arg, u.host, pin->a, 8)
                       : system_resolve(u.host, pin->a, 8, false);
    if (n <= 0)
        return fail(r, BOT_ENOTFOUND, "the calendar's host name could not be resolved",
                    "%s: no address for the host", shown_url);
    pin->n = n;
    char line[600], addr[INET6_ADDRSTRLEN];
    int at = snprintf(line, sizeof(line), "%s:%ld:", u.host, u.port);
    for (int i = 0; i < n; i++) {
        const struct sockaddr *sa = (const struct sockaddr *)&pin->a[i];
        if (!listed && !net_addr_public(sa))
            return fail(r, BOT_EDENIED, "the calendar's address is not a public internet address",
                        "%s: resolves to a non-public address, refused", shown_url);
        const void *raw = sa->sa_family == AF_INET
                              ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
                              : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        inet_ntop(sa->sa_family, raw, addr, sizeof(addr));
        at += snprintf(line + at, sizeof(line) - (size_t)at,
                       sa->sa_family == AF_INET6 ? "%s[%s]" : "%s%s", i ? "," : "", addr);
        if (at >= (int)sizeof(line))
            return fail(r, BOT_EINVAL, "the calendar URL is not valid", "%s: host too long",
                        shown_url);
    }
    curl_slist_free_all(*resolve);
    *resolve = curl_slist_append(NULL, line);
    return *resolve ? 0 : fail(r, BOT_ENOMEM, "out of memory", "out of memory");
}

struct hop {
    struct buf body;
    bool overflow;
    char etag[256], lastmod[64];
};

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    struct hop *h = ud;
    if (buf_append(&h->body, p, sz * n)) {
        h->overflow = true;
        return 0;
    }
    return sz * n;
}

static void header_value(const char *p, size_t n, size_t skip, char *out, size_t cap)
{
    p += skip;
    n -= skip;
    while (n && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' '))
        n--;
    if (n >= cap)
        n = 0; /* absurdly long validator: ignore */
    memcpy(out, p, n);
    out[n] = '\0';
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct hop *h = ud;
    size_t len = sz * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
        h->etag[0] = h->lastmod[0] = '\0';
    else if (len > 5 && strncasecmp(p, "ETag:", 5) == 0)
        header_value(p, len, 5, h->etag, sizeof(h->etag));
    else if (len > 14 && strncasecmp(p, "Last-Modified:", 14) == 0)
        header_value(p, len, 14, h->lastmod, sizeof(h->lastmod));
    return len;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct curl_slist *conditional(const struct feed_validators *prev)
{
    struct curl_slist *l = NULL, *t;
    char line[400];
    if (prev && prev->etag[0]) {
        snprintf(line, sizeof(line), "If-None-Match: %s", prev->etag);
        if ((t = curl_slist_append(l, line)))
            l = t;
    }
    if (prev && prev->last_modified[0]) {
        snprintf(line, sizeof(line), "If-Modified-Since: %s", prev->last_modified);
        if ((t = curl_slist_append(l, line)))
            l = t;
    }
    return l;
}

/* One request; 0 with *code set, or an error already stored in r. */
static int one_hop(CURL *c, const char *url, const char *shown, long timeout_ms, size_t max,
                   struct hop *h, struct pin *pin, struct feed_result *r, long *code)
{
    char cerr[CURL_ERROR_SIZE] = "";
    buf_init(&h->body, max);
    h->overflow = false;
    pin->refused = false;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
        return 0;
    }
    buf_free(&h->body);
    if (h->overflow || rc == CURLE_FILESIZE_EXCEEDED)
        return fail(r, BOT_ETOOBIG, "the calendar is larger than the bot accepts",
                    "%s: body larger than %zu bytes", shown, max);
    if (pin->refused)
        return fail(r, BOT_EDENIED, "the calendar's address is not a public internet address",
                    "%s: connection to an unchecked address refused", shown);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return fail(r, BOT_EIO, "the calendar server did not answer in time",
                    "%s: timed out (%ld ms left)", shown, timeout_ms);
    /* one generic text whatever the cause: distinct errors would make a port scanner */
    return fail(r, BOT_EIO, "could not fetch the calendar (no answer, connection or TLS error)",
                "%s: %s%s%.80s", shown, curl_easy_strerror(rc), cerr[0] ? ": " : "", cerr);
}

static void setup(CURL *c, struct curl_slist *hdrs, size_t max, long connect_ms, struct pin *pin)
{
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    /* a server that stops sending (or sends a byte a second) is cut off */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 64L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (connect_ms + 999) / 1000 * 2);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* no proxy from the environment */
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, pin);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "cohortbot/" COHORTBOT_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
}

static int http_result(struct feed_result *r, const struct feed_validators *prev, struct hop *h,
                       const char *shown, long code)
{
    r->http_code = code;
    if (code == 304) {
        buf_free(&h->body);
        if (prev)
            r->v = *prev;
        if (h->etag[0])
            snprintf(r->v.etag, sizeof(r->v.etag), "%s", h->etag);
        r->status = FEED_UNCHANGED;
        return 0;
    }
    if (code != 200) {
        buf_free(&h->body);
        char why[64];
        snprintf(why, sizeof(why), "the calendar server answered HTTP %ld", code);
        return fail(r, code == 404 ? BOT_ENOTFOUND : BOT_EPROTO, why, "%s: HTTP status %ld", shown,
                    code);
    }
    snprintf(r->v.etag, sizeof(r->v.etag), "%s", h->etag);
    snprintf(r->v.last_modified, sizeof(r->v.last_modified), "%s", h->lastmod);
    return finish_body(r, prev, &h->body);
}

static int fetch_http(const char *url0, const struct feed_validators *prev,
                      const struct feed_opts *o, struct feed_result *r)
{
    pthread_once(&curl_once, curl_init_once);
    CURL *c = curl_easy_init();
    struct curl_slist *hdrs = conditional(prev), *resolve = NULL;
    char url[2048], shown[300];
    struct hop h;
    struct pin pin = {0};
    memset(&h, 0, sizeof(h));
    snprintf(url, sizeof(url), "%s", url0);
    if (!c) {
        curl_slist_free_all(hdrs);
        return fail(r, BOT_ENOMEM, "out of memory", "curl init failed");
    }
    setup(c, hdrs, o->max_bytes, o->connect_timeout_ms, &pin);
    long deadline = now_ms() + o->timeout_ms, code = 0;
    int rc = 0;
    for (int hops = 0;; hops++) {
        net_redact_url(url, shown, sizeof(shown));
        if ((rc = check_hop(url, shown, o, &pin, &resolve, r)))
            break;
        curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
        if ((rc = one_hop(c, url, shown, deadline - now_ms(), o->max_bytes, &h, &pin, r, &code)))
            break;
        char *loc = NULL;
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
        if (code < 300 || code > 399 || code == 304 || !loc) {
            rc = http_result(r, prev, &h, shown, code);
            break;
        }
        buf_free(&h.body);
        if (hops + 1 > FEED_MAX_REDIRECTS) {
            rc = fail(r, BOT_EPROTO, "the calendar URL redirects too often",
                      "%s: more than %d redirects", shown, FEED_MAX_REDIRECTS);
            break;
        }
        snprintf(url, sizeof(url), "%s", loc);
    }
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    curl_slist_free_all(resolve);
    return rc;
}

int feed_fetch(const char *source, const struct feed_validators *prev, const struct feed_opts *opts,
               struct feed_result *out)
{
    memset(out, 0, sizeof(*out));
    struct feed_opts o = opts ? *opts : (struct feed_opts){0};
    if (!o.max_bytes)
        o.max_bytes = FEED_DEFAULT_MAX;
    if (!o.timeout_ms)
        o.timeout_ms = FEED_DEFAULT_TIMEOUT_MS;
    if (!o.connect_timeout_ms)
        o.connect_timeout_ms = FEED_DEFAULT_CONNECT_MS;
    if (!source || !*source)
        return fail(out, BOT_EINVAL, "empty calendar source", "empty feed source");
    if (strstr(source, "://"))
        return fetch_http(source, prev, &o, out);
    return fetch_file(source, prev, o.max_bytes, out);
}

void feed_result_free(struct feed_result *r)
{
    if (!r)
        return;
    free(r->body);
    r->body = NULL;
    r->len = 0;
}
