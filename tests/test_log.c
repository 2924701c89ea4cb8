/* test_log.c - the stderr logger: "LEVEL module: message" lines, one per event,
 * level filtering and parsing, and redaction of registered secrets (also when a
 * long line is cut right through one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bot/err.h"
#include "bot/log.h"
#include "testutil.h"

#define SECRET "MTAxMjM0NTY3ODkwMTIzNDU2.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"

/* Runs fn with stderr sent to a file and returns what it wrote (caller frees). */
static char *capture(void (*fn)(void))
{
    char path[512];
    tu_path(path, sizeof(path), "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    return tu_read(path, NULL);
}

static void emit_levels(void)
{
    log_set_level(LOGL_INFO);
    log_debug("gw", "hidden op=%d", 1);
    log_info("gw", "connected shard=%d", 0);
    log_warn("rest", "slow route=%s", "/channels");
    log_error("store", "failed rc=%d", -4);
    log_set_level(LOGL_OFF);
    log_error("store", "never shown");
    log_set_level(LOGL_INFO);
}

static void test_format_and_levels(void **state)
{
    (void)state;
    char *out = capture(emit_levels);
    assert_string_equal(out, "INFO gw: connected shard=0\n"
                             "WARN rest: slow route=/channels\n"
                             "ERROR store: failed rc=-4\n");
    free(out);
    const struct {
        const char *s;
        int rc;
        enum log_level lvl;
    } t[] = {{"debug", 0, LOGL_DEBUG},  {"INFO", 0, LOGL_INFO},   {"warn", 0, LOGL_WARN},
             {"warning", 0, LOGL_WARN}, {"error", 0, LOGL_ERROR}, {"off", 0, LOGL_OFF},
             {"loud", BOT_EINVAL, 0},   {"", BOT_EINVAL, 0},      {NULL, BOT_EINVAL, 0}};
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        enum log_level l = LOGL_ERROR;
        assert_int_equal(log_parse_level(t[i].s, &l), t[i].rc);
        if (!t[i].rc)
            assert_int_equal(l, t[i].lvl);
    }
}

static void emit_multiline(void)
{
    log_info("cmd", "note=%s", "line one\nline two\r\nthree");
}

static void test_one_line_per_event(void **state)
{
    (void)state;
    char *out = capture(emit_multiline);
    assert_string_equal(out, "INFO cmd: note=line one line two  three\n");
    free(out);
}

static void emit_secrets(void)
{
    log_add_secret(SECRET);
    log_add_secret("abc"); /* too short to redact safely: ignored */
    log_info("gw", "identify token=%s", SECRET);
    log_info("rest", "twice %s and %s", SECRET, SECRET);
    log_info("rest", "short abc stays");
    /* a long line cut by the logger's buffer right inside the secret */
    char pad[2100];
    for (size_t cut = 2000; cut < 2048; cut += 3) {
        memset(pad, '.', cut);
        pad[cut] = '\0';
        log_info("x", "%s%s", pad, SECRET);
    }
    log_clear_secrets();
    log_info("gw", "after clear %s", "MTAx");
}

static void test_redaction(void **state)
{
    (void)state;
    char *out = capture(emit_secrets);
    assert_non_null(strstr(out, "INFO gw: identify token=***\n"));
    assert_non_null(strstr(out, "twice *** and ***\n"));
    assert_non_null(strstr(out, "short abc stays"));
    assert_non_null(strstr(out, "after clear MTAx"));
    /* no piece of the secret longer than a few characters, anywhere */
    for (size_t k = 0; k + 6 <= strlen(SECRET); k++) {
        char piece[7];
        memcpy(piece, &SECRET[k], 6);
        piece[6] = '\0';
        const char *hit = strstr(out, piece);
        if (hit) {
            const char *bol = hit;
            while (bol > out && bol[-1] != '\n')
                bol--;
            fail_msg("secret piece \"%s\" in a log line of %zu bytes", piece, strcspn(bol, "\n"));
        }
    }
    /* every line is complete */
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 4 + 16);
    free(out);
}

static int cleanup(void **state)
{
    (void)state;
    tu_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_and_levels),
        cmocka_unit_test(test_one_line_per_event),
        cmocka_unit_test(test_redaction),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
