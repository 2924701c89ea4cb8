/* interaction.c - validating an untrusted INTERACTION_CREATE payload (see interaction.h). */
#include "commands/interaction.h"
#include "bot/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool snowflake_valid(const char *s)
{
    if (!s || !*s || strlen(s) > 20)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    (void)v;
    return errno == 0 && *end == '\0';
}

/* Copies a snowflake field (string, or integer as some payloads send) into dst. */
static int get_id(json_t *obj, const char *key, char dst[IX_ID_LEN], bool required)
{
    json_t *v = json_object_get(obj, key);
    dst[0] = '\0';
    if (!v || json_is_null(v))
        return required ? BOT_EINVAL : 0;
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        snprintf(dst, IX_ID_LEN, "%lld", (long long)json_integer_value(v));
        return 0;
    }
    const char *s = json_string_value(v);
    if (!snowflake_valid(s))
        return BOT_EINVAL;
    snprintf(dst, IX_ID_LEN, "%s", s);
    return 0;
}

/* Copies src into dst[size], cutting at a UTF-8 character boundary when it does not
 * fit (a display name is up to 32 characters of up to 4 bytes each). */
static void copy_utf8(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--; /* src[n] is now the first byte that does not fit */
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int parse_user(json_t *d, struct interaction *ix)
{
    json_t *member = json_object_get(d, "member");
    json_t *user = json_object_get(member, "user");
    if (!json_is_object(user))
        user = json_object_get(d, "user");
    if (!json_is_object(user) || get_id(user, "id", ix->user_id, true))
        return BOT_EINVAL;
    json_t *gn = json_object_get(user, "global_name");
    const char *name =
        json_string_value(json_is_string(gn) ? gn : json_object_get(user, "username"));
    copy_utf8(ix->user_name, sizeof(ix->user_name), name ? name : ix->user_id);
    const char *perms = json_string_value(json_object_get(member, "permissions"));
    if (perms) {
        char *end;
        errno = 0;
        unsigned long long p = strtoull(perms, &end, 10);
        if (errno || *end)
            return BOT_EINVAL;
        ix->permissions = p;
    }
    return 0;
}

int ix_parse(json_t *d, struct interaction *ix, char *err, size_t errlen)
{
    memset(ix, 0, sizeof(*ix));
    const char *why = NULL;
    if (!json_is_object(d))
        why = "interaction is not an object";
    else if (!json_is_integer(json_object_get(d, "type")))
        why = "type missing";
    if (!why) {
        json_int_t t = json_integer_value(json_object_get(d, "type"));
        if (t < IX_PING || t > IX_MODAL)
            why = "unknown interaction type";
        ix->type = (enum ix_type)t;
    }
    if (!why && get_id(d, "id", ix->id, true))
        why = "id missing or not a snowflake";
    if (!why && get_id(d, "application_id", ix->application_id, true))
        why = "application_id missing or not a snowflake";
    if (!why && (get_id(d, "guild_id", ix->guild_id, false) ||
                 get_id(d, "channel_id", ix->channel_id, false)))
        why = "guild_id/channel_id not a snowflake";
    const char *tok = why ? NULL : json_string_value(json_object_get(d, "token"));
    if (!why && (!tok || !*tok || strlen(tok) > 1024))
        why = "token missing";
    if (!why && ix->type != IX_PING && parse_user(d, ix))
        why = "member/user missing or malformed";
    json_t *data = why ? NULL : json_object_get(d, "data");
    if (!why && ix->type != IX_PING && !json_is_object(data))
        why = "data missing";
    if (!why && (ix->type == IX_COMMAND || ix->type == IX_AUTOCOMPLETE) &&
        !json_is_string(json_object_get(data, "name")))
        why = "data.name missing";
    if (!why && (ix->type == IX_COMPONENT || ix->type == IX_MODAL) &&
        !json_is_string(json_object_get(data, "custom_id")))
        why = "data.custom_id missing";
    if (why) {
        snprintf(err, errlen, "%s", why);
        memset(ix, 0, sizeof(*ix));
        return BOT_EINVAL;
    }
    ix->token = strdup(tok);
    if (!ix->token)
        return BOT_ENOMEM;
    ix->data = json_incref(data);
    ix->resolved = json_object_get(data, "resolved");
    const char *ap = json_string_value(json_object_get(d, "app_permissions"));
    if (ap) { /* the bot's own permissions in the channel; unknown (0) when absent or bad */
        char *end;
        errno = 0;
        unsigned long long p = strtoull(ap, &end, 10);
        ix->app_permissions = errno || *end ? 0 : p;
        ix->has_app_permissions = !errno && !*end;
    }
    return 0;
}

int ix_copy(struct interaction *dst, const struct interaction *src)
{
    *dst = *src;
    dst->token = src->token ? strdup(src->token) : NULL;
    if (src->token && !dst->token)
        return BOT_ENOMEM;
    json_incref(dst->data);
    return 0;
}

void ix_free(struct interaction *ix)
{
    if (!ix)
        return;
    if (ix->token)
        memset(ix->token, 0, strlen(ix->token));
    free(ix->token);
    json_decref(ix->data);
    ix->token = NULL;
    ix->data = NULL;
    ix->resolved = NULL;
}

bool ix_is_admin(const struct interaction *ix)
{
    return (ix->permissions & (PERM_ADMINISTRATOR | PERM_MANAGE_GUILD)) != 0;
}
