/* gw_inflate.c - zlib-stream inflate for the gateway (gw_inflate.h). */
#include "bot/discord/gw_inflate.h"
#include "bot/err.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define ZMARK_LEN 4
#define OUT_KEEP (64u << 10) /* output kept between messages; more is given back */

struct gw_inflate {
    z_stream zs;
    bool live;   /* zs initialised */
    bool broken; /* an error happened: refuse until reset */
    size_t max;
    unsigned char *in; /* compressed bytes of an incomplete message */
    size_t in_len, in_cap;
    char *out;
    size_t out_cap;
    unsigned long long tot_in, tot_out;
    /* The stream's 2-byte zlib header, read by us: inflate runs raw (no zlib wrapper),
     * so it keeps no Adler-32 of the output. Discord never ends the stream, so the
     * checksum in the trailer is never reached and computing it only costs time (a
     * tenth of the bot's CPU per event in the loopback profile). */
    unsigned char hdr[2];
    int hdr_len;
};

static const unsigned char zmark[ZMARK_LEN] = {0x00, 0x00, 0xff, 0xff};

struct gw_inflate *gw_inflate_new(size_t max)
{
    struct gw_inflate *z = calloc(1, sizeof(*z));
    if (!z)
        return NULL;
    z->max = max ? max : (size_t)16 << 20;
    if (gw_inflate_reset(z) < 0) {
        gw_inflate_free(z);
        return NULL;
    }
    return z;
}

void gw_inflate_free(struct gw_inflate *z)
{
    if (!z)
        return;
    if (z->live)
        inflateEnd(&z->zs);
    free(z->in);
    free(z->out);
    free(z);
}

int gw_inflate_reset(struct gw_inflate *z)
{
    if (z->live)
        inflateEnd(&z->zs);
    z->live = false;
    z->in_len = 0;
    z->hdr_len = 0;
    memset(&z->zs, 0, sizeof(z->zs));
    if (inflateInit2(&z->zs, -15) != Z_OK) {
        z->broken = true;
        return BOT_ENOMEM;
    }
    z->live = true;
    z->broken = false;
    return 0;
}

static int fail(struct gw_inflate *z, int rc)
{
    z->broken = true;
    z->in_len = 0;
    return rc;
}

/* Keeps the compressed bytes of a message whose end has not arrived yet. */
static int stash(struct gw_inflate *z, const unsigned char *p, size_t len)
{
    if (len > z->max - z->in_len)
        return BOT_ETOOBIG;
    if (z->in_len + len > z->in_cap) {
        size_t cap = z->in_cap ? z->in_cap : 4096;
        while (cap < z->in_len + len)
            cap *= 2;
        unsigned char *n = realloc(z->in, cap);
        if (!n)
            return BOT_ENOMEM;
        z->in = n;
        z->in_cap = cap;
    }
    memcpy(z->in + z->in_len, p, len);
    z->in_len += len;
    return 0;
}

/* Room for at least one more output byte beyond used (+ the NUL), under max. */
static int grow_out(struct gw_inflate *z, size_t used)
{
    if (z->out_cap >= z->max + 2 || used > z->max)
        return BOT_ETOOBIG;
    size_t cap = z->out_cap ? z->out_cap * 2 : 16384;
    if (cap > z->max + 2) /* a message of exactly max bytes still ends with room left */
        cap = z->max + 2;
    char *n = realloc(z->out, cap);
    if (!n)
        return BOT_ENOMEM;
    z->out = n;
    z->out_cap = cap;
    return 0;
}

/* Inflates one whole message (ends at a sync flush) into z->out. */
static int inflate_msg(struct gw_inflate *z, const unsigned char *p, size_t len, size_t *outlen)
{
    if (z->out_cap > OUT_KEEP) { /* a huge GUILD_CREATE's memory goes back */
        free(z->out);
        z->out = NULL;
        z->out_cap = 0;
    }
    while (z->hdr_len < 2 && len > 0) { /* RFC 1950: CMF, FLG */
        z->hdr[z->hdr_len++] = *p++;
        len--;
        if (z->hdr_len == 2 && ((z->hdr[0] & 0x0f) != 8 || (z->hdr[0] >> 4) > 7 ||
                                (z->hdr[1] & 0x20) || ((z->hdr[0] << 8) | z->hdr[1]) % 31))
            return BOT_EPROTO; /* not deflate, a window over 32 KiB, or a preset dictionary */
    }
    size_t used = 0;
    z->zs.next_in = (Bytef *)p;
    z->zs.avail_in = (uInt)len;
    for (;;) {
        if (z->out_cap <= used + 1) {
            int rc = grow_out(z, used);
            if (rc < 0)
                return rc;
        }
        size_t room = z->out_cap - 1 - used; /* leave the NUL's byte */
        z->zs.next_out = (Bytef *)z->out + used;
        z->zs.avail_out = (uInt)room;
        int zr = inflate(&z->zs, Z_SYNC_FLUSH);
        used += room - z->zs.avail_out;
        if (zr == Z_STREAM_END || (zr != Z_OK && zr != Z_BUF_ERROR))
            return BOT_EPROTO; /* Discord never ends the stream; anything else is corrupt */
        if (used > z->max)
            return BOT_ETOOBIG;
        if (z->zs.avail_in == 0 && z->zs.avail_out > 0)
            break; /* all input consumed and zlib had room left: message complete */
        if (zr == Z_BUF_ERROR && z->zs.avail_out > 0)
            return BOT_EPROTO; /* no progress possible */
    }
    z->out[used] = '\0';
    *outlen = used;
    return 0;
}

int gw_inflate_feed(struct gw_inflate *z, const void *data, size_t len, bool final,
                    const char **out, size_t *outlen)
{
    const unsigned char *p = data;
    if (z->broken || !z->live)
        return BOT_EPROTO;
    z->tot_in += len;
    if (len > z->max)
        return fail(z, BOT_ETOOBIG);
    const unsigned char *msg = p;
    size_t mlen = len;
    if (z->in_len > 0 || !final || len < ZMARK_LEN ||
        memcmp(p + len - ZMARK_LEN, zmark, ZMARK_LEN) != 0) {
        /* not the common case of one whole message in one piece: collect */
        int rc = stash(z, p, len);
        if (rc < 0)
            return fail(z, rc);
        if (!final || z->in_len < ZMARK_LEN ||
            memcmp(z->in + z->in_len - ZMARK_LEN, zmark, ZMARK_LEN) != 0)
            return 0;
        msg = z->in;
        mlen = z->in_len;
    }
    int rc = inflate_msg(z, msg, mlen, outlen);
    z->in_len = 0;
    if (rc < 0)
        return fail(z, rc);
    if (z->in_cap > OUT_KEEP) {
        free(z->in);
        z->in = NULL;
        z->in_cap = 0;
    }
    z->tot_out += *outlen;
    *out = z->out;
    return 1;
}

void gw_inflate_totals(const struct gw_inflate *z, unsigned long long *in, unsigned long long *out)
{
    *in = z->tot_in;
    *out = z->tot_out;
}
