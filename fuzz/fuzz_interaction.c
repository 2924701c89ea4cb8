/* fuzz_interaction.c - libFuzzer target for the interaction path: untrusted JSON ->
 * ix_parse -> command lookup -> cmd_parse_args (option validation), plus ix_copy. */
#include "bot/log.h"
#include "commands/interaction.h"
#include "commands/registry.h"

#include <stdint.h>
#include <string.h>

int fuzz_target(const uint8_t *data, size_t size)
{
    log_set_level(LOGL_OFF);
    json_t *d = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!d)
        return 0;
    struct interaction ix;
    char err[256];
    if (ix_parse(d, &ix, err, sizeof(err)) == 0) {
        const char *name = json_string_value(json_object_get(ix.data, "name"));
        const struct cmd_def *def = name ? cmd_find(name) : NULL;
        if (def) {
            struct cmd_args a;
            cmd_parse_args(def, &ix, &a, err, sizeof(err));
        }
        struct interaction copy;
        if (ix_copy(&copy, &ix) == 0)
            ix_free(&copy);
        ix_free(&ix);
    }
    json_decref(d);
    return 0;
}
