/* fake_ctl.c - the control API of the fake Discord server (POST /_ctl/<verb> with a
 * JSON body; GET /_ctl/log): inject events, raw or fragmented frames, opcodes and
 * closes; script REST faults; change gateway settings; read back everything the
 * bot sent; flood events for the benchmark. Test code only. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ok(struct fake_pss *p)
{
    p->status = 200;
    buf_puts(&p->resp, "{\"ok\":true}");
}

/* Per interaction sent: [due, answered] in microseconds since the flood began
 * (answered -1 = not yet), for a latency timeline. */
static json_t *ix_clicks(struct fake *f)
{
    json_t *a = json_array();
    for (int i = 0; f->ix_sent_us && i < f->ix_sent; i++)
        json_array_append_new(
            a,
            json_pack("[I, I]", (json_int_t)(f->ix_sent_us[i] - f->ix_start_us),
                      (json_int_t)(f->ix_answer_us[i] ? f->ix_answer_us[i] - f->ix_start_us : -1)));
    return a;
}

static void ctl_log(struct fake *f, struct fake_pss *p)
{
    json_t *j = json_pack(
        "{s:O, s:O, s:O, s:O, s:I, s:i, s:i, s:i, s:i, s:i, s:I, s:i, s:b, s:I, "
        "s:i, s:I, s:I}",
        "rest", f->log_rest, "gw", f->log_gw, "closes", f->log_closes, "ix_lat_us", f->ix_lat_us,
        "ix_span_us",
        (json_int_t)(f->ix_last_answer_us > f->ix_start_us ? f->ix_last_answer_us - f->ix_start_us
                                                           : 0),
        "ix_sent", f->ix_sent, "connections", f->connections, "identifies", f->identifies,
        "resumes", f->resumes, "heartbeats", f->heartbeats, "seq", (json_int_t)f->seq,
        "invalid_frames", f->invalid_frames, "connected", f->conn != NULL, "now",
        (json_int_t)fake_ms(f), "zlib_connections", f->zlib_connections, "z_in",
        (json_int_t)f->z_in, "z_out", (json_int_t)f->z_out);
    if (j) {
        json_object_set_new(j, "identify_too_soon", json_integer(f->identify_too_soon));
        json_object_set_new(j, "ix_dup", json_integer(f->ix_dup));
        json_object_set_new(j, "ix_bad_token", json_integer(f->ix_bad_token));
        json_object_set_new(j, "ix_clicks", ix_clicks(f));
        json_object_set_new(j, "ix_start_us", json_integer(f->ix_start_us)); /* monotonic */
    }
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    p->status = s ? 200 : 500;
    if (s)
        buf_puts(&p->resp, s);
    free(s);
}

/* A GUILD_CREATE of about `bytes`, sent as fragments of `frag` bytes. */
static void ctl_big(struct fake *f, json_t *b)
{
    size_t bytes = (size_t)json_integer_value(json_object_get(b, "bytes"));
    size_t frag = (size_t)json_integer_value(json_object_get(b, "fragment"));
    if (!f->conn_pss || bytes < 256 || frag < 16)
        return;
    struct buf s;
    buf_init(&s, bytes + 4096);
    f->seq++;
    buf_printf(&s,
               "{\"op\":0,\"s\":%lld,\"t\":\"GUILD_CREATE\",\"d\":{\"id\":"
               "\"1000000000000000002\",\"name\":\"Big Guild\",\"channels\":[",
               (long long)f->seq);
    for (int i = 0; s.len + 200 < bytes; i++)
        buf_printf(&s,
                   "%s{\"id\":\"%d\",\"type\":0,\"name\":\"week-%d\",\"guild_id\":"
                   "\"1000000000000000002\",\"topic\":\"padding padding padding padding "
                   "padding padding padding padding padding padding\"}",
                   i ? "," : "", 1500000000 + i, i % 99 + 1);
    buf_puts(&s, "]}}");
    for (size_t off = 0; off < s.len; off += frag) {
        size_t n = s.len - off < frag ? s.len - off : frag;
        int fl = off == 0 ? LWS_WRITE_TEXT : LWS_WRITE_CONTINUATION;
        if (off + n < s.len)
            fl |= LWS_WRITE_NO_FIN;
        fake_ws_queue(f, f->conn_pss, s.p + off, n, fl);
    }
    buf_free(&s);
}

/* A MESSAGE_CREATE shaped like Discord's (author, member, mentions, flags, nonce,
 * timestamps) about `size` bytes long, whose content is varied chat text from one of
 * 50 authors: compresses in a zlib stream about as real traffic does, unlike a padded
 * payload (a run of one byte that inflates as a single long match). */
static int realistic_message(char *out, size_t cap, const char *t, long long seq, long i, int size)
{
    static const char *const words[] = {
        "the",      "pipeline", "spark",    "kafka",     "schema", "join",     "partition",
        "table",    "query",    "airflow",  "dag",       "batch",  "stream",   "window",
        "late",     "data",     "week",     "check-in",  "today",  "I",        "think",
        "we",       "should",   "use",      "a",         "with",   "for",      "is",
        "not",      "working",  "again",    "thanks!",   "anyone", "know",     "why",
        "my",       "job",      "fails",    "on",        "merge",  "upsert",   "dbt",
        "model",    "star",     "fact",     "dimension", "sql",    "index",    "parquet",
        "s3",       "bucket",   "lake",     "warehouse", "ok",     "nice",     "lol",
        "question", "about",    "exercise", "3",         "done",   "tomorrow", "session",
        "notes"};
    uint64_t r = 0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1);
    char content[4096];
    size_t cl = 0, want = size > 1000 ? (size_t)size - 900 : 80;
    if (want > sizeof(content) - 32)
        want = sizeof(content) - 32;
    while (cl < want) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        const char *w = words[r % (sizeof(words) / sizeof(words[0]))];
        cl += (size_t)snprintf(content + cl, sizeof(content) - cl, "%s%s", cl ? " " : "", w);
    }
    int author = (int)(r >> 40) % 50;
    unsigned long long mid =
        1500000000000000000ULL + (unsigned long long)i * 4194304ULL + (r & 0x3fffff);
    return snprintf(
        out, cap,
        "{\"t\":\"%s\",\"s\":%lld,\"op\":0,\"d\":{\"type\":0,\"tts\":false,\"timestamp\":"
        "\"2026-12-03T%02ld:%02ld:%02ld.%06ld+00:00\",\"referenced_message\":null,\"pinned\":false,"
        "\"nonce\":\"%llu\",\"mentions\":[],\"mention_roles\":[],\"mention_everyone\":false,"
        "\"member\":{\"roles\":[\"1200000000000000%03d\"],\"premium_since\":null,\"pending\":"
        "false,\"nick\":null,\"mute\":false,\"joined_at\":\"2026-09-%02dT10:%02d:00.000000+00:00\","
        "\"flags\":0,\"deaf\":false,\"communication_disabled_until\":null,\"banner\":null,"
        "\"avatar\":null},\"id\":\"%llu\",\"flags\":0,\"embeds\":[],\"edited_timestamp\":null,"
        "\"content\":\"%s\",\"components\":[],\"channel_id\":\"11000000000000000%02d\","
        "\"author\":{\"username\":\"learner_%02d\",\"public_flags\":0,\"id\":"
        "\"9000000000000000%02d\",\"global_name\":\"Learner %02d\",\"discriminator\":\"0\","
        "\"clan\":null,\"avatar_decoration_data\":null,\"avatar\":\"%016llx%016llx\"},"
        "\"attachments\":[],\"guild_id\":\"1000000000000000001\"}}",
        t, seq, (i / 3600) % 24, (i / 60) % 60, i % 60, (long)(r % 1000000),
        (unsigned long long)(mid + 7), author % 7, author % 28 + 1, author, mid, content,
        author % 12, author, author, author, 0x1234abcdULL * (unsigned long long)(author + 1),
        0x9876fedcULL * (unsigned long long)(author + 3));
}

/* n events of type t with a ~size byte d, straight onto the socket queue. */
static void ctl_flood(struct fake *f, json_t *b)
{
    int n = (int)json_integer_value(json_object_get(b, "n"));
    const char *t = json_string_value(json_object_get(b, "t"));
    int size = (int)json_integer_value(json_object_get(b, "size"));
    if (!f->conn_pss || !t || n <= 0 || size < 100 || size > 65536)
        return;
    char *pad = malloc((size_t)size);
    char *frame = malloc((size_t)size + 4096);
    if (!pad || !frame)
        goto out;
    memset(pad, 'x', (size_t)size - 1);
    pad[size - 300] = '\0';
    bool guild = strcmp(t, "GUILD_CREATE") == 0;
    for (int i = 0; i < n; i++) {
        f->seq++;
        unsigned long long id = 1400000000000000000ULL + (unsigned long long)i;
        int len;
        if (guild) /* a guild with three channels; the topic carries the padding */
            len = snprintf(frame, (size_t)size + 4096,
                           "{\"t\":\"GUILD_CREATE\",\"s\":%lld,\"op\":0,\"d\":{\"id\":\"%llu\","
                           "\"name\":\"guild %d\",\"member_count\":40,\"channels\":["
                           "{\"id\":\"%llu1\",\"type\":0,\"name\":\"general\",\"topic\":\"%s\"},"
                           "{\"id\":\"%llu2\",\"type\":0,\"name\":\"week-1\"},"
                           "{\"id\":\"%llu3\",\"type\":4,\"name\":\"Cohort\"}]}}",
                           (long long)f->seq, id, i, id / 10, pad, id / 10, id / 10);
        else
            len = realistic_message(frame, (size_t)size + 4096, t, (long long)f->seq, i, size);
        if (len > 0)
            fake_ws_queue(f, f->conn_pss, frame, (size_t)len, LWS_WRITE_TEXT);
    }
out:
    free(pad);
    free(frame);
}

/* A shard's cold start (benchmark): n GUILD_CREATE of `channels` channels each (text,
 * voice and categories, topics, permission overwrites; ~10 KB at 40), ids distinct. */
static void ctl_guilds(struct fake *f, json_t *b)
{
    int n = (int)json_integer_value(json_object_get(b, "n"));
    int nch = (int)json_integer_value(json_object_get(b, "channels"));
    if (!f->conn_pss || n <= 0 || n > 100000 || nch < 1 || nch > 500)
        return;
    struct buf s;
    buf_init(&s, (size_t)nch * 1024 + 4096);
    for (int i = 0; i < n; i++) {
        unsigned long long gid = 1300000000000000000ULL + (unsigned long long)i * 1000;
        f->seq++;
        buf_reset(&s);
        buf_printf(&s,
                   "{\"t\":\"GUILD_CREATE\",\"s\":%lld,\"op\":0,\"d\":{\"id\":\"%llu\","
                   "\"name\":\"Study cohort %d\",\"owner_id\":\"80351110224678912\","
                   "\"member_count\":120,\"large\":false,\"unavailable\":false,"
                   "\"joined_at\":\"2026-01-01T00:00:00.000000+00:00\",\"channels\":[",
                   (long long)f->seq, gid, i);
        for (int c = 0; c < nch; c++) {
            int type = c % 8 == 0 ? 4 : c % 8 == 7 ? 2 : 0;
            buf_printf(&s,
                       "%s{\"id\":\"%llu\",\"type\":%d,\"name\":\"week-%d\",\"position\":%d,"
                       "\"parent_id\":\"%llu\",\"guild_id\":\"%llu\",\"nsfw\":false,"
                       "\"topic\":\"Week %d of the learning path: reading, exercises and the "
                       "check-in thread\",\"rate_limit_per_user\":0,\"last_message_id\":"
                       "\"%llu\",\"permission_overwrites\":[{\"id\":\"%llu\",\"type\":0,"
                       "\"allow\":\"1024\",\"deny\":\"0\"}]}",
                       c ? "," : "", gid + 1 + (unsigned long long)c, type, c % 10 + 1, c,
                       gid + 1 + (unsigned long long)(c / 8 * 8), gid, c % 10 + 1,
                       gid + 900 + (unsigned long long)c, gid);
        }
        buf_puts(&s, "],\"roles\":[],\"emojis\":[],\"features\":[]}}");
        if (s.p)
            fake_ws_queue(f, f->conn_pss, s.p, s.len, LWS_WRITE_TEXT);
    }
    buf_free(&s);
}

#define IX_FLOOD_BASE 1600000000000000000ULL

static json_t *ix_data(bool checkin)
{
    if (!checkin)
        return json_pack("{s:s, s:s, s:i}", "id", "1", "name", "help", "type", 1);
    return json_pack("{s:s, s:s, s:i, s:[{s:s, s:i, s:f}, {s:s, s:i, s:s}]}", "id", "2", "name",
                     "checkin", "type", 1, "options", "name", "hours", "type", 10, "value", 1.5,
                     "name", "note", "type", 3, "value", "bench check-in");
}

/* Interaction i's token: "itok-bench", or token_len characters like Discord's (a base64
 * head naming the interaction, then letters and digits), distinct per interaction. */
static void ix_token(const struct fake *f, int i, char *out, size_t n)
{
    if (f->ix_token_len <= 0 || (size_t)f->ix_token_len >= n) {
        snprintf(out, n, "itok-bench");
        return;
    }
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    int len = snprintf(out, n, "aW50ZXJhY3Rpb246%llu:", IX_FLOOD_BASE + (unsigned long long)i);
    uint32_t x = 2463534242u ^ (uint32_t)i * 2654435761u;
    for (; len < f->ix_token_len; len++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        out[len] = abc[x % 64];
    }
    out[len] = '\0';
}

/* A copy of the template with this interaction's id, token and member. */
static json_t *ix_from_template(struct fake *f, const char *id, const char *token, const char *user)
{
    json_t *d = json_deep_copy(f->ix_template);
    json_t *member = json_object_get(d, "member");
    if (!json_is_object(member))
        json_object_set_new(d, "member", member = json_pack("{s:s}", "permissions", "0"));
    json_t *u = json_object_get(member, "user");
    if (!json_is_object(u))
        json_object_set_new(member, "user", u = json_pack("{s:s}", "username", "learner"));
    json_object_set_new(u, "id", json_string(user));
    json_object_set_new(d, "id", json_string(id));
    json_object_set_new(d, "token", json_string(token));
    return d;
}

static void ix_send(struct fake *f, int i, int64_t due)
{
    char id[24], user[24], token[1024];
    bool distinct = f->ix_checkin || f->ix_template;
    snprintf(id, sizeof(id), "%llu", IX_FLOOD_BASE + (unsigned long long)i);
    snprintf(user, sizeof(user), "%llu",
             distinct ? 7000000000000000000ULL + (unsigned long long)i : 42ULL);
    ix_token(f, i, token, sizeof(token));
    json_t *d;
    if (f->ix_template)
        d = ix_from_template(f, id, token, user);
    else
        d = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:{s:{s:s, s:s}, s:s}, s:o}", "id", id,
                      "application_id", "800000000000000001", "type", 2, "token", token, "guild_id",
                      "1000000000000000001", "channel_id", "1100000000000000001", "member", "user",
                      "id", user, "username", "learner", "permissions", "0", "data",
                      ix_data(f->ix_checkin));
    f->ix_sent_us[i] = due;
    fake_dispatch(f, "INTERACTION_CREATE", d);
}

/* Sends every interaction that has fallen due, then sleeps until the next one. */
static void ix_tick(lws_sorted_usec_list_t *sul)
{
    struct fake *f = lws_container_of(sul, struct fake, ix_sul);
    int64_t now = lws_now_usecs();
    while (f->ix_sent < f->ix_total) {
        int64_t due = f->ix_start_us + (int64_t)f->ix_sent * f->ix_tick_us;
        if (due > now)
            break;
        ix_send(f, f->ix_sent, due);
        f->ix_sent++;
    }
    if (f->ix_sent >= f->ix_total)
        return;
    int64_t next = f->ix_start_us + (int64_t)f->ix_sent * f->ix_tick_us;
    lws_sul_schedule(f->ctx, 0, &f->ix_sul, ix_tick, next - now > 0 ? next - now : 1);
}

void fake_ix_flood(struct fake *f, json_t *b)
{
    int n = (int)json_integer_value(json_object_get(b, "n"));
    int tick_us = (int)json_integer_value(json_object_get(b, "tick_us"));
    json_t *tpl = json_object_get(b, "template");
    int token_len = (int)json_integer_value(json_object_get(b, "token_len"));
    if (n <= 0 || n > 1000000 || f->ix_sent_us || (tpl && !json_is_object(tpl)) || token_len < 0 ||
        token_len > 1000)
        return;
    f->ix_sent_us = calloc((size_t)n, sizeof(int64_t));
    f->ix_answer_us = calloc((size_t)n, sizeof(int64_t));
    if (!f->ix_sent_us || !f->ix_answer_us) {
        free(f->ix_sent_us);
        free(f->ix_answer_us);
        f->ix_sent_us = NULL;
        f->ix_answer_us = NULL;
        return;
    }
    f->ix_total = n;
    f->ix_sent = 0;
    f->ix_tick_us = tick_us > 0 ? tick_us : 1000;
    f->ix_checkin = json_is_true(json_object_get(b, "checkin"));
    f->ix_template = tpl ? json_incref(tpl) : NULL;
    f->ix_token_len = token_len;
    f->ix_start_us = lws_now_usecs() + 1000;
    lws_sul_schedule(f->ctx, 0, &f->ix_sul, ix_tick, 1000);
}

/* path: /interactions/<id>/<token>/callback. The first callback of a flood interaction
 * counts its latency; a second one is a duplicate; a wrong token is counted too. */
void fake_ix_answered(struct fake *f, const char *path)
{
    unsigned long long id = 0;
    int off = 0;
    if (!f->ix_sent_us || sscanf(path, "/interactions/%llu/%n", &id, &off) != 1 || off <= 0 ||
        id < IX_FLOOD_BASE || id - IX_FLOOD_BASE >= (unsigned long long)f->ix_sent)
        return;
    int i = (int)(id - IX_FLOOD_BASE);
    char want[1024];
    ix_token(f, i, want, sizeof(want));
    size_t wl = strlen(want);
    if (strncmp(path + off, want, wl) != 0 || strcmp(path + off + wl, "/callback") != 0)
        f->ix_bad_token++;
    if (f->ix_answer_us[i]) {
        f->ix_dup++;
        return;
    }
    f->ix_last_answer_us = f->ix_answer_us[i] = lws_now_usecs();
    int64_t lat = f->ix_last_answer_us - f->ix_sent_us[i];
    json_array_append_new(f->ix_lat_us, json_integer(lat));
}

static void ctl_config(struct fake *f, json_t *b)
{
    json_t *v;
    if ((v = json_object_get(b, "heartbeat_interval")))
        f->hb_interval = (int)json_integer_value(v);
    if ((v = json_object_get(b, "ack")))
        f->ack = json_is_true(v);
    if ((v = json_object_get(b, "close_on_identify")))
        f->close_on_identify = (int)json_integer_value(v);
    if ((v = json_object_get(b, "remaining")))
        f->start_remaining = (int)json_integer_value(v);
    if ((v = json_object_get(b, "reset_after")))
        f->start_reset_after = (int)json_integer_value(v);
    if ((v = json_object_get(b, "gateway_tls")))
        f->gw_tls = json_is_true(v);
    if ((v = json_object_get(b, "tls_host")) && json_is_string(v))
        snprintf(f->tls_host, sizeof(f->tls_host), "%s", json_string_value(v));
    fake_shards_config(f, b);
}

static void ctl_fault(struct fake *f, json_t *b)
{
    if (f->nfaults == FAKE_MAX_FAULTS)
        return;
    struct fake_fault *ft = &f->faults[f->nfaults++];
    memset(ft, 0, sizeof(*ft));
    const char *match = json_string_value(json_object_get(b, "match"));
    snprintf(ft->match, sizeof(ft->match), "%s", match ? match : "");
    ft->status = (int)json_integer_value(json_object_get(b, "status"));
    ft->code = (int)json_integer_value(json_object_get(b, "code"));
    ft->count =
        json_object_get(b, "count") ? (int)json_integer_value(json_object_get(b, "count")) : 1;
    ft->retry_after = json_number_value(json_object_get(b, "retry_after"));
    ft->html = json_is_true(json_object_get(b, "html"));
    ft->global = json_is_true(json_object_get(b, "global"));
    ft->no_retry_after = json_is_true(json_object_get(b, "no_retry_after"));
    ft->delay_ms = (int)json_integer_value(json_object_get(b, "delay_ms"));
    ft->reset = json_is_true(json_object_get(b, "reset"));
}

void fake_ctl(struct fake *f, struct fake_pss *p)
{
    const char *verb = p->path + 6;
    if (!strcmp(verb, "log")) {
        ctl_log(f, p);
        return;
    }
    if (!strcmp(verb, "state")) { /* what fake_events.c keeps: channels, events, voice */
        fake_events_state(f, p);
        return;
    }
    json_t *b = p->body.len ? json_loadb(p->body.p, p->body.len, 0, NULL) : json_object();
    const char *t = json_string_value(json_object_get(b, "t"));
    if (!strcmp(verb, "dispatch") && b) {
        int64_t at = fake_ms(f); /* answered as "t": when it went out, on the log's clock */
        fake_dispatch(f, t ? t : "UNKNOWN", json_incref(json_object_get(b, "d")));
        json_decref(b);
        p->status = 200;
        buf_printf(&p->resp, "{\"ok\":true,\"t\":%lld}", (long long)at);
        return;
    } else if (!strcmp(verb, "send") && f->conn_pss)
        fake_ws_queue(f, f->conn_pss, buf_str(&p->body), p->body.len, LWS_WRITE_TEXT);
    else if (!strcmp(verb, "op") && b && f->conn_pss) {
        char *s = json_dumps(b, JSON_COMPACT);
        if (s)
            fake_ws_queue(f, f->conn_pss, s, strlen(s), LWS_WRITE_TEXT);
        free(s);
    } else if (!strcmp(verb, "close") && b)
        fake_ws_close(f, (int)json_integer_value(json_object_get(b, "code")));
    else if (!strcmp(verb, "big") && b)
        ctl_big(f, b);
    else if (!strcmp(verb, "flood") && b)
        ctl_flood(f, b);
    else if (!strcmp(verb, "guilds") && b)
        ctl_guilds(f, b);
    else if (!strcmp(verb, "config") && b)
        ctl_config(f, b);
    else if (!strcmp(verb, "bucket") && b)
        fake_ctl_bucket(f, b);
    else if (!strcmp(verb, "fault") && b)
        ctl_fault(f, b);
    else if (!strcmp(verb, "ix_flood") && b)
        fake_ix_flood(f, b);
    else if (!strcmp(verb, "zcorrupt") && f->conn_pss && f->conn_pss->zs) {
        /* bytes that are no deflate data, ending like a complete message */
        static const unsigned char junk[] = {0xff, 0xfe, 0x12, 0x34, 0x56, 0x00, 0x00, 0xff, 0xff};
        fake_ws_queue_raw(f->conn_pss, junk, sizeof(junk), LWS_WRITE_BINARY);
    } else if (!strcmp(verb, "quit"))
        f->quit = true;
    else if (b)
        fake_events_ctl(f, verb, b);
    json_decref(b);
    ok(p);
}
