/* shards_cli.c - `cohortbot shards [--config FILE]`: asks Discord (GET
 * {api_base}/gateway/bot, the token from DISCORD_TOKEN or the credential) for the
 * recommended shard count and max_concurrency and prints the plan: per shard its
 * IDENTIFY bucket and wave (waves 5 s apart), the systemd instance and its database.
 * A command-line tool (blocking libcurl call, 10 s timeout); never prints the token. */
#include "bot/discord/shard_gate.h"
#include "bot/buf.h"
#include "bot/err.h"
#include "bot/tools.h"
#include "config/config.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t sink(char *p, size_t sz, size_t n, void *arg)
{
    return buf_append(arg, p, sz * n) ? 0 : sz * n;
}

/* The /gateway/bot answer (caller decrefs) or NULL with a message printed. */
static json_t *fetch_gateway_bot(const struct config *cfg)
{
    char url[600], auth[300];
    snprintf(url, sizeof(url), "%s/gateway/bot", cfg->api_base);
    snprintf(auth, sizeof(auth), "Authorization: Bot %s", cfg->token);
    struct buf body;
    buf_init(&body, 1 << 20);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, auth);
    long status = 0;
    CURLcode rc = CURLE_FAILED_INIT;
    if (c && h) {
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "DiscordBot (cohortbot, " COHORTBOT_VERSION ")");
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    }
    memset(auth, 0, sizeof(auth));
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    json_t *j = NULL;
    if (rc != CURLE_OK)
        fprintf(stderr, "cohortbot shards: GET /gateway/bot failed: %s\n", curl_easy_strerror(rc));
    else if (status != 200)
        fprintf(stderr, "cohortbot shards: GET /gateway/bot answered HTTP %ld%s\n", status,
                status == 401 ? " (the token was refused)" : "");
    else if (!(j = json_loadb(body.p ? body.p : "", body.len, 0, NULL)))
        fprintf(stderr, "cohortbot shards: /gateway/bot answer is not JSON\n");
    buf_free(&body);
    return j;
}

static void print_plan(const struct config *cfg, json_t *j)
{
    json_t *lim = json_object_get(j, "session_start_limit");
    int rec = (int)json_integer_value(json_object_get(j, "shards"));
    int mc = (int)json_integer_value(json_object_get(lim, "max_concurrency"));
    int count = cfg->shard_count > 0 ? cfg->shard_count : rec > 0 ? rec : 1;
    if (mc < 1)
        mc = 1;
    printf("recommended shards: %d (Discord)\nshard_count: %d (%s)\n", rec, count,
           cfg->shard_count > 0   ? "configured"
           : cfg->shard_count < 0 ? "auto"
                                  : "not set: one process");
    printf("max_concurrency: %d (IDENTIFY buckets; one IDENTIFY per bucket every %d s)\n", mc,
           SHARD_IDENTIFY_GAP_MS / 1000);
    printf("session starts left: %lld of %lld (reset in %lld s)\n",
           (long long)json_integer_value(json_object_get(lim, "remaining")),
           (long long)json_integer_value(json_object_get(lim, "total")),
           (long long)json_integer_value(json_object_get(lim, "reset_after")) / 1000);
    printf("shard\tbucket\tidentify_at\tunit\tdatabase\n");
    for (int i = 0; i < count; i++)
        printf("%d\t%d\t+%ds\tcohortbot@%d.service\tshard-%d.db\n", i, shard_bucket(i, mc),
               i / mc * (SHARD_IDENTIFY_GAP_MS / 1000), i, i);
    printf("a guild belongs to shard (guild_id >> 22) %% %d\n", count);
}

int shards_main(int argc, char **argv)
{
    struct config cfg;
    struct buf errs;
    const char *path = getenv("COHORTBOT_CONFIG");
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[++i];
        else {
            fprintf(stderr,
                    "cohortbot shards: unexpected '%s'\nusage: cohortbot shards "
                    "[--config FILE]\n",
                    argv[i]);
            return 1;
        }
    }
    if (config_defaults(&cfg))
        return 1;
    buf_init(&errs, 1 << 16);
    int n = path ? config_load_file(&cfg, path, &errs) : 0;
    if (!n)
        config_apply_env(&cfg);
    if (n)
        fprintf(stderr, "%s", buf_str(&errs));
    else if (!cfg.token)
        fprintf(stderr, "cohortbot shards: needs the bot token (DISCORD_TOKEN)\n");
    json_t *j = !n && cfg.token ? fetch_gateway_bot(&cfg) : NULL;
    if (j)
        print_plan(&cfg, j);
    json_decref(j);
    buf_free(&errs);
    config_free(&cfg);
    return j ? 0 : 1;
}
