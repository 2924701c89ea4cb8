/* buf.h - bounded growable byte buffer (after curl's dynbuf).
 * Every buffer has a mandatory maximum; an append that would pass it or fails to
 * allocate frees the buffer and returns an error, so callers have nothing to clean
 * up. The content is always NUL-terminated. Not thread-safe; any thread. */
#ifndef COHORT_BUF_H
#define COHORT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *p;    /* owned; NULL while empty */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard cap on len */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);  /* back to empty; max kept */
void buf_reset(struct buf *b); /* len = 0, memory kept */
/* 0, BOT_ETOOBIG (buffer freed) or BOT_ENOMEM (buffer freed). */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Always a valid NUL-terminated string ("" when empty); borrowed. */
const char *buf_str(const struct buf *b);
/* Hands the allocation to the caller (free with free()); the buffer is empty after. */
char *buf_take(struct buf *b);

#endif
