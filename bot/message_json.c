/* message_json.c - the one place that turns struct message into Discord JSON,
 * applying Discord's length limits by cutting text at a UTF-8 boundary. */
#include "bot/err.h"
#include "bot/message.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6"

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t msg_utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if (!is_cont(*p))
            n++;
    return n;
}

size_t msg_utf8_prefix(const char *s, size_t max_chars)
{
    size_t chars = 0, i = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (p[i]) {
        if (!is_cont(p[i])) {
            if (chars == max_chars)
                break;
            chars++;
        }
        i++;
    }
    return i;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0 when the byte at p does not start one. */
static int utf8_seq_len(const unsigned char *p)
{
    unsigned char c = p[0], lo = 0x80, hi = 0xBF;
    int n;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0; /* overlong 3-byte */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong 4-byte */
    else if (c == 0xF4)
        hi = 0x8F; /* above U+10FFFF */
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if (!is_cont(p[i]))
            return 0;
    return n;
}

/* Replaces every byte that is not part of well-formed UTF-8 with '?', in place, so
 * jansson (which refuses ill-formed strings) never drops a field. */
static void sanitize_utf8(char *s)
{
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int n = utf8_seq_len(p);
        if (!n) {
            *p++ = '?';
            continue;
        }
        p += n;
    }
}

/* An identifier (custom_id) cut to MSG_CUSTOM_ID_MAX characters at a character
 * boundary, without ellipsis; fallback when s is NULL or empty. New reference. */
static json_t *cut_id(const char *s, const char *fallback)
{
    char *tmp = strdup(s && *s ? s : fallback);
    if (!tmp)
        return NULL;
    sanitize_utf8(tmp);
    json_t *v = json_stringn(tmp, msg_utf8_prefix(tmp, MSG_CUSTOM_ID_MAX));
    free(tmp);
    return v;
}

/* Whitespace-trimmed copy of s cut to max characters (with an ellipsis when cut).
 * Returns a jansson string (new reference) or NULL for NULL/empty input. */
static json_t *cut_string(const char *s, size_t max)
{
    if (!s)
        return NULL;
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t len = strlen(s);
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (!len)
        return NULL;
    char *tmp = strndup(s, len);
    if (!tmp)
        return NULL;
    json_t *out;
    sanitize_utf8(tmp);
    if (msg_utf8_len(tmp) <= max) {
        out = json_stringn(tmp, len);
    } else {
        size_t keep = msg_utf8_prefix(tmp, max - 1);
        /* prefer cutting at a space or newline within the last 10% */
        for (size_t k = keep; k > keep - keep / 10 && k > 0; k--) {
            if (tmp[k] == ' ' || tmp[k] == '\n') {
                keep = k;
                break;
            }
        }
        char *cut = malloc(keep + sizeof(ELLIPSIS));
        if (!cut) {
            free(tmp);
            return NULL;
        }
        memcpy(cut, tmp, keep);
        memcpy(cut + keep, ELLIPSIS, sizeof(ELLIPSIS));
        out = json_string(cut);
        free(cut);
    }
    free(tmp);
    if (out && !json_is_string(out)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static void set_cut(json_t *obj, const char *key, const char *s, size_t max)
{
    json_t *v = cut_string(s, max);
    if (v)
        json_object_set_new(obj, key, v);
}

static size_t jlen(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v ? msg_utf8_len(json_string_value(v)) : 0;
}

static json_t *embed_json(const struct msg_embed *e, size_t *total)
{
    json_t *o = json_object();
    set_cut(o, "title", e->title, MSG_EMBED_TITLE_MAX);
    set_cut(o, "description", e->description, MSG_EMBED_DESC_MAX);
    set_cut(o, "url", e->url, 2048);
    if (e->color)
        json_object_set_new(o, "color", json_integer(e->color & 0xFFFFFF));
    if (e->image) {
        json_t *img = json_object();
        set_cut(img, "url", e->image, 2048);
        json_object_set_new(o, "image", img);
    }
    *total += jlen(o, "title") + jlen(o, "description");
    if (e->footer) {
        json_t *f = json_object();
        set_cut(f, "text", e->footer, MSG_FOOTER_MAX);
        *total += jlen(f, "text");
        json_object_set_new(o, "footer", f);
    }
    if (e->nfields) {
        json_t *arr = json_array();
        for (int i = 0; i < e->nfields && i < MSG_MAX_FIELDS; i++) {
            json_t *f = json_object();
            set_cut(f, "name", e->fields[i].name, MSG_FIELD_NAME_MAX);
            set_cut(f, "value", e->fields[i].value, MSG_FIELD_VALUE_MAX);
            if (!json_object_get(f, "name"))
                json_object_set_new(f, "name", json_string("\xe2\x80\x8b"));
            if (!json_object_get(f, "value"))
                json_object_set_new(f, "value", json_string("-"));
            json_object_set_new(f, "inline", json_boolean(e->fields[i].is_inline));
            *total += jlen(f, "name") + jlen(f, "value");
            json_array_append_new(arr, f);
        }
        json_object_set_new(o, "fields", arr);
    }
    return o;
}

/* Cuts obj.key so that the running total drops towards the 6000 maximum; returns the
 * new total. */
static size_t shrink(json_t *obj, const char *key, size_t total)
{
    size_t have = jlen(obj, key);
    if (!have || total <= MSG_EMBED_TOTAL_MAX)
        return total;
    size_t excess = total - MSG_EMBED_TOTAL_MAX;
    size_t keep = have > excess + 1 ? have - excess : 1;
    if (keep >= have)
        return total;
    json_t *v = cut_string(json_string_value(json_object_get(obj, key)), keep);
    if (!v)
        v = json_string("-");
    size_t now = v ? msg_utf8_len(json_string_value(v)) : 0;
    json_object_set_new(obj, key, v);
    return total - have + now;
}

/* Shrinks the embeds until the message-wide total is within 6000 characters: first
 * descriptions, then field values, footers, field names and titles, last embed
 * first. Every part can shrink to one character, and 10 embeds of 25 fields at one
 * character each stay far below 6000, so this always fits. */
static void fit_total(json_t *embeds, size_t total)
{
    for (int pass = 0; pass < 5 && total > MSG_EMBED_TOTAL_MAX; pass++) {
        for (size_t i = json_array_size(embeds); i-- > 0 && total > MSG_EMBED_TOTAL_MAX;) {
            json_t *e = json_array_get(embeds, i);
            json_t *fields = json_object_get(e, "fields");
            if (pass == 0)
                total = shrink(e, "description", total);
            else if (pass == 2)
                total = shrink(json_object_get(e, "footer"), "text", total);
            else if (pass == 4)
                total = shrink(e, "title", total);
            for (size_t f = json_array_size(fields);
                 (pass == 1 || pass == 3) && f-- > 0 && total > MSG_EMBED_TOTAL_MAX;)
                total = shrink(json_array_get(fields, f), pass == 1 ? "value" : "name", total);
        }
    }
}

/* One action row holding a string select (type 3): labels 100, values 100,
 * descriptions 100, placeholder 150 characters. */
static json_t *select_row(const struct msg_select *s)
{
    json_t *sel = json_object(), *opts = json_array();
    json_object_set_new(sel, "type", json_integer(3));
    json_object_set_new(sel, "custom_id", cut_id(s->custom_id, "select"));
    set_cut(sel, "placeholder", s->placeholder, 150);
    for (int j = 0; j < s->noptions && j < MSG_MAX_OPTIONS; j++) {
        const struct msg_option *o = &s->options[j];
        json_t *jo = json_object();
        set_cut(jo, "label", o->label ? o->label : "?", 100);
        set_cut(jo, "value", o->value ? o->value : "?", 100);
        set_cut(jo, "description", o->description, 100);
        if (o->is_default)
            json_object_set_new(jo, "default", json_true());
        json_array_append_new(opts, jo);
    }
    json_object_set_new(sel, "options", opts);
    json_object_set_new(sel, "min_values", json_integer(1));
    json_object_set_new(sel, "max_values", json_integer(1));
    json_t *row = json_object(), *list = json_array();
    json_array_append_new(list, sel);
    json_object_set_new(row, "type", json_integer(1));
    json_object_set_new(row, "components", list);
    return row;
}

static json_t *components_json(const struct message *m)
{
    json_t *rows = json_array();
    json_t *row = NULL;
    for (int i = 0; i < m->nselects && i < MSG_MAX_SELECTS; i++)
        json_array_append_new(rows, select_row(&m->selects[i]));
    int max_buttons = (5 - (m->nselects < MSG_MAX_SELECTS ? m->nselects : MSG_MAX_SELECTS)) * 5;
    for (int i = 0; i < m->nbuttons && i < MSG_MAX_BUTTONS && i < max_buttons; i++) {
        const struct msg_button *b = &m->buttons[i];
        if (i % 5 == 0) {
            row = json_object();
            json_object_set_new(row, "type", json_integer(1));
            json_object_set_new(row, "components", json_array());
            json_array_append_new(rows, row);
        }
        json_t *o = json_object();
        json_object_set_new(o, "type", json_integer(2));
        json_object_set_new(o, "style", json_integer(b->style));
        set_cut(o, "label", b->label ? b->label : "?", MSG_LABEL_MAX);
        if (b->style == MSG_BTN_LINK) {
            set_cut(o, "url", b->url, 512);
        } else {
            /* custom_ids are built by us; an over-long one is cut, not rejected */
            json_object_set_new(o, "custom_id", cut_id(b->custom_id, "none"));
        }
        json_array_append_new(json_object_get(row, "components"), o);
    }
    return rows;
}

static json_t *message_data(const struct message *m)
{
    json_t *o = json_object();
    set_cut(o, "content", m->content, MSG_CONTENT_MAX);
    if (m->nembeds) {
        json_t *arr = json_array();
        size_t total = 0;
        for (int i = 0; i < m->nembeds && i < MSG_MAX_EMBEDS; i++)
            json_array_append_new(arr, embed_json(&m->embeds[i], &total));
        fit_total(arr, total);
        json_object_set_new(o, "embeds", arr);
    }
    if (m->nbuttons || m->nselects)
        json_object_set_new(o, "components", components_json(m));
    json_t *am = json_object();
    json_t *parse = json_array();
    if (m->mention_users)
        json_array_append_new(parse, json_string("users"));
    json_object_set_new(am, "parse", parse);
    json_object_set_new(o, "allowed_mentions", am);
    if (m->ephemeral)
        json_object_set_new(o, "flags", json_integer(64));
    if (m->file.name) {
        json_t *arr = json_array();
        const struct msg_file *files[2] = {&m->file, &m->file2};
        for (int i = 0; i < 2 && files[i]->name; i++) {
            json_t *att = json_object();
            /* the upload's index, as the snowflake string the spec types it as */
            json_object_set_new(att, "id", json_string(i ? "1" : "0"));
            set_cut(att, "filename", files[i]->name, 100);
            json_array_append_new(arr, att);
        }
        json_object_set_new(o, "attachments", arr);
    }
    if (!json_object_get(o, "content") && !m->nembeds && !m->nbuttons && !m->nselects &&
        !m->file.name)
        json_object_set_new(o, "content", json_string("-")); /* Discord rejects empty (50006) */
    return o;
}

json_t *msg_to_json(const struct message *m, const char *nonce)
{
    json_t *o = message_data(m);
    if (o && nonce && *nonce) {
        json_object_set_new(o, "nonce",
                            json_stringn(nonce, strlen(nonce) > 25 ? 25 : strlen(nonce)));
        json_object_set_new(o, "enforce_nonce", json_true());
    }
    return o;
}

static json_t *modal_data(const struct message *m)
{
    json_t *o = json_object();
    json_object_set_new(o, "custom_id", cut_id(m->modal_id, "modal"));
    set_cut(o, "title", m->modal_title ? m->modal_title : "Form", 45);
    json_t *comps = json_array();
    for (int i = 0; i < m->ninputs; i++) {
        const struct msg_input *in = &m->inputs[i];
        json_t *ti = json_object();
        json_object_set_new(ti, "type", json_integer(4));
        json_object_set_new(ti, "custom_id", cut_id(in->custom_id, "input"));
        json_object_set_new(ti, "style", json_integer(in->paragraph ? 2 : 1));
        json_object_set_new(ti, "required", json_boolean(in->required));
        if (in->max_len > 0)
            json_object_set_new(ti, "max_length",
                                json_integer(in->max_len > 4000 ? 4000 : in->max_len));
        set_cut(ti, "placeholder", in->placeholder, 100);
        json_t *label = json_object();
        json_object_set_new(label, "type", json_integer(18));
        set_cut(label, "label", in->label ? in->label : "Value", 45);
        json_object_set_new(label, "component", ti);
        json_array_append_new(comps, label);
    }
    json_object_set_new(o, "components", comps);
    return o;
}

json_t *msg_to_callback(const struct message *m)
{
    json_t *cb = json_object();
    json_t *data = NULL;
    int type = 4;
    switch (m->kind) {
    case MSG_KIND_UPDATE:
        type = 7;
        data = message_data(m);
        /* an edit keeps what it omits: clear the old content, embeds and buttons */
        if (data && !json_object_get(data, "content"))
            json_object_set_new(data, "content", json_string(""));
        if (data && !m->nembeds)
            json_object_set_new(data, "embeds", json_array());
        if (data && !m->nbuttons)
            json_object_set_new(data, "components", json_array());
        break;
    case MSG_KIND_MODAL:
        type = 9;
        data = modal_data(m);
        break;
    case MSG_KIND_CHOICES: {
        type = 8;
        data = json_object();
        json_t *arr = json_array();
        for (int i = 0; i < m->nchoices; i++) {
            json_t *c = json_object();
            set_cut(c, "name", m->choices[i].name, 100);
            set_cut(c, "value", m->choices[i].value, 100);
            json_array_append_new(arr, c);
        }
        json_object_set_new(data, "choices", arr);
        break;
    }
    default:
        data = message_data(m);
    }
    json_object_set_new(cb, "type", json_integer(type));
    json_object_set_new(cb, "data", data);
    return cb;
}

/* "| name: first line" then "|   next line" for each further line. */
static int render_lines(struct buf *out, const char *name, const char *text)
{
    int rc = 0;
    bool first = true;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n || !nl) {
            if (first && name)
                rc |= buf_printf(out, "| %s: %.*s\n", name, (int)n, p);
            else
                rc |= buf_printf(out, "| %s%.*s\n", name ? "  " : "", (int)n, p);
            first = false;
        }
        p += n + (nl ? 1 : 0);
    }
    return rc;
}

int msg_render_text(const struct message *m, struct buf *out)
{
    int rc = 0;
    if (m->kind == MSG_KIND_MODAL) {
        rc |= buf_printf(out, "[form: %s]\n", m->modal_title ? m->modal_title : "");
        for (int i = 0; i < m->ninputs; i++)
            rc |= buf_printf(out, "  %s: ____\n", m->inputs[i].label ? m->inputs[i].label : "");
        return rc ? BOT_ENOMEM : 0;
    }
    if (m->kind == MSG_KIND_CHOICES) {
        for (int i = 0; i < m->nchoices; i++)
            rc |= buf_printf(out, "  %s\n", m->choices[i].name);
        return rc ? BOT_ENOMEM : 0;
    }
    if (m->ephemeral)
        rc |= buf_puts(out, "(only you can see this)\n");
    if (m->content)
        rc |= buf_printf(out, "%s\n", m->content);
    for (int i = 0; i < m->nembeds; i++) {
        const struct msg_embed *e = &m->embeds[i];
        rc |= buf_printf(out, "+-- %s\n", e->title ? e->title : "");
        if (e->description)
            rc |= render_lines(out, NULL, e->description);
        for (int f = 0; f < e->nfields; f++)
            rc |= render_lines(out, e->fields[f].name, e->fields[f].value);
        if (e->footer)
            rc |= buf_printf(out, "| -- %s\n", e->footer);
        rc |= buf_puts(out, "+--\n");
    }
    for (int i = 0; i < m->nselects; i++) {
        const struct msg_select *sel = &m->selects[i];
        rc |= buf_printf(out, "<%s:", sel->placeholder ? sel->placeholder : sel->custom_id);
        for (int j = 0; j < sel->noptions; j++)
            rc |= buf_printf(out, " %s%s=%s%s", sel->options[j].is_default ? "*" : "",
                             sel->options[j].value, sel->options[j].label,
                             sel->options[j].is_default ? "*" : "");
        rc |= buf_puts(out, ">\n");
    }
    for (int i = 0; i < m->nbuttons; i++)
        rc |= buf_printf(out, "%s[%s]", i ? " " : "", m->buttons[i].label);
    if (m->nbuttons)
        rc |= buf_puts(out, "\n");
    if (m->file.name)
        rc |= buf_printf(out, "(attached file %s, %zu bytes)\n", m->file.name, m->file.len);
    if (m->file2.name)
        rc |= buf_printf(out, "(attached file %s, %zu bytes)\n", m->file2.name, m->file2.len);
    return rc ? BOT_ENOMEM : 0;
}
