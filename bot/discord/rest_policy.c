/* rest_policy.c - pure REST decisions (rest.h): retry delays and 429 wait parsing.
 * No I/O, no clock; any thread. */
#include "bot/discord/rest.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REST_BACKOFF_CAP_MS 30000
#define REST_DEFAULT_429_S 5.0

static int64_t backoff(int attempts)
{
    int64_t d = 1000;
    for (int i = 1; i < attempts && d < REST_BACKOFF_CAP_MS; i++)
        d *= 2;
    return d > REST_BACKOFF_CAP_MS ? REST_BACKOFF_CAP_MS : d;
}

int64_t rest_retry_ms(int status, bool curl_ok, bool sent_maybe, unsigned flags, int attempts,
                      int max_attempts, double retry_after_s)
{
    if (attempts >= max_attempts)
        return -1;
    if (!curl_ok) {
        if (sent_maybe && (flags & REST_F_INTERACTION))
            return -1; /* may have been acknowledged: never send a callback twice */
        return backoff(attempts);
    }
    if (status == 429) {
        if (retry_after_s < 0)
            retry_after_s = 0;
        if (retry_after_s > 3600)
            retry_after_s = 3600;
        return (int64_t)(retry_after_s * 1000.0) + 1;
    }
    if (status >= 500 && status <= 599) {
        if (flags & REST_F_INTERACTION)
            return -1;
        return backoff(attempts);
    }
    return -1;
}

double rest_parse_retry_after(const char *body, size_t len, const char *content_type,
                              const char *hdr)
{
    if (body && len && content_type && strncasecmp(content_type, "application/json", 16) == 0) {
        json_t *j = json_loadb(body, len, 0, NULL);
        json_t *ra = json_object_get(j, "retry_after");
        if (json_is_number(ra)) {
            double v = json_number_value(ra);
            json_decref(j);
            return v >= 0 ? v : 0;
        }
        json_decref(j);
    }
    if (hdr && *hdr) {
        char *end = NULL;
        double v = strtod(hdr, &end);
        if (end != hdr && v >= 0)
            return v;
    }
    return REST_DEFAULT_429_S;
}
