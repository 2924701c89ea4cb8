/* interaction.h - a parsed INTERACTION_CREATE (or a console line dressed as one).
 * ix_parse validates the untrusted gateway payload into this plain struct; nothing
 * in it is trusted beyond "well-formed". Any thread; value type, free with ix_free. */
#ifndef COHORT_INTERACTION_H
#define COHORT_INTERACTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define IX_ID_LEN 24 /* snowflakes are at most 20 digits */

enum ix_type {
    IX_PING = 1,
    IX_COMMAND = 2,
    IX_COMPONENT = 3,
    IX_AUTOCOMPLETE = 4,
    IX_MODAL = 5,
};

/* Discord permission bits we check ourselves. */
#define PERM_ADMINISTRATOR (UINT64_C(1) << 3)
#define PERM_MANAGE_CHANNELS (UINT64_C(1) << 4)
#define PERM_MANAGE_GUILD (UINT64_C(1) << 5)
#define PERM_MANAGE_EVENTS (UINT64_C(1) << 33)

struct interaction {
    enum ix_type type;
    char id[IX_ID_LEN];
    char application_id[IX_ID_LEN];
    char guild_id[IX_ID_LEN]; /* "" in DMs */
    char channel_id[IX_ID_LEN];
    char user_id[IX_ID_LEN];
    char user_name[64];
    char *token;          /* owned; a secret: never log it */
    uint64_t permissions; /* member.permissions; 0 in DMs */
    uint64_t app_permissions; /* the bot's permissions in the channel (app_permissions) */
    bool has_app_permissions; /* app_permissions was sent */
    json_t *data;         /* owned reference to d.data (command name/options, custom_id…) */
    json_t *resolved;     /* borrowed from data: data.resolved or NULL */
    int64_t received_ms;  /* monotonic ms when it arrived (for the 3 s deadline) */
    bool deferred;        /* a type 5/6 ack went out; answer by editing @original */
    bool console;         /* came from the console, not Discord */
};

/* Parses d of an INTERACTION_CREATE. 0 or BOT_EINVAL with a reason in err.
 * On success the caller owns *out and frees it with ix_free. */
int ix_parse(json_t *d, struct interaction *out, char *err, size_t errlen);
int ix_copy(struct interaction *dst, const struct interaction *src);
void ix_free(struct interaction *ix);
/* Member has Administrator or Manage Guild. */
bool ix_is_admin(const struct interaction *ix);
/* Helpers for snowflakes: a decimal string of 1-20 digits that fits in uint64. */
bool snowflake_valid(const char *s);

#endif
