/* fuzz_gw_inflate.c - libFuzzer target for the gateway's zlib-stream inflate
 * (bot/discord/gw_inflate.h). The first byte picks the fragment size. Two runs per
 * input: (1) the bytes as a hostile compressed stream, cut into fragments (high-ratio
 * data must stop at the 64 KiB cap, corrupt data is an error, after which only a reset
 * helps); (2) the bytes as a message a server deflates with a sync flush, which must
 * come back unchanged. Never crashes, leaks or allocates past the cap. */
#include "bot/discord/gw_inflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CAP 65536

static void hostile(const uint8_t *p, size_t n, size_t frag)
{
    struct gw_inflate *z = gw_inflate_new(CAP);
    if (!z)
        return;
    const char *out;
    size_t ol;
    for (size_t off = 0; off < n; off += frag) {
        size_t k = n - off < frag ? n - off : frag;
        int rc = gw_inflate_feed(z, p + off, k, off + k == n || (p[off] & 1), &out, &ol);
        if (rc == 1 && (ol > CAP || out[ol] != '\0'))
            abort();
        if (rc < 0 && gw_inflate_reset(z) < 0)
            break;
    }
    gw_inflate_free(z);
}

static void round_trip(const uint8_t *p, size_t n, size_t frag)
{
    if (n > CAP)
        return;
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (deflateInit(&zs, Z_DEFAULT_COMPRESSION) != Z_OK)
        return;
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *c = malloc(cap);
    struct gw_inflate *z = gw_inflate_new(CAP);
    if (!c || !z)
        goto out;
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    zs.next_out = c;
    zs.avail_out = (uInt)cap;
    if (deflate(&zs, Z_SYNC_FLUSH) != Z_OK || zs.avail_in != 0)
        goto out;
    size_t cl = cap - zs.avail_out, off = 0;
    const char *o = NULL;
    size_t ol = 0;
    int rc = 0;
    for (; off < cl; off += frag) {
        size_t k = cl - off < frag ? cl - off : frag;
        rc = gw_inflate_feed(z, c + off, k, off + k == cl, &o, &ol);
        if (rc != 0)
            break;
    }
    if (rc != 1 || off + frag < cl || ol != n || (n && memcmp(o, p, n) != 0))
        abort(); /* a well-formed message must come back whole, at its last byte */
out:
    gw_inflate_free(z);
    free(c);
    deflateEnd(&zs);
}

int fuzz_target(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t frag = (size_t)data[0] * 17 + 1;
    hostile(data + 1, size - 1, frag);
    round_trip(data + 1, size - 1, frag);
    return 0;
}
