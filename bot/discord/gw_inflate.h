/* gw_inflate.h - the gateway's transport compression (compress=zlib-stream): one zlib
 * inflate context per connection, fed the binary websocket data as it arrives; a
 * message is complete when the bytes received so far end with the zlib sync-flush
 * marker 00 00 ff ff, and only then is it inflated. The inflated message is capped at
 * max bytes (a decompression bomb is BOT_ETOOBIG, never an allocation past max), the
 * compressed bytes of one message likewise. After any error the stream state is
 * unusable: the caller closes the socket and reconnects (gw_inflate_reset on every new
 * connection or resume). Owns its zlib state and both buffers. Any one thread. */
#ifndef COHORT_GW_INFLATE_H
#define COHORT_GW_INFLATE_H

#include <stdbool.h>
#include <stddef.h>

struct gw_inflate;

/* NULL on allocation failure; max 0 = 16 MiB. */
struct gw_inflate *gw_inflate_new(size_t max);
void gw_inflate_free(struct gw_inflate *z);
/* A fresh stream for a new connection: drops partial input, new zlib context.
 * 0 or BOT_ENOMEM. */
int gw_inflate_reset(struct gw_inflate *z);
/* Feeds len compressed bytes; final = they end a websocket message. A message is
 * inflated only when final and the bytes collected so far end with 00 00 ff ff (a
 * marker inside a message, or at the end of one websocket fragment, is not an end).
 * Returns 1 with *out and *outlen set to one complete inflated message (borrowed, valid
 * until the next call; NUL-terminated), 0 when more input is needed, BOT_ETOOBIG
 * (message or its compressed form over max), BOT_EPROTO (corrupt stream, or a stream
 * that ended) or BOT_ENOMEM; after an error every call fails until gw_inflate_reset. */
int gw_inflate_feed(struct gw_inflate *z, const void *p, size_t len, bool final, const char **out,
                    size_t *outlen);
/* Bytes fed and produced since creation (for metrics/benchmarks). */
void gw_inflate_totals(const struct gw_inflate *z, unsigned long long *in, unsigned long long *out);

#endif
