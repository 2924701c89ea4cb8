/* netpolicy.c - address classes and URL redaction (see netpolicy.h). */
#include "bot/netpolicy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool v4_public(uint32_t a) /* host byte order */
{
    static const struct {
        uint32_t net, mask;
    } deny[] = {
        {0x00000000, 0xff000000}, /* 0/8 "this network" */
        {0x0a000000, 0xff000000}, /* 10/8 */
        {0x64400000, 0xffc00000}, /* 100.64/10 CGNAT */
        {0x7f000000, 0xff000000}, /* 127/8 loopback */
        {0xa9fe0000, 0xffff0000}, /* 169.254/16 link-local (cloud metadata) */
        {0xac100000, 0xfff00000}, /* 172.16/12 */
        {0xc0000000, 0xffffff00}, /* 192.0.0/24 IETF protocol assignments */
        {0xc0000200, 0xffffff00}, /* 192.0.2/24 documentation */
        {0xc0586300, 0xffffff00}, /* 192.88.99/24 6to4 relay */
        {0xc0a80000, 0xffff0000}, /* 192.168/16 */
        {0xc6120000, 0xfffe0000}, /* 198.18/15 benchmarking */
        {0xc6336400, 0xffffff00}, /* 198.51.100/24 documentation */
        {0xcb007100, 0xffffff00}, /* 203.0.113/24 documentation */
        {0xe0000000, 0xf0000000}, /* 224/4 multicast */
        {0xf0000000, 0xf0000000}, /* 240/4 reserved + broadcast */
    };
    for (size_t i = 0; i < sizeof(deny) / sizeof(deny[0]); i++)
        if ((a & deny[i].mask) == deny[i].net)
            return false;
    return true;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool v6_public(const uint8_t *b)
{
    static const uint8_t zero[16];
    if (memcmp(b, zero, 10) == 0 &&
        ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0)))
        return memcmp(b, zero, 16) != 0 &&
               v4_public(be32(b + 12)); /* mapped, compatible, ::, ::1 */
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) /* 64:ff9b::/96, /48 NAT64 */
        return v4_public(be32(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02) /* 2002::/16 6to4 carries an IPv4 address */
        return v4_public(be32(b + 2));
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) /* 2001::/32 Teredo */
        return false;
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) /* documentation */
        return false;
    if ((b[0] & 0xfe) == 0xfc) /* fc00::/7 ULA */
        return false;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) /* fe80::/10 link-local */
        return false;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) /* fec0::/10 site-local (deprecated) */
        return false;
    if (b[0] == 0xff) /* multicast */
        return false;
    if (b[0] == 0x01 && memcmp(b + 1, zero, 7) == 0) /* 100::/64 discard */
        return false;
    return (b[0] & 0xe0) == 0x20; /* only 2000::/3 is global unicast */
}

bool net_addr_public(const struct sockaddr *sa)
{
    if (!sa)
        return false;
    if (sa->sa_family == AF_INET)
        return v4_public(ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr));
    if (sa->sa_family == AF_INET6)
        return v6_public(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
    return false;
}

bool net_endpoint_listed(const char *const *allow, size_t nallow, const char *host, long port)
{
    char want[300];
    bool v6 = strchr(host, ':') && host[0] != '[';
    int n = snprintf(want, sizeof(want), v6 ? "[%s]:%ld" : "%s:%ld", host, port);
    if (n < 0 || (size_t)n >= sizeof(want))
        return false;
    for (size_t i = 0; i < nallow; i++)
        if (allow[i] && strcasecmp(allow[i], want) == 0)
            return true;
    return false;
}

/* A path segment that is probably a secret: Google's private-<hex> or a long run of
 * letters/digits with both present (an access token). */
static bool secret_segment(const char *s, size_t n)
{
    if (n >= 8 && strncasecmp(s, "private-", 8) == 0)
        return true;
    if (n < 24)
        return false;
    int digits = 0, alpha = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            alpha++;
        else if (c != '-' && c != '_' && c != '.' && c != '%' && c != '@')
            return false;
    }
    return digits >= 4 && alpha >= 4;
}

static size_t put(char *out, size_t cap, size_t at, const char *s, size_t n)
{
    if (cap == 0 || at >= cap - 1)
        return at;
    if (n > cap - 1 - at)
        n = cap - 1 - at;
    memcpy(out + at, s, n);
    return at + n;
}

void net_redact_url(const char *url, char *out, size_t cap)
{
    size_t at = 0;
    if (!cap)
        return;
    out[0] = '\0';
    if (!url)
        return;
    const char *p = url, *scheme = strstr(url, "://");
    if (scheme) {
        at = put(out, cap, at, url, (size_t)(scheme - url) + 3);
        p = scheme + 3;
        size_t auth = strcspn(p, "/?#");
        const char *host = p, *at_sign = memchr(p, '@', auth);
        if (at_sign)
            host = at_sign + 1; /* userinfo never shown */
        at = put(out, cap, at, host, (size_t)(p + auth - host));
        p += auth;
    }
    while (*p && *p != '?' && *p != '#') {
        size_t n = strcspn(p + (*p == '/'), "/?#") + (*p == '/');
        const char *seg = p + (*p == '/');
        size_t sn = n - (*p == '/');
        if (*p == '/')
            at = put(out, cap, at, "/", 1);
        if (secret_segment(seg, sn))
            at = put(out, cap, at, "\xe2\x80\xa6", 3);
        else
            at = put(out, cap, at, seg, sn);
        p += n;
    }
    if (*p)
        at = put(out, cap, at, "?\xe2\x80\xa6", 4);
    /* never end inside a UTF-8 sequence */
    while (at > 0 && ((unsigned char)out[at - 1] & 0xc0) == 0x80 && at == cap - 1)
        at--;
    if (at > 0 && (unsigned char)out[at - 1] >= 0xc0 && at == cap - 1)
        at--;
    out[at] = '\0';
}
