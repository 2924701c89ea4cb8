/* fuzz_review_inputs.c - libFuzzer target for a stored review round's inputs JSON
 * (what `review_rerun` reads back from the database): parse, validate and, when valid,
 * assign reviewers and build the result JSON. Nothing may crash, leak or trip a
 * sanitizer on any input. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/log.h"
#include "schedules/review_round.h"

int fuzz_target(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        log_set_level(LOGL_OFF);
        quiet = 1;
    }
    if (size > 1 << 14)
        return 0;
    json_t *root = json_loadb((const char *)data, size, 0, NULL);
    if (!root)
        return 0;
    json_t *result = NULL;
    char err[BOT_ERR_LEN];
    if (review_solve(root, &result, err) == 0)
        json_decref(result);
    json_decref(root);
    return 0;
}
