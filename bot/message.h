/* message.h - struct message, the transport-neutral reply/post built by domain code,
 * and its one serializer to Discord JSON. Serializing applies Discord's limits
 * (content 2000 chars, embed title 256 / description 4096 / 25 fields (name 256,
 * value 1024) / footer 2048 / 6000 total, custom_id <= 100, label <= 80) by cutting
 * text cleanly at a UTF-8 boundary with an ellipsis, never by failing. Any thread;
 * a message is owned by whoever called msg_init and freed with msg_free. */
#ifndef COHORT_MESSAGE_H
#define COHORT_MESSAGE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/buf.h"

#define MSG_CONTENT_MAX 2000
#define MSG_MAX_EMBEDS 10
#define MSG_MAX_FIELDS 25
#define MSG_MAX_BUTTONS 25 /* 5 action rows of 5 */
#define MSG_MAX_CHOICES 25
#define MSG_MAX_INPUTS 5
#define MSG_MAX_SELECTS 4 /* string selects, one action row each, above the button rows */
#define MSG_MAX_OPTIONS 25
#define MSG_EMBED_TITLE_MAX 256
#define MSG_EMBED_DESC_MAX 4096
#define MSG_FIELD_NAME_MAX 256
#define MSG_FIELD_VALUE_MAX 1024
#define MSG_FOOTER_MAX 2048
#define MSG_EMBED_TOTAL_MAX 6000
#define MSG_CUSTOM_ID_MAX 100
#define MSG_LABEL_MAX 80

enum msg_kind {
    MSG_KIND_MESSAGE = 0, /* a normal message (or interaction reply type 4) */
    MSG_KIND_UPDATE,      /* interaction reply that edits the component's message (type 7) */
    MSG_KIND_MODAL,       /* interaction reply opening a modal (type 9) */
    MSG_KIND_CHOICES,     /* autocomplete result (type 8) */
};

enum msg_button_style {
    MSG_BTN_PRIMARY = 1,
    MSG_BTN_SECONDARY = 2,
    MSG_BTN_SUCCESS = 3,
    MSG_BTN_DANGER = 4,
    MSG_BTN_LINK = 5,
};

struct msg_field {
    char *name, *value;
    bool is_inline;
};

struct msg_embed {
    char *title, *description, *url, *footer;
    char *image; /* image.url, e.g. "attachment://progress.png"; NULL = none */
    uint32_t color;
    struct msg_field fields[MSG_MAX_FIELDS];
    int nfields;
};

struct msg_button {
    char *label, *custom_id, *url;
    enum msg_button_style style;
};

struct msg_choice {
    char *name, *value;
};

struct msg_input { /* a modal text input */
    char *custom_id, *label, *placeholder, *value;
    bool paragraph, required;
    int max_len;
};

struct msg_option {                    /* one option of a string select */
    char *label, *value, *description; /* description may be NULL */
    bool is_default;
};

struct msg_select { /* a string select menu (component type 3), one value picked */
    char *custom_id, *placeholder;
    struct msg_option options[MSG_MAX_OPTIONS];
    int noptions;
};

struct msg_file { /* one attachment, sent as multipart */
    char *name;
    char *data;
    size_t len;
};

struct message {
    enum msg_kind kind;
    char *content;
    struct msg_embed embeds[MSG_MAX_EMBEDS];
    int nembeds;
    struct msg_button buttons[MSG_MAX_BUTTONS];
    int nbuttons;
    bool ephemeral;
    bool mention_users; /* allowed_mentions: users only; default none at all */
    struct msg_file file;  /* files[0] */
    struct msg_file file2; /* files[1]: a second attachment (e.g. a chart beside a CSV) */
    char *modal_id, *modal_title;
    struct msg_input inputs[MSG_MAX_INPUTS];
    int ninputs;
    struct msg_choice choices[MSG_MAX_CHOICES];
    int nchoices;
    /* select menus come before the buttons; with selects, at most
     * 5 - nselects rows of buttons are sent (extra buttons are dropped) */
    struct msg_select selects[MSG_MAX_SELECTS];
    int nselects;
};

void msg_init(struct message *m);
void msg_free(struct message *m); /* releases everything; m is re-initialised */

/* All setters copy their strings. They return 0, BOT_ENOMEM, or BOT_EFULL when a
 * fixed array (embeds, fields, buttons, choices, inputs) is full. */
int msg_set_content(struct message *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int msg_append(struct message *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the new embed (borrowed, owned by m) or NULL. desc may be NULL. */
struct msg_embed *msg_add_embed(struct message *m, const char *title, const char *desc);
int msg_embed_field(struct msg_embed *e, const char *name, const char *value, bool is_inline);
int msg_embed_footer(struct msg_embed *e, const char *footer);
int msg_embed_image(struct msg_embed *e, const char *url);
int msg_add_button(struct message *m, const char *label, const char *custom_id,
                   enum msg_button_style style);
int msg_add_link(struct message *m, const char *label, const char *url);
int msg_add_choice(struct message *m, const char *name, const char *value);
int msg_set_modal(struct message *m, const char *custom_id, const char *title);
int msg_modal_input(struct message *m, const char *custom_id, const char *label, bool paragraph,
                    bool required, int max_len, const char *placeholder);
/* Adds a string select (returns it, borrowed, or NULL when full / out of memory)
 * and options to it (BOT_EFULL past MSG_MAX_OPTIONS). description may be NULL. */
struct msg_select *msg_add_select(struct message *m, const char *custom_id,
                                  const char *placeholder);
int msg_select_option(struct msg_select *s, const char *label, const char *value,
                      const char *description, bool is_default);
/* Takes a copy of data. */
int msg_set_file(struct message *m, const char *name, const char *data, size_t len);
/* Attaches into the first free slot (file, then file2). 0, BOT_ENOMEM, or BOT_ETOOBIG
 * when both slots are taken. */
int msg_add_file(struct message *m, const char *name, const char *data, size_t len);
/* Deep copy into dst (dst is initialised by the call). */
int msg_copy(struct message *dst, const struct message *src);

/* Message body for POST /channels/{id}/messages, webhook edits and follow-ups:
 * new reference (caller decrefs), NULL only on allocation failure. `nonce` (<= 25
 * chars) may be NULL; when given, enforce_nonce is set. Limits applied. */
json_t *msg_to_json(const struct message *m, const char *nonce);
/* Interaction callback body {type, data} for the message's kind: new reference. */
json_t *msg_to_callback(const struct message *m);
/* Human-readable rendering for the console (embeds as titled blocks, buttons as
 * [label]). 0 or a buf error. */
int msg_render_text(const struct message *m, struct buf *out);

/* Number of bytes of s that hold at most max_chars code points, cut at a UTF-8
 * boundary. Pure. */
size_t msg_utf8_prefix(const char *s, size_t max_chars);
/* Code points in s (invalid bytes count as one each). */
size_t msg_utf8_len(const char *s);

#endif
