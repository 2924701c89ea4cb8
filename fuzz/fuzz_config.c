/* fuzz_config.c - libFuzzer target for config_load_buffer: any bytes as a config
 * file must yield problems in the errors buffer, never a crash, a leak or a
 * problem line out of the "name:line: " form. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/buf.h"
#include "bot/log.h"
#include "config/config.h"

int fuzz_target(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        log_set_level(LOGL_OFF);
        quiet = 1;
    }
    struct config c;
    if (config_defaults(&c))
        return 0;
    struct buf errs;
    buf_init(&errs, 1 << 20);
    int n = config_load_buffer(&c, (const char *)data, size, "fuzz.json", &errs);
    if (n < 0)
        abort(); /* a buffer never fails to "open" */
    /* every reported problem is a line that starts with the file name */
    const char *p = buf_str(&errs);
    int lines = 0;
    while (*p) {
        if (strncmp(p, "fuzz.json:", 10) != 0)
            abort();
        const char *nl = strchr(p, '\n');
        if (!nl)
            abort();
        p = nl + 1;
        lines++;
    }
    if (lines != n && errs.len < errs.max)
        abort();
    config_validate(&c, &errs);
    buf_free(&errs);
    config_free(&c);
    return 0;
}
