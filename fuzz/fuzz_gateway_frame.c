/* fuzz_gateway_frame.c - libFuzzer target for the gateway frame handler: the input
 * is cut into fragments (sizes from its first bytes) and fed to a live session
 * through gw_on_fragment, then whole as one frame; hooks accept everything, and
 * handled events are parsed with jansson as in the bot. Must never crash, leak or
 * grow without bound. */
#include "bot/discord/gateway.h"
#include "bot/log.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int f_send(void *a, const char *t, size_t n)
{
    (void)a;
    (void)t;
    (void)n;
    return 0;
}
static void f_close(void *a, int code)
{
    (void)a;
    (void)code;
}
static int f_connect(void *a, const char *url)
{
    (void)a;
    (void)url;
    return 0;
}
static void f_fetch(void *a)
{
    (void)a;
}
static bool f_wants(void *a, const char *t)
{
    (void)a;
    return t[0] != 'M'; /* MESSAGE_* stay on the fast path */
}
static void f_event(void *a, const char *t, json_t *d, const struct gw_chans *ch)
{
    (void)a;
    (void)t;
    char *s = json_dumps(d, JSON_ENCODE_ANY);
    free(s);
    size_t names = 0; /* every channel string is a NUL-terminated string */
    for (size_t i = 0; ch && i < ch->n; i++)
        names += strlen(ch->v[i].id) + strlen(ch->v[i].name);
    (void)names;
}
static void f_fatal(void *a, int code, const char *why)
{
    (void)a;
    (void)code;
    (void)why;
}

int fuzz_target(const uint8_t *data, size_t size)
{
    log_set_level(LOGL_OFF);
    struct gw_opts o = {
        .token = "t", .intents = 1, .allow_ws = true, .max_frame = 1 << 16, .seed = 1};
    struct gw_hooks h = {NULL, f_send, f_close, f_connect, f_fetch, f_wants, f_event, f_fatal};
    struct gw *g = gw_new(&o, &h);
    if (!g)
        return 0;
    gw_start(g, 0);
    gw_tick(g, 0);
    const char *bot = "{\"url\":\"ws://gw.test\"}";
    gw_on_gateway_bot(g, 200, bot, strlen(bot), 0);
    gw_tick(g, 0);
    gw_on_open(g, 0);
    size_t step = size ? (size_t)data[0] % 64 + 1 : 1;
    int64_t now = 1;
    for (size_t off = 0; off < size; off += step, now += 7) {
        size_t n = size - off < step ? size - off : step;
        gw_on_fragment(g, (const char *)data + off, n, off + n >= size, now);
        gw_tick(g, now);
    }
    gw_on_frame(g, (const char *)data, size, now);
    struct gw_env e;
    gw_scan_envelope((const char *)data, size, &e);
    gw_on_close(g, size ? data[size - 1] + 3990 : 0, now);
    gw_tick(g, now + 100000);
    gw_free(g);
    return 0;
}
