/* test_message.c - struct message to Discord JSON: every limit cut cleanly at a UTF-8
 * boundary, checked against our constants and against the limits the Discord OpenAPI
 * spec (tests/data/discord-openapi.json) states, read at test time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "bot/message.h"

#define EMOJI "\xf0\x9f\x98\x80" /* U+1F600, 4 bytes, one character */
#define ELLIPSIS "\xe2\x80\xa6"

static json_t *g_spec; /* the OpenAPI document, or NULL when not present */

/* ---- helpers ---- */

/* A string of n characters: `pre` ASCII letters then emoji up to n (so that any cut
 * point past `pre` falls between or inside 4-byte sequences). Caller frees. */
static char *make_text(size_t n, size_t pre)
{
    char *s = malloc(n * 4 + 1);
    assert_non_null(s);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i < pre) {
            s[o++] = (char)('a' + i % 26);
        } else {
            memcpy(s + o, EMOJI, 4);
            o += 4;
        }
    }
    s[o] = '\0';
    return s;
}

static size_t ulen(const char *s)
{
    return msg_utf8_len(s);
}

static const char *jstr(json_t *o, const char *path)
{
    json_t *v = o;
    char key[64];
    for (const char *p = path; v && *p;) {
        size_t n = strcspn(p, ".");
        snprintf(key, sizeof(key), "%.*s", (int)n, p);
        if (key[0] >= '0' && key[0] <= '9')
            v = json_array_get(v, (size_t)strtoul(key, NULL, 10));
        else
            v = json_object_get(v, key);
        p += n + (p[n] == '.');
    }
    return json_string_value(v);
}

/* A cut result must be a clean prefix of the input followed by an ellipsis, within max. */
static void assert_clean_cut(const char *out, const char *in, size_t max)
{
    assert_non_null(out);
    size_t n = strlen(out);
    assert_true(ulen(out) <= max);
    assert_true(n >= 3);
    assert_memory_equal(out + n - 3, ELLIPSIS, 3);
    assert_memory_equal(out, in, n - 3);
    /* the kept part ends on a character boundary of the input */
    assert_true((in[n - 3] & 0xC0) != 0x80);
}

/* Spec lookups: components.schemas.<schema>.properties.<prop>.<what>. */
static long long spec_limit(const char *schema, const char *prop, const char *what)
{
    json_t *s =
        json_object_get(json_object_get(json_object_get(g_spec, "components"), "schemas"), schema);
    json_t *v = prop
                    ? json_object_get(json_object_get(json_object_get(s, "properties"), prop), what)
                    : json_object_get(s, what);
    if (!json_is_integer(v))
        fail_msg("spec has no %s.%s.%s", schema, prop ? prop : "-", what);
    return json_integer_value(v);
}

static bool spec_enum_has(const char *schema, long long value)
{
    json_t *s =
        json_object_get(json_object_get(json_object_get(g_spec, "components"), "schemas"), schema);
    size_t i;
    json_t *alt;
    json_array_foreach(json_object_get(s, "oneOf"), i, alt)
    {
        if (json_integer_value(json_object_get(alt, "const")) == value)
            return true;
    }
    json_array_foreach(json_object_get(s, "enum"), i, alt)
    {
        if (json_integer_value(alt) == value)
            return true;
    }
    return false;
}

static bool spec_prop_enum_has(const char *schema, const char *prop, long long value)
{
    json_t *s =
        json_object_get(json_object_get(json_object_get(g_spec, "components"), "schemas"), schema);
    json_t *e = json_object_get(json_object_get(json_object_get(s, "properties"), prop), "enum");
    size_t i;
    json_t *v;
    json_array_foreach(e, i, v)
    {
        if (json_integer_value(v) == value)
            return true;
    }
    return false;
}

static void check_len(json_t *o, const char *key, const char *schema)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s)
        return;
    long long max = spec_limit(schema, key, "maxLength");
    json_t *min = json_object_get(
        json_object_get(
            json_object_get(json_object_get(json_object_get(g_spec, "components"), "schemas"),
                            schema),
            "properties"),
        key);
    min = json_object_get(min, "minLength");
    if ((long long)ulen(s) > max)
        fail_msg("%s.%s has %zu characters, spec max %lld", schema, key, ulen(s), max);
    if (json_is_integer(min) && (long long)ulen(s) < json_integer_value(min))
        fail_msg("%s.%s shorter than spec minimum", schema, key);
}

/* Structural constraints of a message body (MessageCreateRequest or the webhook /
 * interaction message data), with the limits read from the spec. */
/* A string select against StringSelectComponentForMessageRequest and its options. */
static void check_select(json_t *c)
{
    const char *sch = "StringSelectComponentForMessageRequest";
    assert_true(spec_prop_enum_has(sch, "type", 3));
    assert_non_null(jstr(c, "custom_id"));
    check_len(c, "custom_id", sch);
    check_len(c, "placeholder", sch);
    json_t *opts = json_object_get(c, "options"), *o;
    assert_true(json_array_size(opts) >= (size_t)spec_limit(sch, "options", "minItems"));
    assert_true(json_array_size(opts) <= (size_t)spec_limit(sch, "options", "maxItems"));
    size_t k;
    json_array_foreach(opts, k, o)
    {
        assert_non_null(jstr(o, "label"));
        assert_non_null(jstr(o, "value"));
        check_len(o, "label", "StringSelectOptionForRequest");
        check_len(o, "value", "StringSelectOptionForRequest");
        check_len(o, "description", "StringSelectOptionForRequest");
    }
    long long mx = json_integer_value(json_object_get(c, "max_values"));
    assert_true(mx >= 1 && mx <= spec_limit(sch, "max_values", "maximum"));
}

static void check_body(json_t *body, const char *schema)
{
    const char *content = json_string_value(json_object_get(body, "content"));
    if (content) {
        assert_true(ulen(content) <= (size_t)spec_limit(schema, "content", "maxLength"));
        assert_true(ulen(content) <= 2000); /* docs: 2000 (the spec's 4000 is a known gap) */
    }
    json_t *embeds = json_object_get(body, "embeds");
    assert_true(json_array_size(embeds) <= (size_t)spec_limit(schema, "embeds", "maxItems"));
    size_t total = 0, i, j;
    json_t *e, *f;
    json_array_foreach(embeds, i, e)
    {
        check_len(e, "title", "RichEmbed");
        check_len(e, "description", "RichEmbed");
        check_len(json_object_get(e, "footer"), "text", "RichEmbedFooter");
        json_t *fields = json_object_get(e, "fields");
        assert_true(json_array_size(fields) <=
                    (size_t)spec_limit("RichEmbed", "fields", "maxItems"));
        json_t *color = json_object_get(e, "color");
        if (color)
            assert_true(json_integer_value(color) <= spec_limit("RichEmbed", "color", "maximum"));
        const char *t = jstr(e, "title"), *d = jstr(e, "description"), *ft = jstr(e, "footer.text");
        total += (t ? ulen(t) : 0) + (d ? ulen(d) : 0) + (ft ? ulen(ft) : 0);
        json_array_foreach(fields, j, f)
        {
            assert_non_null(json_object_get(f, "name")); /* required by RichEmbedField */
            assert_non_null(json_object_get(f, "value"));
            check_len(f, "name", "RichEmbedField");
            check_len(f, "value", "RichEmbedField");
            total += ulen(jstr(f, "name")) + ulen(jstr(f, "value"));
        }
    }
    assert_true(total <= 6000); /* a cross-field rule the spec cannot state */
    json_t *rows = json_object_get(body, "components"), *row, *c;
    assert_true(json_array_size(rows) <= (size_t)spec_limit(schema, "components", "maxItems"));
    json_array_foreach(rows, i, row)
    {
        assert_true(spec_prop_enum_has("ActionRowComponentForMessageRequest", "type",
                                       json_integer_value(json_object_get(row, "type"))));
        json_t *kids = json_object_get(row, "components");
        assert_true(
            json_array_size(kids) >=
            (size_t)spec_limit("ActionRowComponentForMessageRequest", "components", "minItems"));
        assert_true(
            json_array_size(kids) <=
            (size_t)spec_limit("ActionRowComponentForMessageRequest", "components", "maxItems"));
        json_array_foreach(kids, j, c)
        {
            if (json_integer_value(json_object_get(c, "type")) == 3) {
                check_select(c);
                continue;
            }
            assert_true(spec_prop_enum_has("ButtonComponentForMessageRequest", "type",
                                           json_integer_value(json_object_get(c, "type"))));
            assert_true(
                spec_enum_has("ButtonStyleTypes", json_integer_value(json_object_get(c, "style"))));
            check_len(c, "custom_id", "ButtonComponentForMessageRequest");
            check_len(c, "label", "ButtonComponentForMessageRequest");
            check_len(c, "url", "ButtonComponentForMessageRequest");
        }
    }
    json_t *parse = json_object_get(json_object_get(body, "allowed_mentions"), "parse");
    json_array_foreach(parse, i, c)
    {
        const char *v = json_string_value(c);
        assert_true(v && (!strcmp(v, "users") || !strcmp(v, "roles") || !strcmp(v, "everyone")));
    }
    const char *nonce = json_string_value(json_object_get(body, "nonce"));
    if (nonce) {
        json_t *alts = json_object_get(
            json_object_get(
                json_object_get(
                    json_object_get(
                        json_object_get(json_object_get(g_spec, "components"), "schemas"),
                        "MessageCreateRequest"),
                    "properties"),
                "nonce"),
            "oneOf");
        long long max = -1;
        size_t k;
        json_t *a;
        json_array_foreach(alts, k, a)
        {
            if (json_is_integer(json_object_get(a, "maxLength")))
                max = json_integer_value(json_object_get(a, "maxLength"));
        }
        assert_true(max > 0);
        assert_true((long long)strlen(nonce) <= max);
    }
}

static int load_spec(void **state)
{
    (void)state;
    const char *src = getenv("COHORTBOT_SRCDIR");
    char path[1024];
    /* Discord's OpenAPI spec (discord/discord-api-spec, MIT), vendored as test data */
    snprintf(path, sizeof(path), "%s/tests/data/discord-openapi.json",
             src ? src : COHORTBOT_SRCDIR);
    g_spec = json_load_file(path, 0, NULL);
    if (!g_spec)
        fprintf(stderr, "cannot read %s\n", path);
    return g_spec ? 0 : -1;
}

static int free_spec(void **state)
{
    (void)state;
    json_decref(g_spec);
    return 0;
}

/* ---- tests ---- */

static void test_constants_match_spec(void **state)
{
    (void)state;
    if (!g_spec)
        skip();
    const struct {
        const char *schema, *prop, *what;
        long long ours;
    } t[] = {
        {"RichEmbed", "title", "maxLength", MSG_EMBED_TITLE_MAX},
        {"RichEmbed", "description", "maxLength", MSG_EMBED_DESC_MAX},
        {"RichEmbed", "fields", "maxItems", MSG_MAX_FIELDS},
        {"RichEmbedField", "name", "maxLength", MSG_FIELD_NAME_MAX},
        {"RichEmbedField", "value", "maxLength", MSG_FIELD_VALUE_MAX},
        {"RichEmbedFooter", "text", "maxLength", MSG_FOOTER_MAX},
        {"MessageCreateRequest", "embeds", "maxItems", MSG_MAX_EMBEDS},
        {"IncomingWebhookInteractionRequest", "content", "maxLength", MSG_CONTENT_MAX},
        {"ButtonComponentForMessageRequest", "custom_id", "maxLength", MSG_CUSTOM_ID_MAX},
        {"ButtonComponentForMessageRequest", "label", "maxLength", MSG_LABEL_MAX},
        {"InteractionApplicationCommandAutocompleteCallbackStringData", "choices", "maxItems",
         MSG_MAX_CHOICES},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        long long spec = spec_limit(t[i].schema, t[i].prop, t[i].what);
        if (spec != t[i].ours)
            fail_msg("%s.%s.%s: spec %lld, ours %lld", t[i].schema, t[i].prop, t[i].what, spec,
                     t[i].ours);
    }
    /* 5 buttons per row times the rows a message may carry */
    assert_int_equal(MSG_MAX_BUTTONS % spec_limit("ActionRowComponentForMessageRequest",
                                                  "components", "maxItems"),
                     0);
    /* the spec says 4000 for channel messages; the docs (and we) say 2000 */
    assert_true(spec_limit("MessageCreateRequest", "content", "maxLength") >= MSG_CONTENT_MAX);
}

static void test_utf8_helpers(void **state)
{
    (void)state;
    assert_int_equal(msg_utf8_len(""), 0);
    assert_int_equal(msg_utf8_len("abc"), 3);
    assert_int_equal(msg_utf8_len(EMOJI "a" ELLIPSIS), 3);
    assert_int_equal(msg_utf8_prefix(EMOJI EMOJI "x", 1), 4);
    assert_int_equal(msg_utf8_prefix(EMOJI EMOJI "x", 2), 8);
    assert_int_equal(msg_utf8_prefix(EMOJI EMOJI "x", 99), 9);
    assert_int_equal(msg_utf8_prefix("abc", 0), 0);
}

/* Every text limit: exactly at the limit is kept whole; one over is cut cleanly with
 * the cut point inside a run of 4-byte emoji. */
static void test_text_limits(void **state)
{
    (void)state;
    enum { CONTENT, TITLE, DESC, FNAME, FVALUE, FOOTER, LABEL };
    const struct {
        int what;
        size_t max;
        const char *path;
    } t[] = {
        {CONTENT, MSG_CONTENT_MAX, "content"},
        {TITLE, MSG_EMBED_TITLE_MAX, "embeds.0.title"},
        {DESC, MSG_EMBED_DESC_MAX, "embeds.0.description"},
        {FNAME, MSG_FIELD_NAME_MAX, "embeds.0.fields.0.name"},
        {FVALUE, MSG_FIELD_VALUE_MAX, "embeds.0.fields.0.value"},
        {FOOTER, MSG_FOOTER_MAX, "embeds.0.footer.text"},
        {LABEL, MSG_LABEL_MAX, "components.0.components.0.label"},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        for (size_t extra = 0; extra < 3; extra++) {
            size_t n = t[i].max + (extra == 0 ? 0 : extra == 1 ? 1 : 500);
            char *text = make_text(n, t[i].max / 2);
            struct message m;
            msg_init(&m);
            struct msg_embed *e = NULL;
            switch (t[i].what) {
            case CONTENT:
                assert_int_equal(msg_set_content(&m, "%s", text), 0);
                break;
            case LABEL:
                assert_int_equal(msg_add_button(&m, text, "x:1", MSG_BTN_PRIMARY), 0);
                break;
            default:
                e = msg_add_embed(&m, t[i].what == TITLE ? text : "t",
                                  t[i].what == DESC ? text : NULL);
                assert_non_null(e);
                if (t[i].what == FNAME || t[i].what == FVALUE)
                    assert_int_equal(msg_embed_field(e, t[i].what == FNAME ? text : "n",
                                                     t[i].what == FVALUE ? text : "v", false),
                                     0);
                if (t[i].what == FOOTER)
                    assert_int_equal(msg_embed_footer(e, text), 0);
            }
            json_t *j = msg_to_json(&m, NULL);
            const char *out = jstr(j, t[i].path);
            if (!out)
                fail_msg("%s missing for %zu characters", t[i].path, n);
            if (extra == 0)
                assert_string_equal(out, text);
            else
                assert_clean_cut(out, text, t[i].max);
            if (g_spec)
                check_body(j, "MessageCreateRequest");
            json_decref(j);
            msg_free(&m);
            free(text);
        }
    }
}

/* custom_id (<= 100 characters) is cut at a character boundary, never dropped. */
static void test_custom_id_limit(void **state)
{
    (void)state;
    const size_t lens[] = {1, 99, 100, 101, 400};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        char *id = make_text(lens[i], 97); /* emoji from character 98 on */
        struct message m;
        msg_init(&m);
        assert_int_equal(msg_add_button(&m, "Go", id, MSG_BTN_SUCCESS), 0);
        json_t *j = msg_to_json(&m, NULL);
        const char *out = jstr(j, "components.0.components.0.custom_id");
        if (!out)
            fail_msg("custom_id of %zu characters was dropped", lens[i]);
        assert_true(ulen(out) <= MSG_CUSTOM_ID_MAX);
        assert_true(ulen(out) >= (lens[i] < 97 ? lens[i] : 97));
        assert_memory_equal(out, id, strlen(out));
        if (g_spec)
            check_body(j, "MessageCreateRequest");
        json_decref(j);
        msg_free(&m);
        free(id);
    }
}

/* 6000 characters across all embeds, whatever part holds the bulk. */
static void test_embed_total(void **state)
{
    (void)state;
    char *big = make_text(5000, 10);
    const struct {
        int nembeds, nfields;
        bool titles, descs, names, values, footers;
    } t[] = {
        {1, 0, false, true, false, false, false},   {10, 0, false, true, false, false, false},
        {3, 25, false, false, false, true, false},  {2, 25, false, false, true, false, false},
        {10, 0, true, false, false, false, true},   {10, 25, true, true, true, true, true},
        {10, 25, false, false, true, false, false}, {1, 25, true, true, true, true, true},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct message m;
        msg_init(&m);
        for (int k = 0; k < t[i].nembeds; k++) {
            struct msg_embed *e =
                msg_add_embed(&m, t[i].titles ? big : "T", t[i].descs ? big : "d");
            assert_non_null(e);
            for (int f = 0; f < t[i].nfields; f++)
                assert_int_equal(
                    msg_embed_field(e, t[i].names ? big : "n", t[i].values ? big : "v", f % 2), 0);
            if (t[i].nfields == MSG_MAX_FIELDS)
                assert_int_equal(msg_embed_field(e, "26th", "x", false), BOT_EFULL);
            if (t[i].footers)
                assert_int_equal(msg_embed_footer(e, big), 0);
        }
        if (t[i].nembeds == MSG_MAX_EMBEDS)
            assert_null(msg_add_embed(&m, "eleventh", NULL));
        json_t *j = msg_to_json(&m, NULL);
        json_t *embeds = json_object_get(j, "embeds");
        assert_int_equal(json_array_size(embeds), (size_t)t[i].nembeds);
        size_t total = 0, e_i, f_i;
        json_t *e, *f;
        json_array_foreach(embeds, e_i, e)
        {
            const char *ti = jstr(e, "title"), *d = jstr(e, "description"),
                       *ft = jstr(e, "footer.text");
            total += (ti ? ulen(ti) : 0) + (d ? ulen(d) : 0) + (ft ? ulen(ft) : 0);
            json_array_foreach(json_object_get(e, "fields"), f_i, f) total +=
                ulen(jstr(f, "name")) + ulen(jstr(f, "value"));
        }
        if (total > MSG_EMBED_TOTAL_MAX)
            fail_msg("case %zu: embeds total %zu characters (> 6000)", i, total);
        if (g_spec)
            check_body(j, "MessageCreateRequest");
        json_decref(j);
        msg_free(&m);
    }
    free(big);
}

static void test_nonce_flags_mentions(void **state)
{
    (void)state;
    struct message m;
    msg_init(&m);
    msg_set_content(&m, "hello <@123>");
    json_t *j = msg_to_json(&m, NULL);
    assert_null(json_object_get(j, "nonce"));
    assert_null(json_object_get(j, "enforce_nonce"));
    assert_null(json_object_get(j, "flags"));
    json_t *parse = json_object_get(json_object_get(j, "allowed_mentions"), "parse");
    assert_true(json_is_array(parse));
    assert_int_equal(json_array_size(parse), 0); /* default: mention nobody */
    json_decref(j);

    j = msg_to_json(&m, "daily-g1-c2-day12");
    assert_string_equal(jstr(j, "nonce"), "daily-g1-c2-day12");
    assert_true(json_is_true(json_object_get(j, "enforce_nonce")));
    json_decref(j);

    j = msg_to_json(&m, "abcdefghijklmnopqrstuvwxyz0123456789");
    assert_int_equal(strlen(jstr(j, "nonce")), 25);
    if (g_spec)
        check_body(j, "MessageCreateRequest");
    json_decref(j);

    m.ephemeral = true;
    m.mention_users = true;
    json_t *cb = msg_to_callback(&m);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 4);
    json_t *data = json_object_get(cb, "data");
    assert_int_equal(json_integer_value(json_object_get(data, "flags")), 64);
    parse = json_object_get(json_object_get(data, "allowed_mentions"), "parse");
    assert_int_equal(json_array_size(parse), 1);
    assert_string_equal(json_string_value(json_array_get(parse, 0)), "users");
    if (g_spec) {
        assert_true(spec_prop_enum_has("CreateMessageInteractionCallbackRequest", "type", 4));
        check_body(data, "IncomingWebhookInteractionRequest");
    }
    json_decref(cb);

    m.kind = MSG_KIND_UPDATE;
    cb = msg_to_callback(&m);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 7);
    if (g_spec)
        assert_true(spec_prop_enum_has("UpdateMessageInteractionCallbackRequest", "type", 7));
    json_decref(cb);
    msg_free(&m);
}

static void test_buttons_rows(void **state)
{
    (void)state;
    const int counts[] = {1, 5, 6, 12, 25};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        struct message m;
        msg_init(&m);
        for (int b = 0; b < counts[i]; b++) {
            char label[16], id[16];
            snprintf(label, sizeof(label), "B%d", b);
            snprintf(id, sizeof(id), "btn:%d", b);
            if (b == 3)
                assert_int_equal(msg_add_link(&m, label, "https://example.com/x"), 0);
            else
                assert_int_equal(msg_add_button(&m, label, id, MSG_BTN_SECONDARY), 0);
        }
        if (counts[i] == 25)
            assert_int_equal(msg_add_button(&m, "26", "x", MSG_BTN_PRIMARY), BOT_EFULL);
        json_t *j = msg_to_json(&m, NULL);
        json_t *rows = json_object_get(j, "components");
        assert_int_equal(json_array_size(rows), (size_t)(counts[i] + 4) / 5);
        int seen = 0;
        size_t r;
        json_t *row;
        json_array_foreach(rows, r, row)
        {
            assert_int_equal(json_integer_value(json_object_get(row, "type")), 1);
            json_t *kids = json_object_get(row, "components");
            assert_true(json_array_size(kids) >= 1 && json_array_size(kids) <= 5);
            for (size_t k = 0; k < json_array_size(kids); k++, seen++) {
                json_t *c = json_array_get(kids, k);
                char label[16];
                snprintf(label, sizeof(label), "B%d", seen);
                assert_string_equal(jstr(c, "label"), label); /* order kept */
                if (seen == 3) {
                    assert_int_equal(json_integer_value(json_object_get(c, "style")), 5);
                    assert_null(json_object_get(c, "custom_id"));
                    assert_string_equal(jstr(c, "url"), "https://example.com/x");
                } else {
                    assert_int_equal(json_integer_value(json_object_get(c, "style")), 2);
                    assert_null(json_object_get(c, "url"));
                }
            }
        }
        assert_int_equal(seen, counts[i]);
        if (g_spec)
            check_body(j, "MessageCreateRequest");
        json_decref(j);
        msg_free(&m);
    }
    /* a regular button cannot become a link button by asking for style 5 */
    struct message m;
    msg_init(&m);
    msg_add_button(&m, "x", "id:1", MSG_BTN_LINK);
    json_t *j = msg_to_json(&m, NULL);
    assert_int_not_equal(
        json_integer_value(json_object_get(
            json_array_get(
                json_object_get(json_array_get(json_object_get(j, "components"), 0), "components"),
                0),
            "style")),
        5);
    json_decref(j);
    msg_free(&m);
}

static void test_modal(void **state)
{
    (void)state;
    struct message m;
    msg_init(&m);
    char *long_title = make_text(60, 40);
    char *long_id = make_text(130, 90);
    assert_int_equal(msg_set_modal(&m, "checkin:modal:1", long_title), 0);
    assert_int_equal(msg_modal_input(&m, "note", "What did you do today?", true, false, 1000,
                                     "a sentence or two"),
                     0);
    assert_int_equal(msg_modal_input(&m, long_id, long_title, false, true, 9000, NULL), 0);
    for (int i = 2; i < MSG_MAX_INPUTS; i++)
        assert_int_equal(msg_modal_input(&m, "x", "X", false, false, 0, NULL), 0);
    assert_int_equal(msg_modal_input(&m, "y", "Y", false, false, 0, NULL), BOT_EFULL);
    json_t *cb = msg_to_callback(&m);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 9);
    json_t *data = json_object_get(cb, "data");
    assert_string_equal(jstr(data, "custom_id"), "checkin:modal:1");
    assert_true(ulen(jstr(data, "title")) <= 45);
    json_t *comps = json_object_get(data, "components");
    assert_int_equal(json_array_size(comps), MSG_MAX_INPUTS);
    json_t *first = json_array_get(comps, 0);
    assert_int_equal(json_integer_value(json_object_get(first, "type")), 18);
    assert_string_equal(jstr(first, "label"), "What did you do today?");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(first, "component"), "type")), 4);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(first, "component"), "style")), 2);
    assert_string_equal(jstr(first, "component.custom_id"), "note");
    json_t *second = json_object_get(json_array_get(comps, 1), "component");
    assert_true(json_is_true(json_object_get(second, "required")));
    if (g_spec) {
        assert_true(spec_prop_enum_has("ModalInteractionCallbackRequest", "type", 9));
        check_len(data, "custom_id", "ModalInteractionCallbackRequestData");
        check_len(data, "title", "ModalInteractionCallbackRequestData");
        assert_true(
            json_array_size(comps) <=
            (size_t)spec_limit("ModalInteractionCallbackRequestData", "components", "maxItems"));
        size_t i;
        json_t *label;
        json_array_foreach(comps, i, label)
        {
            check_len(label, "label", "LabelComponentForModalRequest");
            json_t *ti = json_object_get(label, "component");
            assert_non_null(jstr(ti, "custom_id"));
            check_len(ti, "custom_id", "TextInputComponentForModalRequest");
            check_len(ti, "placeholder", "TextInputComponentForModalRequest");
            json_t *ml = json_object_get(ti, "max_length");
            if (ml) {
                assert_true(
                    json_integer_value(ml) >=
                    spec_limit("TextInputComponentForModalRequest", "max_length", "minimum"));
                if (json_integer_value(ml) >
                    spec_limit("TextInputComponentForModalRequest", "max_length", "maximum"))
                    fail_msg("text input max_length %lld exceeds the spec",
                             (long long)json_integer_value(ml));
            }
        }
    }
    json_decref(cb);
    msg_free(&m);
    free(long_title);
    free(long_id);
}

static void test_autocomplete(void **state)
{
    (void)state;
    struct message m;
    msg_init(&m);
    char *long_name = make_text(150, 99);
    for (int i = 0; i < MSG_MAX_CHOICES; i++) {
        char v[16];
        snprintf(v, sizeof(v), "v%d", i);
        assert_int_equal(msg_add_choice(&m, i == 0 ? long_name : v, v), 0);
    }
    assert_int_equal(msg_add_choice(&m, "x", "x"), BOT_EFULL);
    assert_int_equal(m.kind, MSG_KIND_CHOICES);
    json_t *cb = msg_to_callback(&m);
    assert_int_equal(json_integer_value(json_object_get(cb, "type")), 8);
    json_t *choices = json_object_get(json_object_get(cb, "data"), "choices");
    assert_int_equal(json_array_size(choices), MSG_MAX_CHOICES);
    assert_clean_cut(jstr(choices, "0.name"), long_name, 100);
    assert_string_equal(jstr(choices, "24.value"), "v24");
    if (g_spec) {
        assert_true(spec_prop_enum_has("ApplicationCommandAutocompleteCallbackRequest", "type", 8));
        size_t i;
        json_t *c;
        json_array_foreach(choices, i, c)
        {
            check_len(c, "name", "ApplicationCommandOptionStringChoice");
            check_len(c, "value", "ApplicationCommandOptionStringChoice");
        }
    }
    json_decref(cb);
    msg_free(&m);
    free(long_name);
}

/* Invalid UTF-8 is replaced, never dropped (jansson refuses invalid strings). */
static void test_invalid_utf8(void **state)
{
    (void)state;
    const char *bad[] = {
        "ab\xff\xfe"
        "cd", /* bytes that never appear in UTF-8 */
        "x\xc0\xaf"
        "y", /* overlong '/' */
        "x\xe0\x80\xaf"
        "y", /* overlong 3-byte */
        "x\xed\xa0\x80"
        "y", /* UTF-16 surrogate */
        "x\xf4\x90\x80\x80"
        "y", /* above U+10FFFF */
        "x\xf5\x80\x80\x80"
        "y",         /* invalid lead byte */
        "x\xe2\x82", /* truncated at the end */
        "\x80\x80\x80 lone continuation bytes",
        "ok " EMOJI " then \xf0\x9f\x98", /* emoji cut short */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct message m;
        msg_init(&m);
        msg_set_content(&m, "%s", bad[i]);
        struct msg_embed *e = msg_add_embed(&m, bad[i], bad[i]);
        msg_embed_field(e, bad[i], bad[i], false);
        msg_add_button(&m, bad[i], "id:1", MSG_BTN_PRIMARY);
        json_t *j = msg_to_json(&m, NULL);
        const char *c = jstr(j, "content");
        if (!c || strcmp(c, "-") == 0)
            fail_msg("case %zu: content dropped instead of sanitised", i);
        assert_non_null(
            strchr(c, 'x') || strchr(c, 'a') || strchr(c, 'o') || strchr(c, 'l') ? c : NULL);
        assert_non_null(jstr(j, "embeds.0.title"));
        assert_non_null(jstr(j, "embeds.0.description"));
        assert_non_null(jstr(j, "embeds.0.fields.0.value"));
        assert_non_null(jstr(j, "components.0.components.0.label"));
        char *dump = json_dumps(j, 0);
        assert_non_null(dump);
        free(dump);
        json_decref(j);
        msg_free(&m);
    }
    /* valid multi-byte text passes untouched */
    struct message m;
    msg_init(&m);
    msg_set_content(&m, "caf\xc3\xa9 \xe4\xb8\xad " EMOJI);
    json_t *j = msg_to_json(&m, NULL);
    assert_string_equal(jstr(j, "content"), "caf\xc3\xa9 \xe4\xb8\xad " EMOJI);
    json_decref(j);
    msg_free(&m);
}

static void test_empty_message(void **state)
{
    (void)state;
    const char *contents[] = {NULL, "", "   \n\t "};
    for (size_t i = 0; i < 3; i++) {
        struct message m;
        msg_init(&m);
        if (contents[i])
            msg_set_content(&m, "%s", contents[i]);
        json_t *j = msg_to_json(&m, NULL);
        const char *c = jstr(j, "content");
        assert_non_null(c);
        assert_true(strlen(c) > 0);
        json_decref(j);
        json_t *cb = msg_to_callback(&m);
        assert_non_null(jstr(cb, "data.content"));
        json_decref(cb);
        msg_free(&m);
    }
    /* an embed alone needs no content */
    struct message m;
    msg_init(&m);
    msg_add_embed(&m, "Only an embed", NULL);
    json_t *j = msg_to_json(&m, NULL);
    assert_null(json_object_get(j, "content"));
    json_decref(j);
    msg_free(&m);
}

static void test_copy(void **state)
{
    (void)state;
    struct message a, b;
    msg_init(&a);
    msg_set_content(&a, "hi %d", 3);
    msg_append(&a, " and %s", "more");
    struct msg_embed *e = msg_add_embed(&a, "T", "D");
    e->color = 0x123456;
    msg_embed_field(e, "n", "v", true);
    msg_embed_footer(e, "f");
    msg_add_button(&a, "L", "c:1", MSG_BTN_DANGER);
    a.ephemeral = true;
    assert_int_equal(msg_copy(&b, &a), 0);
    json_t *ja = msg_to_json(&a, "n1"), *jb = msg_to_json(&b, "n1");
    assert_true(json_equal(ja, jb));
    assert_string_equal(jstr(jb, "content"), "hi 3 and more");
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(jb, "embeds"), 0), "color")),
                     0x123456);
    json_decref(ja);
    json_decref(jb);
    msg_free(&a);
    msg_free(&b);
}

/* Select menus: one row each above the buttons, long texts cut to the spec's limits,
 * at most 5 rows in all, copied and rendered for the console. */
static void test_selects(void **state)
{
    (void)state;
    struct message m;
    msg_init(&m);
    char longtxt[400];
    memset(longtxt, 'x', sizeof(longtxt) - 1);
    longtxt[sizeof(longtxt) - 1] = '\0';
    for (int i = 0; i < MSG_MAX_SELECTS; i++) {
        char id[32];
        snprintf(id, sizeof(id), "rvs:1:%d", i);
        struct msg_select *s = msg_add_select(&m, id, longtxt);
        assert_non_null(s);
        for (int lv = 1; lv <= 4; lv++) {
            char v[4];
            snprintf(v, sizeof(v), "%d", lv);
            assert_int_equal(msg_select_option(s, lv == 4 ? longtxt : "Good", v,
                                               lv == 1 ? longtxt : NULL, lv == 3),
                             0);
        }
    }
    assert_null(msg_add_select(&m, "one-too-many", NULL));
    for (int i = 0; i < 8; i++)
        assert_int_equal(msg_add_button(&m, "Write feedback", "rvf:1", MSG_BTN_PRIMARY), 0);
    json_t *j = msg_to_json(&m, NULL);
    check_body(j, "MessageCreateRequest");
    json_t *rows = json_object_get(j, "components");
    assert_int_equal(json_array_size(rows), 5); /* 4 selects + 1 row of buttons */
    assert_int_equal(
        json_integer_value(json_object_get(
            json_array_get(json_object_get(json_array_get(rows, 0), "components"), 0), "type")),
        3);
    json_decref(j);
    struct message cp;
    assert_int_equal(msg_copy(&cp, &m), 0);
    assert_int_equal(cp.nselects, MSG_MAX_SELECTS);
    assert_int_equal(cp.selects[2].noptions, 4);
    assert_true(cp.selects[2].options[2].is_default);
    struct buf b;
    buf_init(&b, 1 << 16);
    assert_int_equal(msg_render_text(&cp, &b), 0);
    assert_non_null(strstr(buf_str(&b), "*3=Good*"));
    buf_free(&b);
    msg_free(&cp);
    msg_free(&m);
}

static void test_render_text(void **state)
{
    (void)state;
    struct message m;
    msg_init(&m);
    m.ephemeral = true;
    msg_set_content(&m, "Checked in for day 3.");
    struct msg_embed *e = msg_add_embed(&m, "Your week", "line one\nline two");
    msg_embed_field(e, "Streak", "3 days", true);
    msg_embed_footer(e, "keep going");
    msg_add_button(&m, "Edit", "checkin:edit", MSG_BTN_SECONDARY);
    msg_add_link(&m, "Docs", "https://example.com");
    struct buf b;
    buf_init(&b, 1 << 16);
    assert_int_equal(msg_render_text(&m, &b), 0);
    const char *s = buf_str(&b);
    const char *want[] = {"only you can see this",
                          "Checked in for day 3.",
                          "Your week",
                          "| line one\n",
                          "| line two\n",
                          "Streak: 3 days",
                          "keep going",
                          "[Edit]",
                          "[Docs]"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(s, want[i]))
            fail_msg("rendered text lacks \"%s\":\n%s", want[i], s);
    /* order: content before the embed, the embed before the buttons */
    assert_true(strstr(s, "Checked in") < strstr(s, "Your week"));
    assert_true(strstr(s, "Your week") < strstr(s, "[Edit]"));
    buf_free(&b);
    msg_free(&m);

    msg_init(&m);
    msg_set_modal(&m, "f:1", "Check in");
    msg_modal_input(&m, "hours", "Hours", false, true, 4, NULL);
    buf_init(&b, 4096);
    assert_int_equal(msg_render_text(&m, &b), 0);
    assert_non_null(strstr(buf_str(&b), "Check in"));
    assert_non_null(strstr(buf_str(&b), "Hours"));
    buf_free(&b);
    msg_free(&m);
}

/* Two attachments (a CSV and a chart) go as files[0] and files[1], listed in
 * attachments with ids "0" and "1" (snowflake strings, as the spec types them); a third is refused;
 * copies keep both. */
static void test_two_files(void **state)
{
    (void)state;
    struct message m, c;
    msg_init(&m);
    assert_int_equal(msg_add_file(&m, "a.csv", "x,y\n", 4), 0);
    assert_int_equal(msg_add_file(&m, "chart.png", "\x89PNG", 4), 0);
    assert_int_equal(msg_add_file(&m, "third.txt", "z", 1), BOT_ETOOBIG);
    json_t *o = msg_to_json(&m, NULL);
    json_t *att = json_object_get(o, "attachments");
    assert_int_equal(json_array_size(att), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(att, 1), "id")), "1");
    assert_string_equal(json_string_value(json_object_get(json_array_get(att, 1), "filename")),
                        "chart.png");
    json_decref(o);
    assert_int_equal(msg_copy(&c, &m), 0);
    assert_string_equal(c.file2.name, "chart.png");
    assert_int_equal(c.file2.len, 4);
    msg_free(&c);
    msg_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants_match_spec),
        cmocka_unit_test(test_utf8_helpers),
        cmocka_unit_test(test_text_limits),
        cmocka_unit_test(test_custom_id_limit),
        cmocka_unit_test(test_embed_total),
        cmocka_unit_test(test_nonce_flags_mentions),
        cmocka_unit_test(test_buttons_rows),
        cmocka_unit_test(test_modal),
        cmocka_unit_test(test_autocomplete),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_message),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_render_text),
        cmocka_unit_test(test_selects),
        cmocka_unit_test(test_two_files),
    };
    return cmocka_run_group_tests(tests, load_spec, free_spec);
}
