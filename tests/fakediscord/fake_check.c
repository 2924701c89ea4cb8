/* fake_check.c - checks request bodies the bot sends against Discord's documented
 * limits (discord-notes §4-5, the OpenAPI schemas MessageCreateRequest, interaction
 * callback requests, ApplicationCommandUpdateRequest): lengths in code points,
 * array bounds, enums, snowflake strings. Problems are appended as strings. */
#include "fake.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>

static size_t cps(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void problem(json_t *out, const char *fmt, const char *a, long b)
{
    char m[200];
    snprintf(m, sizeof(m), fmt, a, b);
    json_array_append_new(out, json_string(m));
}

static void max_str(json_t *o, const char *key, size_t max, const char *where, json_t *out)
{
    json_t *v = json_object_get(o, key);
    if (v && !json_is_string(v))
        problem(out, "%s: not a string", where, 0);
    else if (v && cps(json_string_value(v)) > max)
        problem(out, "%s: longer than %ld", where, (long)max);
}

static void check_components(json_t *rows, json_t *out)
{
    size_t i, j;
    json_t *row, *c;
    if (json_array_size(rows) > 5)
        problem(out, "%s: more than 5 action rows", "components", 0);
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "type")) != 1)
            continue;
        json_t *list = json_object_get(row, "components");
        if (json_array_size(list) < 1 || json_array_size(list) > 5)
            problem(out, "%s: action row needs 1-5 children", "components", 0);
        json_array_foreach(list, j, c)
        {
            json_t *cid = json_object_get(c, "custom_id");
            if (cid && (cps(json_string_value(cid)) < 1 || cps(json_string_value(cid)) > 100))
                problem(out, "%s: custom_id must be 1-100", "components", 0);
            max_str(c, "label", 80, "button label", out);
            if (json_integer_value(json_object_get(c, "style")) == 5 && cid)
                problem(out, "%s: link button with custom_id", "components", 0);
        }
    }
}

static void check_message(json_t *m, json_t *out)
{
    max_str(m, "content", 2000, "content", out);
    json_t *embeds = json_object_get(m, "embeds");
    if (json_array_size(embeds) > 10)
        problem(out, "%s: more than 10", "embeds", 0);
    size_t i, k;
    json_t *e, *fld;
    json_array_foreach(embeds, i, e)
    {
        max_str(e, "title", 256, "embed title", out);
        max_str(e, "description", 4096, "embed description", out);
        max_str(json_object_get(e, "footer"), "text", 2048, "embed footer", out);
        json_t *fields = json_object_get(e, "fields");
        if (json_array_size(fields) > 25)
            problem(out, "%s: more than 25 fields", "embed", 0);
        json_array_foreach(fields, k, fld)
        {
            max_str(fld, "name", 256, "field name", out);
            max_str(fld, "value", 1024, "field value", out);
        }
    }
    check_components(json_object_get(m, "components"), out);
    json_t *nonce = json_object_get(m, "nonce");
    if (nonce && json_is_string(nonce) && cps(json_string_value(nonce)) > 25)
        problem(out, "%s: longer than 25", "nonce", 0);
    if (json_object_get(m, "enforce_nonce") && !nonce)
        problem(out, "%s: enforce_nonce without nonce", "nonce", 0);
}

static bool name_ok(const char *s)
{
    regex_t re;
    if (!s || regcomp(&re, "^[-_a-z0-9]{1,32}$", REG_EXTENDED | REG_NOSUB))
        return false;
    bool ok = regexec(&re, s, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static void check_options(json_t *opts, const char *cmd, json_t *out)
{
    size_t i;
    json_t *o;
    bool seen_optional = false;
    if (json_array_size(opts) > 25)
        problem(out, "/%s: more than 25 options", cmd, 0);
    json_array_foreach(opts, i, o)
    {
        json_int_t t = json_integer_value(json_object_get(o, "type"));
        if (t < 1 || t > 11)
            problem(out, "/%s: option type out of range", cmd, (long)t);
        if (!name_ok(json_string_value(json_object_get(o, "name"))))
            problem(out, "/%s: bad option name", cmd, 0);
        size_t dl = cps(json_string_value(json_object_get(o, "description")));
        if (dl < 1 || dl > 100)
            problem(out, "/%s: option description must be 1-100", cmd, 0);
        bool req = json_is_true(json_object_get(o, "required"));
        if (req && seen_optional && t > 2)
            problem(out, "/%s: required option after an optional one", cmd, 0);
        seen_optional |= !req;
        if (json_array_size(json_object_get(o, "choices")) > 25)
            problem(out, "/%s: more than 25 choices", cmd, 0);
        if (t <= 2)
            check_options(json_object_get(o, "options"), cmd, out);
    }
}

static void check_commands(json_t *arr, json_t *out)
{
    if (!json_is_array(arr)) {
        problem(out, "%s: not an array", "commands", 0);
        return;
    }
    if (json_array_size(arr) > 100)
        problem(out, "%s: more than 100", "commands", 0);
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        if (!name_ok(name))
            problem(out, "command name '%s' invalid", name ? name : "", 0);
        size_t dl = cps(json_string_value(json_object_get(c, "description")));
        if (dl < 1 || dl > 100)
            problem(out, "/%s: description must be 1-100", name ? name : "", 0);
        json_t *perm = json_object_get(c, "default_member_permissions");
        if (perm && !json_is_null(perm) && !json_is_string(perm))
            problem(out, "/%s: default_member_permissions must be a string", name ? name : "", 0);
        check_options(json_object_get(c, "options"), name ? name : "", out);
    }
}

static void check_callback(json_t *b, json_t *out)
{
    json_int_t t = json_integer_value(json_object_get(b, "type"));
    json_t *data = json_object_get(b, "data");
    if (t != 1 && (t < 4 || t > 9))
        problem(out, "%s: callback type %ld not allowed", "callback", (long)t);
    if (t == 4 || t == 7)
        check_message(data, out);
    if (t == 8 && json_array_size(json_object_get(data, "choices")) > 25)
        problem(out, "%s: more than 25 choices", "autocomplete", 0);
    if (t == 9) {
        size_t cl = cps(json_string_value(json_object_get(data, "custom_id")));
        if (cl < 1 || cl > 100)
            problem(out, "%s: modal custom_id must be 1-100", "modal", 0);
        max_str(data, "title", 45, "modal title", out);
        size_t n = json_array_size(json_object_get(data, "components"));
        if (n < 1 || n > 5)
            problem(out, "%s: modal needs 1-5 components", "modal", 0);
    }
}

void fake_validate(const char *method, const char *path, json_t *body, json_t *out)
{
    size_t pl = strlen(path);
    bool ends_messages = pl > 9 && !strcmp(path + pl - 9, "/messages");
    if (strstr(path, "/scheduled-events"))
        fake_events_validate(method, path, body, out);
    else if (!strcmp(method, "POST") && !strncmp(path, "/channels/", 10) && ends_messages)
        check_message(body, out);
    else if (!strcmp(method, "POST") && !strncmp(path, "/interactions/", 14))
        check_callback(body, out);
    else if (!strncmp(path, "/webhooks/", 10)) {
        check_message(body, out);
        size_t n = strlen(path);
        if (!strcmp(method, "PATCH") && n > 19 && !strcmp(path + n - 19, "/messages/@original"))
            fake_schema_check("IncomingWebhookUpdateRequestPartial", body, out);
    } else if (!strcmp(method, "PUT") && strstr(path, "/commands"))
        check_commands(body, out);
    else if (!strcmp(method, "POST") && !strcmp(path, "/users/@me/channels")) {
        const char *rid = json_string_value(json_object_get(body, "recipient_id"));
        if (!rid || !*rid || strspn(rid, "0123456789") != strlen(rid))
            problem(out, "%s: recipient_id must be a snowflake string", "dm", 0);
    } else if (!strcmp(method, "POST") && !strncmp(path, "/guilds/", 8)) {
        size_t nl = cps(json_string_value(json_object_get(body, "name")));
        if (nl < 1 || nl > 100)
            problem(out, "%s: channel name must be 1-100", "channel", 0);
        max_str(body, "topic", 1024, "channel topic", out);
    }
}
