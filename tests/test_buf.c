/* test_buf.c - bounded buffer: growth, cap, printf, take. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "bot/buf.h"
#include "bot/err.h"

static void test_append_and_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_string_equal(buf_str(&b), "");
    assert_int_equal(buf_puts(&b, "hello"), 0);
    assert_int_equal(buf_printf(&b, "%d", 1234), 0);
    assert_string_equal(buf_str(&b), "hello1234");
    assert_int_equal(buf_puts(&b, "xx"), BOT_ETOOBIG);
    /* failure frees the buffer */
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    assert_int_equal(buf_puts(&b, "0123456789"), 0);
    assert_int_equal(b.len, 10);
    char *s = buf_take(&b);
    assert_string_equal(s, "0123456789");
    free(s);
    assert_null(b.p);
    buf_free(&b);
}

static void test_large_growth(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(buf_printf(&b, "%04d", i % 10000), 0);
    assert_int_equal(b.len, 40000);
    assert_memory_equal(b.p + 39996, "9999", 4);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_cap),
        cmocka_unit_test(test_large_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
