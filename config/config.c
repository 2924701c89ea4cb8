/* config.c - defaults, JSON file, environment (see config.h). */
#include "config/config.h"
#include "config/datadir.h"
#include "bot/err.h"
#include "bot/tz.h"
#include "commands/interaction.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum kind {
    K_TOKEN,
    K_STR,
    K_INT,
    K_SIZE,
    K_LEVEL,
    K_ID,
    K_ZONE,
    K_HHMM,
    K_URL,
    K_LEADS,
    K_SHARD,
    K_ALLOW,
    K_FEEDS,
    K_COMPRESS,
    K_SHARDS_N
};

struct key {
    const char *name;
    enum kind kind;
    size_t off;
    long long min, max;
};

#define F(f) offsetof(struct config, f)
static const struct key keys[] = {
    {"token", K_TOKEN, F(token), 0, 0},
    {"api_base", K_URL, F(api_base), 0, 0},
    {"db", K_STR, F(db_path), 0, 0},
    {"log_level", K_LEVEL, F(log_level), 0, 0},
    {"guild_id", K_ID, F(guild_id), 0, 0},
    {"intents", K_INT, F(intents), 0, (1LL << 26) - 1},
    {"shard", K_SHARD, 0, 0, 0},
    {"http_port", K_INT, F(http_port), 0, 65535},
    {"max_frame_bytes", K_SIZE, F(max_frame_bytes), 65536, 1LL << 30},
    {"rest_queue_max", K_INT, F(rest_queue_max), 1, 1000000},
    {"curricula_dir", K_STR, F(curricula_dir), 0, 0},
    {"default_timezone", K_ZONE, F(default_timezone), 0, 0},
    {"default_post_time", K_HHMM, F(default_post_time), 0, 0},
    {"catchup_hours", K_INT, F(catchup_hours), 0, 168},
    {"fallback_channel", K_ID, F(fallback_channel), 0, 0},
    {"calendar_leads", K_LEADS, 0, 0, 0},
    {"feed_refresh_minutes", K_INT, F(feed_refresh_minutes), 1, 1440},
    {"feed_max_bytes", K_SIZE, F(feed_max_bytes), 1024, 100LL << 20},
    {"feed_timeout_seconds", K_INT, F(feed_timeout_s), 1, 300},
    {"feeds", K_FEEDS, 0, 0, 0},
    {"pair_weekday", K_INT, F(pair_weekday), 1, 7},
    {"pair_time", K_HHMM, F(pair_time), 0, 0},
    {"grace_days_per_week", K_INT, F(grace_days_per_week), 0, 2},
    {"ca_file", K_STR, F(ca_file), 0, 0},
    {"nudge_after_days", K_INT, F(nudge_after_days), 1, 30},
    {"feeds_allow_private", K_ALLOW, 0, 0, 0},
    {"feed_connect_timeout_seconds", K_INT, F(feed_connect_timeout_s), 1, 60},
    {"guild_max_feeds", K_INT, F(guild_max_feeds), 1, 1000},
    {"guild_feed_bytes", K_SIZE, F(guild_feed_bytes), 1024, 1LL << 30},
    {"guild_post_slots", K_INT, F(guild_post_slots), 1, 64},
    {"ledger_retention_days", K_INT, F(ledger_retention_days), 7, 3650},
    {"assessments_dir", K_STR, F(assessments_dir), 0, 0},
    {"assessment_time_limit_minutes", K_INT, F(assessment_time_limit_min), 5, 600},
    {"assessment_max_attempts", K_INT, F(assessment_max_attempts), 1, 10},
    {"assessment_retake_hours", K_INT, F(assessment_retake_hours), 0, 720},
    {"gateway_compression", K_COMPRESS, 0, 0, 0},
    {"project_close_days", K_INT, F(project_close_days), 0, 28},
    {"review_days", K_INT, F(review_days), 1, 28},
    {"study_group_window_days", K_INT, F(sg_window_days), 1, 60},
    {"study_group_reminder_minutes", K_INT, F(sg_reminder_min), 0, 1440},
    {"study_group_present_minutes", K_INT, F(sg_present_min), 1, 60},
    {"study_group_voice_prefix", K_STR, F(sg_voice_prefix), 0, 0},
    {"backup_dir", K_STR, F(backup_dir), 0, 0},
    {"backup_keep", K_INT, F(backup_keep), 1, 365},
    {"shard_count", K_SHARDS_N, F(shard_count), 1, 65535},
};
#undef F

int config_set_str(char **slot, const char *value)
{
    char *c = value ? strdup(value) : NULL;
    if (value && !c)
        return BOT_ENOMEM;
    free(*slot);
    *slot = c;
    return 0;
}

int config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    c->log_level = LOGL_INFO;
    c->intents = 1 | 128 | 65536; /* GUILDS, GUILD_VOICE_STATES, GUILD_SCHEDULED_EVENTS (none privileged) */
    c->max_frame_bytes = 16u << 20;
    c->gateway_compress = true; /* zlib-stream */
    c->rest_queue_max = 1000;
    c->catchup_hours = 12;
    c->leads[0] = 1440;
    c->leads[1] = 60;
    c->leads[2] = 10;
    c->nleads = 3;
    c->feed_refresh_minutes = 15;
    c->feed_max_bytes = 5u << 20;
    c->feed_timeout_s = 20;
    c->pair_weekday = 1;
    c->nudge_after_days = 3;
    c->feed_connect_timeout_s = 5;
    c->guild_max_feeds = 10;
    c->guild_feed_bytes = 20u << 20;
    c->guild_post_slots = 8;
    c->ledger_retention_days = 120;
    c->assessment_time_limit_min = 60;
    c->assessment_max_attempts = 3;
    c->assessment_retake_hours = 24;
    c->review_days = 7;
    c->sg_window_days = 14;
    c->sg_reminder_min = 15;
    c->sg_present_min = 10;
    c->backup_keep = 7;
    char curricula[4096], banks[4096];
    if (data_path("curricula", curricula, sizeof(curricula)) ||
        data_path("assessments", banks, sizeof(banks)))
        return BOT_ENOMEM;
    if (config_set_str(&c->api_base, "https://discord.com/api/v10") ||
        config_set_str(&c->db_path, "cohortbot.db") ||
        config_set_str(&c->curricula_dir, curricula) ||
        config_set_str(&c->default_timezone, "America/New_York") ||
        config_set_str(&c->default_post_time, "09:00") || config_set_str(&c->pair_time, "10:00") ||
        config_set_str(&c->assessments_dir, banks) ||
        config_set_str(&c->sg_voice_prefix, "\xf0\x9f\x94\x8a "))
        return BOT_ENOMEM;
    return 0;
}

void config_free(struct config *c)
{
    if (c->token)
        memset(c->token, 0, strlen(c->token));
    char **strs[] = {
        &c->token,         &c->api_base,         &c->db_path,           &c->guild_id,
        &c->curricula_dir, &c->default_timezone, &c->default_post_time, &c->fallback_channel,
        &c->pair_time,     &c->config_path,      &c->assessments_dir,
        &c->sg_voice_prefix, &c->backup_dir};
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
    free(c->ca_file);
    c->ca_file = NULL;
    for (int i = 0; i < c->nfeeds; i++) {
        free(c->feeds[i].source);
        free(c->feeds[i].channel);
    }
    c->nfeeds = 0;
    for (size_t i = 0; i < c->nallow; i++) {
        free(c->allow_private[i]);
        c->allow_private[i] = NULL;
    }
    c->nallow = 0;
}

/* Line of the first occurrence of "key" used as a key (followed by optional
 * whitespace and a colon) in the text; 1 if not found. A string value that happens
 * to equal a key name ("_doc": "db") is skipped. */
static int line_of(const char *text, size_t len, const char *key)
{
    char pat[80];
    snprintf(pat, sizeof(pat), "\"%s\"", key);
    size_t plen = strlen(pat);
    const char *hit = NULL;
    for (const char *p = text; !hit && p < text + len;) {
        const char *h = memmem(p, len - (size_t)(p - text), pat, plen);
        if (!h)
            break;
        const char *q = h + plen;
        while (q < text + len && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
            q++;
        if (q < text + len && *q == ':')
            hit = h;
        p = h + 1;
    }
    int line = 1;
    for (const char *p = text; hit && p < hit; p++)
        line += *p == '\n';
    return line;
}

struct ctx {
    const char *text;
    size_t len;
    const char *name;
    struct buf *errs;
    int nerr;
};

/* Appends one problem line. Keys and values come from the file: control characters
 * are replaced so that one problem is always exactly one line. */
static void problem(struct ctx *x, const char *key, const char *fmt, const char *detail)
{
    char msg[400], line[700];
    snprintf(msg, sizeof(msg), fmt, detail ? detail : "");
    snprintf(line, sizeof(line), "%s:%d: %.64s: %s", x->name, line_of(x->text, x->len, key), key,
             msg);
    for (char *p = line; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    buf_printf(x->errs, "%s\n", line);
    x->nerr++;
}

static int int_value(struct ctx *x, const struct key *k, json_t *v, long long *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < k->min || json_integer_value(v) > k->max) {
        char range[64];
        snprintf(range, sizeof(range), "%lld-%lld", k->min, k->max);
        problem(x, k->name, "must be a whole number in %s", range);
        return BOT_EINVAL;
    }
    *out = json_integer_value(v);
    return 0;
}

static void apply_leads(struct ctx *x, struct config *c, json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > CFG_MAX_LEADS) {
        problem(x, "calendar_leads", "must be a list of 1-8 minute counts%s", NULL);
        return;
    }
    json_array_foreach(v, i, e)
    {
        if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > 40320) {
            problem(x, "calendar_leads", "each lead must be 0-40320 minutes%s", NULL);
            return;
        }
    }
    json_array_foreach(v, i, e) c->leads[i] = (int)json_integer_value(e);
    c->nleads = (int)json_array_size(v);
}

static void apply_feeds(struct ctx *x, struct config *c, json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) > CFG_MAX_FEEDS) {
        problem(x, "feeds", "must be a list of at most 16 {source, channel} objects%s", NULL);
        return;
    }
    json_array_foreach(v, i, e)
    {
        const char *src = json_string_value(json_object_get(e, "source"));
        const char *ch = json_string_value(json_object_get(e, "channel"));
        if (!src || !*src || !snowflake_valid(ch)) {
            char where[48];
            snprintf(where, sizeof(where), "feeds[%zu]", i);
            problem(x, "feeds", "%s needs a \"source\" and a \"channel\" id", where);
            continue;
        }
        if (c->nfeeds < CFG_MAX_FEEDS) {
            c->feeds[c->nfeeds].source = strdup(src);
            c->feeds[c->nfeeds].channel = strdup(ch);
            c->nfeeds++;
        }
    }
}

/* "host:port" with a host of letters, digits, '.', '-' or an [IPv6] literal. */
static bool endpoint_valid(const char *s)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || strlen(s) > 262)
        return false;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535 || colon[1] == '\0')
        return false;
    if (s[0] == '[')
        return colon[-1] == ']' && colon - s > 2;
    for (const char *p = s; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-'))
            return false;
    return true;
}

static void apply_allow(struct ctx *x, struct config *c, json_t *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(v) || json_array_size(v) > CFG_MAX_ALLOW) {
        problem(x, "feeds_allow_private", "must be a list of at most 32 \"host:port\" strings%s",
                NULL);
        return;
    }
    json_array_foreach(v, i, e)
    {
        const char *s = json_string_value(e);
        if (!s || !endpoint_valid(s)) {
            problem(x, "feeds_allow_private", "entries must be \"host:port\", not \"%s\"",
                    s ? s : "(not a string)");
            continue;
        }
        if (c->nallow < CFG_MAX_ALLOW && (c->allow_private[c->nallow] = strdup(s)))
            c->nallow++;
    }
}

static bool token_plausible(const char *t)
{
    return strlen(t) >= 20 && !strchr(t, ' ');
}

static void apply_string(struct ctx *x, struct config *c, const struct key *k, json_t *v)
{
    const char *s = json_string_value(v);
    char **slot = (char **)((char *)c + k->off);
    int h, m;
    if (!s || (!*s && k->kind != K_ID)) {
        problem(x, k->name, "must be a non-empty string%s", NULL);
        return;
    }
    const char *why = NULL;
    if (k->kind == K_ID && *s && !snowflake_valid(s))
        why = "must be a Discord id (digits), not \"%s\"";
    else if (k->kind == K_ZONE && !tz_valid(s))
        why = "unknown time zone \"%s\" (use an IANA name such as America/New_York)";
    else if (k->kind == K_HHMM && tz_parse_hhmm(s, &h, &m))
        why = "must be a time HH:MM (24-hour), not \"%s\"";
    else if (k->kind == K_URL && strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
        why = "must start with https:// (or http:// for a local test server), not \"%s\"";
    else if (k->kind == K_TOKEN && !token_plausible(s)) {
        problem(x, k->name,
                "does not look like a Discord bot token (no \"Bot \" prefix, "
                "no spaces)%s",
                NULL);
        return;
    }
    if (why) {
        problem(x, k->name, why, s);
        return;
    }
    config_set_str(slot, *s ? s : NULL);
}

static void apply_key(struct ctx *x, struct config *c, const struct key *k, json_t *v)
{
    long long n;
    switch (k->kind) {
    case K_INT:
        if (!int_value(x, k, v, &n)) {
            if (k->off == offsetof(struct config, intents))
                c->intents = (uint64_t)n;
            else
                *(int *)((char *)c + k->off) = (int)n;
        }
        break;
    case K_SIZE:
        if (!int_value(x, k, v, &n))
            *(size_t *)((char *)c + k->off) = (size_t)n;
        break;
    case K_LEVEL:
        if (!json_is_string(v) || log_parse_level(json_string_value(v), &c->log_level))
            problem(x, k->name, "must be one of debug, info, warn, error, off%s", NULL);
        break;
    case K_SHARD:
        if (!json_is_array(v) || json_array_size(v) != 2 ||
            !json_is_integer(json_array_get(v, 0)) || !json_is_integer(json_array_get(v, 1)) ||
            json_integer_value(json_array_get(v, 1)) < 1 ||
            json_integer_value(json_array_get(v, 0)) < 0 ||
            json_integer_value(json_array_get(v, 0)) >= json_integer_value(json_array_get(v, 1)) ||
            json_integer_value(json_array_get(v, 1)) > 65535) {
            problem(x, k->name, "must be [shard_id, shard_count] with 0 <= id < count%s", NULL);
            break;
        }
        c->shard_id = (int)json_integer_value(json_array_get(v, 0));
        c->shard_count = (int)json_integer_value(json_array_get(v, 1));
        break;
    case K_SHARDS_N: /* a number, or "auto": Discord's recommendation (-1) */
        if (json_is_string(v) && strcmp(json_string_value(v), "auto") == 0)
            c->shard_count = -1;
        else if (!int_value(x, k, v, &n))
            c->shard_count = (int)n;
        break;
    case K_LEADS:
        apply_leads(x, c, v);
        break;
    case K_ALLOW:
        apply_allow(x, c, v);
        break;
    case K_FEEDS:
        apply_feeds(x, c, v);
        break;
    case K_COMPRESS: {
        const char *m = json_string_value(v);
        if (m && strcmp(m, "zlib-stream") == 0)
            c->gateway_compress = true;
        else if (m && strcmp(m, "none") == 0)
            c->gateway_compress = false;
        else
            problem(x, k->name, "must be \"zlib-stream\" or \"none\"%s", NULL);
        break;
    }
    default:
        apply_string(x, c, k, v);
    }
}

int config_load_buffer(struct config *c, const char *data, size_t len, const char *name,
                       struct buf *errs)
{
    struct ctx x = {data, len, name, errs, 0};
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        /* jansson appends " near '<text>'": that text can be (part of) the token */
        const char *near = strstr(je.text, " near ");
        int n = near ? (int)(near - je.text) : (int)strlen(je.text);
        buf_printf(errs, "%s:%d: syntax: %.*s\n", name, je.line > 0 ? je.line : 1, n, je.text);
        return 1;
    }
    if (!json_is_object(root)) {
        buf_printf(errs, "%s:1: the configuration must be a JSON object\n", name);
        json_decref(root);
        return 1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        if (key[0] == '_')
            continue; /* "_doc" and other comment keys */
        const struct key *k = NULL;
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
            if (strcmp(keys[i].name, key) == 0)
                k = &keys[i];
        if (!k) {
            problem(&x, key, "unknown key (misspelled? see config/cohortbot.example.json)%s", NULL);
            continue;
        }
        apply_key(&x, c, k, v);
    }
    json_decref(root);
    return x.nerr;
}

int config_load_file(struct config *c, const char *path, struct buf *errs)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        buf_printf(errs, "%s: cannot open: %s\n", path, strerror(errno));
        return BOT_EIO;
    }
    struct buf b;
    buf_init(&b, 4u << 20);
    char chunk[8192];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = buf_append(&b, chunk, n);
    fclose(f);
    if (rc) {
        buf_printf(errs, "%s: cannot read (larger than 4 MiB?)\n", path);
        return rc;
    }
    int nerr = config_load_buffer(c, buf_str(&b), b.len, path, errs);
    struct stat st;
    if (c->token && stat(path, &st) == 0 && (st.st_mode & S_IROTH))
        log_warn("config", "file contains the bot token and is world-readable; run: chmod 600 %s",
                 path);
    buf_free(&b);
    config_set_str(&c->config_path, path);
    return nerr;
}

/* systemd's LoadCredential=discord-token:FILE: $CREDENTIALS_DIRECTORY/discord-token
 * (one line; the trailing newline is dropped). 0, or BOT_E* when it cannot be read. */
static int token_from_credential(struct config *c)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    char path[4200], tok[512];
    if (!dir || !*dir)
        return 0;
    snprintf(path, sizeof(path), "%s/discord-token", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(tok, 1, sizeof(tok) - 1, f);
    fclose(f);
    tok[n] = '\0';
    while (n && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' '))
        tok[--n] = '\0';
    int rc = n ? config_set_str(&c->token, tok) : 0;
    memset(tok, 0, sizeof(tok));
    return rc;
}

int config_apply_env(struct config *c)
{
    if (!getenv("DISCORD_TOKEN") && token_from_credential(c))
        return BOT_ENOMEM;
    const char *tok = getenv("DISCORD_TOKEN");
    const char *api = getenv("COHORTBOT_API_BASE");
    const char *db = getenv("COHORTBOT_DB");
    if (tok && *tok && config_set_str(&c->token, tok))
        return BOT_ENOMEM;
    if (api && *api && config_set_str(&c->api_base, api))
        return BOT_ENOMEM;
    if (db && *db && config_set_str(&c->db_path, db))
        return BOT_ENOMEM;
    const char *ca = getenv("COHORTBOT_CA_FILE");
    if (ca && *ca && config_set_str(&c->ca_file, ca))
        return BOT_ENOMEM;
    return 0;
}

/* Where a value that failed validation came from: the environment variable when it
 * supplied the value, else the config file (or the built-in settings). */
static const char *origin(const struct config *c, const char *var, const char *value, char *out,
                          size_t outlen)
{
    const char *env = getenv(var);
    if (env && *env && value && strcmp(env, value) == 0)
        snprintf(out, outlen, "environment %s", var);
    else
        snprintf(out, outlen, "%s", c->config_path ? c->config_path : "(settings)");
    return out;
}

int config_validate(const struct config *c, struct buf *errs)
{
    int n = 0;
    char src[300];
    if (strncmp(c->api_base, "https://", 8) && strncmp(c->api_base, "http://", 7)) {
        buf_printf(errs, "%s: api_base: must be an http(s) URL\n",
                   origin(c, "COHORTBOT_API_BASE", c->api_base, src, sizeof(src)));
        n++;
    }
    FILE *caf = c->ca_file && *c->ca_file ? fopen(c->ca_file, "r") : NULL;
    if (c->ca_file && *c->ca_file && !caf) {
        buf_printf(errs, "%s: ca_file: cannot read %s\n",
                   origin(c, "COHORTBOT_CA_FILE", c->ca_file, src, sizeof(src)), c->ca_file);
        n++;
    }
    if (caf)
        fclose(caf);
    if (c->token && !token_plausible(c->token)) {
        buf_printf(errs,
                   "%s: token: does not look like a Discord bot token (no \"Bot \" "
                   "prefix, no spaces)\n",
                   origin(c, "DISCORD_TOKEN", c->token, src, sizeof(src)));
        n++;
    }
    if (!tz_valid(c->default_timezone)) {
        buf_printf(errs, "%s: default_timezone: unknown zone\n",
                   c->config_path ? c->config_path : "(settings)");
        n++;
    }
    return n;
}
