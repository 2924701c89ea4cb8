/* fuzz_rest_answer.c - libFuzzer target for what the REST client reads from a server it
 * does not trust: an error body's 50035 "errors" tree (rest_form_errors), a 429's wait
 * (rest_parse_retry_after, JSON or header) and a request path turned into a rate-limit
 * route and major (rl_route, as for a webhook token of any length). Never a crash, an
 * unterminated string or a negative wait. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bot/discord/ratelimit.h"
#include "bot/discord/rest.h"

int fuzz_target(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char out[240];
    rest_form_errors(s, size, out, sizeof(out));
    if (strlen(out) >= sizeof(out))
        abort();
    if (rest_parse_retry_after(s, size, "application/json", s) < 0 ||
        rest_parse_retry_after(s, size, "text/html", s) < 0)
        abort();
    char route[RL_ROUTE_MAX], major[RL_MAJOR_MAX];
    if (rl_route("PATCH", s, route, sizeof(route), major, sizeof(major)) == 0 &&
        (strlen(route) >= sizeof(route) || strlen(major) >= sizeof(major)))
        abort();
    free(s);
    return 0;
}
