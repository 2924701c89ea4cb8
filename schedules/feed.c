/* feed.c - blocking fetch of one iCal feed (see feed.h): libcurl easy with
 * redirects followed by hand so every hop passes the https/loopback rule, a
 * bounded body buffer, conditional GET, and a DTSTAMP-blind content hash.
 * Worker threads only; no shared mutable state besides curl's one-time init. */
#include "schedules/feed.h"
#include "bot/buf.h"

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

bool feed_url_allowed(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    bool ok = false;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (strcasecmp(scheme, "https") == 0)
            ok = true;
        else if (strcasecmp(scheme, "http") == 0)
            ok = strcmp(host, "127.0.0.1") == 0 || strcasecmp(host, "localhost") == 0 ||
                 strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
}

static int fail(struct feed_result *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct feed_result *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    r->status = FEED_ERROR;
    r->code = code;
    vsnprintf(r->err, sizeof(r->err), fmt, ap);
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
            return fail(r, BOT_ENOMEM, "out of memory");
    }
    return 0;
}

static int fetch_file(const char *path, const struct feed_validators *prev, size_t max,
                      struct feed_result *r)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return fail(r, errno == ENOENT ? BOT_ENOTFOUND : BOT_EIO, "cannot open %s: %s", path,
                    strerror(errno));
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
        return fail(r, rc, "%s is larger than %zu bytes", path, max);
    if (rc)
        return fail(r, rc, "out of memory reading %s", path);
    if (ioerr) {
        buf_free(&b);
        return fail(r, BOT_EIO, "read error on %s", path);
    }
    return finish_body(r, prev, &b);
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
static int one_hop(CURL *c, const char *url, long timeout_ms, size_t max, struct hop *h,
                   struct feed_result *r, long *code)
{
    char cerr[CURL_ERROR_SIZE] = "";
    buf_init(&h->body, max);
    h->overflow = false;
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
        return fail(r, BOT_ETOOBIG, "%s: body larger than %zu bytes", url, max);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return fail(r, BOT_EIO, "%s: timed out after %ld ms", url, timeout_ms);
    snprintf(r->err, sizeof(r->err), "%.120s: %s%s%.80s", url, curl_easy_strerror(rc),
             cerr[0] ? ": " : "", cerr);
    r->status = FEED_ERROR;
    r->code = BOT_EIO;
    return BOT_EIO;
}

static void setup(CURL *c, struct curl_slist *hdrs, size_t max)
{
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "cohortbot/" COHORTBOT_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
}

static int http_result(struct feed_result *r, const struct feed_validators *prev, struct hop *h,
                       const char *url, long code)
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
        return fail(r, code == 404 ? BOT_ENOTFOUND : BOT_EPROTO, "%s: HTTP status %ld", url, code);
    }
    snprintf(r->v.etag, sizeof(r->v.etag), "%s", h->etag);
    snprintf(r->v.last_modified, sizeof(r->v.last_modified), "%s", h->lastmod);
    return finish_body(r, prev, &h->body);
}

static int fetch_http(const char *url0, const struct feed_validators *prev, size_t max,
                      long timeout_ms, struct feed_result *r)
{
    pthread_once(&curl_once, curl_init_once);
    CURL *c = curl_easy_init();
    struct curl_slist *hdrs = conditional(prev);
    char url[2048];
    struct hop h;
    memset(&h, 0, sizeof(h));
    snprintf(url, sizeof(url), "%s", url0);
    if (!c) {
        curl_slist_free_all(hdrs);
        return fail(r, BOT_ENOMEM, "curl init failed");
    }
    setup(c, hdrs, max);
    long deadline = now_ms() + timeout_ms, code = 0;
    int rc = 0;
    for (int hops = 0;; hops++) {
        if (!feed_url_allowed(url)) {
            rc = fail(r, BOT_EDENIED, "%.200s: only https (or http to loopback) is allowed", url);
            break;
        }
        if ((rc = one_hop(c, url, deadline - now_ms(), max, &h, r, &code)))
            break;
        char *loc = NULL;
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc);
        if (code < 300 || code > 399 || code == 304 || !loc) {
            rc = http_result(r, prev, &h, url, code);
            break;
        }
        buf_free(&h.body);
        if (hops + 1 > FEED_MAX_REDIRECTS) {
            rc = fail(r, BOT_EPROTO, "%.200s: more than %d redirects", url0, FEED_MAX_REDIRECTS);
            break;
        }
        snprintf(url, sizeof(url), "%s", loc);
    }
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    return rc;
}

int feed_fetch(const char *source, const struct feed_validators *prev, const struct feed_opts *opts,
               struct feed_result *out)
{
    memset(out, 0, sizeof(*out));
    size_t max = opts && opts->max_bytes ? opts->max_bytes : FEED_DEFAULT_MAX;
    long timeout = opts && opts->timeout_ms ? opts->timeout_ms : FEED_DEFAULT_TIMEOUT_MS;
    if (!source || !*source)
        return fail(out, BOT_EINVAL, "empty feed source");
    if (strstr(source, "://"))
        return fetch_http(source, prev, max, timeout, out);
    return fetch_file(source, prev, max, out);
}

void feed_result_free(struct feed_result *r)
{
    if (!r)
        return;
    free(r->body);
    r->body = NULL;
    r->len = 0;
}
