/* fake_net.c - network faults of the fake Discord server: per-route rate-limit rules
 * (a Discord-like 5 per 5 s bucket, answers held back so they arrive late and out of
 * order), a TLS listener with the certificate the test made, the User-Agent check on
 * websocket upgrades. Connection resets without an answer are a fault flag ("reset":
 * true) applied in fake_rest.c. Test code only; the lws loop thread. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fake_rule *fake_rule_for(struct fake *f, const char *key)
{
    for (int i = 0; i < f->nrules; i++)
        if (strstr(key, f->rules[i].match))
            return &f->rules[i];
    return NULL;
}

void fake_ctl_bucket(struct fake *f, json_t *b)
{
    const char *match = json_string_value(json_object_get(b, "match"));
    if (!match || f->nrules == FAKE_MAX_RULES)
        return;
    struct fake_rule *r = &f->rules[f->nrules++];
    memset(r, 0, sizeof(*r));
    snprintf(r->match, sizeof(r->match), "%s", match);
    r->limit = (int)json_integer_value(json_object_get(b, "limit"));
    r->window_ms = (int)json_integer_value(json_object_get(b, "window_ms"));
    r->late_ms = (int)json_integer_value(json_object_get(b, "late_ms"));
    if (r->limit <= 0)
        r->limit = 5;
    if (r->window_ms <= 0)
        r->window_ms = 5000;
    if (r->late_ms < 0)
        r->late_ms = 0;
}

int fake_ws_filter(struct fake *f, struct lws *wsi)
{
    char ua[160] = "";
    lws_hdr_copy(wsi, ua, sizeof(ua), WSI_TOKEN_HTTP_USER_AGENT);
    if (strncmp(ua, "DiscordBot (", 12) == 0 || getenv("FAKE_ALLOW_NO_UA"))
        return 0; /* FAKE_ALLOW_NO_UA: to measure bots from before the handshake had one */
    json_array_append_new(f->log_closes, json_pack("{s:i, s:s}", "code", 0, "refused",
                                                   "websocket upgrade without a User-Agent"));
    return -1;
}

int fake_tls_listen(struct fake *f, const struct lws_protocols *protocols, const char *cert,
                    const char *key)
{
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.vhost_name = "tls";
    info.port = 0;
    info.iface = "127.0.0.1";
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6 | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.ssl_cert_filepath = cert;
    info.ssl_private_key_filepath = key;
    struct lws_vhost *vh = lws_create_vhost(f->ctx, &info);
    if (!vh)
        return -1;
    f->tls_port = lws_get_vhost_listen_port(vh);
    if (!f->tls_host[0])
        snprintf(f->tls_host, sizeof(f->tls_host), "localhost");
    return f->tls_port;
}
