/* test_gw_inflate.c - zlib-stream inflate (bot/discord/gw_inflate.h): messages in one
 * stream, split messages and flush markers inside one, the max_frame cap (a
 * decompression bomb), corrupt data, and a fresh stream after reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/discord/gw_inflate.h"
#include "bot/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A sender's stream: each call deflates one message ending at a sync flush. */
struct sender {
    z_stream zs;
    unsigned char out[1 << 16];
};

static void s_init(struct sender *s)
{
    memset(&s->zs, 0, sizeof(s->zs));
    assert_int_equal(deflateInit(&s->zs, Z_DEFAULT_COMPRESSION), Z_OK);
}

static size_t s_msg(struct sender *s, const void *p, size_t len)
{
    s->zs.next_in = (Bytef *)p;
    s->zs.avail_in = (uInt)len;
    s->zs.next_out = s->out;
    s->zs.avail_out = sizeof(s->out);
    assert_int_equal(deflate(&s->zs, Z_SYNC_FLUSH), Z_OK);
    assert_int_equal(s->zs.avail_in, 0);
    assert_true(s->zs.avail_out > 0);
    size_t n = sizeof(s->out) - s->zs.avail_out;
    assert_memory_equal(s->out + n - 4, "\x00\x00\xff\xff", 4);
    return n;
}

static void test_messages_in_one_stream(void **state)
{
    (void)state;
    struct sender s;
    s_init(&s);
    struct gw_inflate *z = gw_inflate_new(1 << 20);
    assert_non_null(z);
    for (int i = 0; i < 50; i++) {
        char msg[256];
        int n =
            snprintf(msg, sizeof(msg), "{\"op\":0,\"s\":%d,\"t\":\"MESSAGE_CREATE\",\"d\":{}}", i);
        size_t zl = s_msg(&s, msg, (size_t)n);
        const char *out = NULL;
        size_t ol = 0;
        assert_int_equal(gw_inflate_feed(z, s.out, zl, true, &out, &ol), 1);
        assert_int_equal(ol, (size_t)n);
        assert_memory_equal(out, msg, ol);
        assert_int_equal(out[ol], '\0');
    }
    unsigned long long in, out;
    gw_inflate_totals(z, &in, &out);
    assert_true(in > 0 && out > in); /* the context carries over: later messages are tiny */
    gw_inflate_free(z);
    deflateEnd(&s.zs);
}

/* One message in three websocket fragments, each ending with its own sync flush: the
 * markers at the first two fragments' ends are no message end. Then a message cut
 * byte by byte. */
static void test_split_messages(void **state)
{
    (void)state;
    struct sender s;
    s_init(&s);
    struct gw_inflate *z = gw_inflate_new(1 << 20);
    const char *parts[] = {"{\"op\":0,\"t\":\"GUILD_CREATE\",", "\"s\":1,\"d\":{\"id\":\"1\"",
                           "}}"};
    const char *out = NULL;
    size_t ol = 0;
    for (int i = 0; i < 3; i++) {
        size_t zl = s_msg(&s, parts[i], strlen(parts[i]));
        assert_int_equal(gw_inflate_feed(z, s.out, zl, i == 2, &out, &ol), i == 2 ? 1 : 0);
    }
    assert_string_equal(out, "{\"op\":0,\"t\":\"GUILD_CREATE\",\"s\":1,\"d\":{\"id\":\"1\"}}");
    const char *m = "{\"op\":11}";
    size_t zl = s_msg(&s, m, strlen(m));
    for (size_t k = 0; k + 1 < zl; k++)
        assert_int_equal(gw_inflate_feed(z, s.out + k, 1, false, &out, &ol), 0);
    assert_int_equal(gw_inflate_feed(z, s.out + zl - 1, 1, true, &out, &ol), 1);
    assert_string_equal(out, m);
    /* a final piece without the marker: still incomplete (Discord splits only at it) */
    zl = s_msg(&s, m, strlen(m));
    assert_int_equal(gw_inflate_feed(z, s.out, zl - 4, true, &out, &ol), 0);
    assert_int_equal(gw_inflate_feed(z, s.out + zl - 4, 4, true, &out, &ol), 1);
    assert_string_equal(out, m);
    gw_inflate_free(z);
    deflateEnd(&s.zs);
}

/* 8 MiB of spaces deflate to ~8 KB; the cap is 64 KiB. Exactly the cap still passes. */
static void test_bomb_and_reset(void **state)
{
    (void)state;
    size_t max = 65536;
    struct gw_inflate *z = gw_inflate_new(max);
    struct sender s;
    s_init(&s);
    char *exact = malloc(max);
    memset(exact, ' ', max);
    const char *out = NULL;
    size_t ol = 0;
    size_t zl = s_msg(&s, exact, max);
    assert_int_equal(gw_inflate_feed(z, s.out, zl, true, &out, &ol), 1);
    assert_int_equal(ol, max);
    free(exact);
    size_t big = (size_t)8 << 20;
    char *bomb = malloc(big);
    memset(bomb, ' ', big);
    zl = s_msg(&s, bomb, big);
    assert_true(zl < 65536);
    free(bomb);
    assert_int_equal(gw_inflate_feed(z, s.out, zl, true, &out, &ol), BOT_ETOOBIG);
    /* the stream is unusable now, even for good data */
    zl = s_msg(&s, "{}", 2);
    assert_int_equal(gw_inflate_feed(z, s.out, zl, true, &out, &ol), BOT_EPROTO);
    deflateEnd(&s.zs);
    /* a new connection: new context on both ends */
    assert_int_equal(gw_inflate_reset(z), 0);
    s_init(&s);
    zl = s_msg(&s, "{\"op\":10}", 9);
    assert_int_equal(gw_inflate_feed(z, s.out, zl, true, &out, &ol), 1);
    assert_string_equal(out, "{\"op\":10}");
    deflateEnd(&s.zs);
    gw_inflate_free(z);
}

static void test_corrupt_and_oversized_input(void **state)
{
    (void)state;
    struct gw_inflate *z = gw_inflate_new(65536);
    const char *out = NULL;
    size_t ol = 0;
    static const unsigned char junk[] = {0xff, 0xfe, 0x12, 0x34, 0x56, 0x00, 0x00, 0xff, 0xff};
    assert_int_equal(gw_inflate_feed(z, junk, sizeof(junk), true, &out, &ol), BOT_EPROTO);
    assert_int_equal(gw_inflate_reset(z), 0);
    /* compressed bytes of one message pile up past the cap without an end */
    unsigned char *blob = calloc(1, 40000);
    assert_int_equal(gw_inflate_feed(z, blob, 40000, false, &out, &ol), 0);
    assert_int_equal(gw_inflate_feed(z, blob, 40000, false, &out, &ol), BOT_ETOOBIG);
    free(blob);
    /* a stream that ends (Z_FINISH) is not Discord's: refused */
    assert_int_equal(gw_inflate_reset(z), 0);
    unsigned char fin[64];
    uLongf fl = sizeof(fin);
    assert_int_equal(compress(fin, &fl, (const Bytef *)"{}", 2), Z_OK);
    memcpy(fin + fl, "\x00\x00\xff\xff", 4);
    assert_true(gw_inflate_feed(z, fin, fl + 4, true, &out, &ol) < 0);
    /* the zlib header is checked by us (inflate runs raw): a preset dictionary, a bad
     * check value and a method other than deflate are refused */
    static const unsigned char hdrs[][2] = {{0x78, 0xbb}, {0x78, 0x9d}, {0x79, 0x9c}};
    for (size_t i = 0; i < 3; i++) {
        unsigned char m[16] = {hdrs[i][0], hdrs[i][1], 0x02, 0x00, 0x00, 0x00, 0xff, 0xff};
        assert_int_equal(gw_inflate_reset(z), 0);
        assert_int_equal(gw_inflate_feed(z, m, 8, true, &out, &ol), BOT_EPROTO);
    }
    gw_inflate_free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_messages_in_one_stream),
        cmocka_unit_test(test_split_messages),
        cmocka_unit_test(test_bomb_and_reset),
        cmocka_unit_test(test_corrupt_and_oversized_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
