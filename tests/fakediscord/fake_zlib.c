/* fake_zlib.c - the fake's transport compression (compress=zlib-stream in the gateway
 * URL): one deflate context per socket; each message is deflated and ends with a sync
 * flush (00 00 ff ff), sent as a binary websocket message, as Discord does. A message
 * the fake sends in several websocket fragments gets a sync flush after each fragment,
 * so a client that inflates before the message's last fragment is caught. Also a
 * corrupt stream for the bot's error path. Test code only; the lws loop thread. */
#include "fake.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int fake_zlib_start(struct fake_pss *p)
{
    p->zs = calloc(1, sizeof(z_stream));
    if (!p->zs)
        return -1;
    if (deflateInit(p->zs, Z_DEFAULT_COMPRESSION) != Z_OK) {
        free(p->zs);
        p->zs = NULL;
        return -1;
    }
    return 0;
}

void fake_zlib_end(struct fake_pss *p)
{
    if (!p->zs)
        return;
    deflateEnd(p->zs);
    free(p->zs);
    p->zs = NULL;
}

/* Deflates text with a sync flush into a newly allocated buffer (*out, *outlen). */
int fake_zlib_deflate(struct fake_pss *p, const char *text, size_t len, unsigned char **out,
                      size_t *outlen)
{
    z_stream *zs = p->zs;
    size_t cap = deflateBound(zs, (uLong)len) + 64, used = 0;
    unsigned char *o = malloc(cap);
    if (!o)
        return -1;
    zs->next_in = (Bytef *)text;
    zs->avail_in = (uInt)len;
    for (;;) {
        zs->next_out = o + used;
        zs->avail_out = (uInt)(cap - used);
        int r = deflate(zs, Z_SYNC_FLUSH);
        used = cap - zs->avail_out;
        if (r != Z_OK && r != Z_BUF_ERROR) {
            free(o);
            return -1;
        }
        if (zs->avail_out > 0)
            break;
        unsigned char *n = realloc(o, cap * 2);
        if (!n) {
            free(o);
            return -1;
        }
        o = n;
        cap *= 2;
    }
    *out = o;
    *outlen = used;
    return 0;
}
