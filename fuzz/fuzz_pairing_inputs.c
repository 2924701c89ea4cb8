/* fuzz_pairing_inputs.c - libFuzzer target for a stored round's inputs JSON (what
 * `pairing_rerun` reads back from the database): parse, validate into a pair_input,
 * and when it is valid and small, match it and build the result JSON. Nothing may
 * crash, leak or trip a sanitizer on any input. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/log.h"
#include "schedules/pairing_round.h"

int fuzz_target(const uint8_t *data, size_t size)
{
    static int quiet;
    if (!quiet) {
        log_set_level(LOGL_OFF);
        quiet = 1;
    }
    if (size > 1 << 16)
        return 0;
    json_t *root = json_loadb((const char *)data, size, 0, NULL);
    if (!root)
        return 0;
    struct pairing_inputs pi;
    char err[BOT_ERR_LEN];
    if (pairing_inputs_parse(root, &pi, err) == 0) {
        struct pair_result r = {0};
        if (pi.in.n_mentors <= 64 && pi.in.n_mentees <= 256 && pi.in.n_history <= 1024 &&
            pair_match(&pi.in, &r, err) == 0)
            json_decref(pairing_result_json(&pi, &r));
        pair_result_free(&r);
        pairing_inputs_free(&pi);
    }
    json_decref(root);
    return 0;
}
