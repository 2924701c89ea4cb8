/* message.c - building struct message and serializing it to Discord JSON with the
 * limits applied by clean cutting (see message.h). */
#include "bot/message.h"
#include "bot/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, one character */

void msg_init(struct message *m)
{
    memset(m, 0, sizeof(*m));
}

static void embed_free(struct msg_embed *e)
{
    free(e->title);
    free(e->description);
    free(e->url);
    free(e->footer);
    free(e->image);
    for (int i = 0; i < e->nfields; i++) {
        free(e->fields[i].name);
        free(e->fields[i].value);
    }
}

void msg_free(struct message *m)
{
    free(m->content);
    for (int i = 0; i < m->nembeds; i++)
        embed_free(&m->embeds[i]);
    for (int i = 0; i < m->nbuttons; i++) {
        free(m->buttons[i].label);
        free(m->buttons[i].custom_id);
        free(m->buttons[i].url);
    }
    for (int i = 0; i < m->nchoices; i++) {
        free(m->choices[i].name);
        free(m->choices[i].value);
    }
    for (int i = 0; i < m->ninputs; i++) {
        free(m->inputs[i].custom_id);
        free(m->inputs[i].label);
        free(m->inputs[i].placeholder);
        free(m->inputs[i].value);
    }
    for (int i = 0; i < m->nselects; i++) {
        struct msg_select *sel = &m->selects[i];
        for (int j = 0; j < sel->noptions; j++) {
            free(sel->options[j].label);
            free(sel->options[j].value);
            free(sel->options[j].description);
        }
        free(sel->custom_id);
        free(sel->placeholder);
    }
    free(m->modal_id);
    free(m->modal_title);
    free(m->file.name);
    free(m->file.data);
    free(m->file2.name);
    free(m->file2.data);
    msg_init(m);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Copies s into *slot; 0 or BOT_ENOMEM. NULL s clears. */
static int set_str(char **slot, const char *s)
{
    char *c = dup_or_null(s);
    if (s && !c)
        return BOT_ENOMEM;
    free(*slot);
    *slot = c;
    return 0;
}

static int vformat(char **out, const char *fmt, va_list ap)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    int rc = buf_vprintf(&b, fmt, ap);
    if (rc)
        return rc;
    *out = buf_take(&b);
    return *out ? 0 : BOT_ENOMEM;
}

int msg_set_content(struct message *m, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int rc = vformat(&s, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    free(m->content);
    m->content = s;
    return 0;
}

int msg_append(struct message *m, const char *fmt, ...)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    int rc = buf_puts(&b, m->content ? m->content : "");
    va_list ap;
    va_start(ap, fmt);
    if (!rc)
        rc = buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (rc)
        return rc;
    free(m->content);
    m->content = buf_take(&b);
    return m->content ? 0 : BOT_ENOMEM;
}

struct msg_embed *msg_add_embed(struct message *m, const char *title, const char *desc)
{
    if (m->nembeds >= MSG_MAX_EMBEDS)
        return NULL;
    struct msg_embed *e = &m->embeds[m->nembeds];
    memset(e, 0, sizeof(*e));
    if (set_str(&e->title, title) || set_str(&e->description, desc)) {
        embed_free(e);
        memset(e, 0, sizeof(*e));
        return NULL;
    }
    m->nembeds++;
    return e;
}

int msg_embed_field(struct msg_embed *e, const char *name, const char *value, bool is_inline)
{
    if (e->nfields >= MSG_MAX_FIELDS)
        return BOT_EFULL;
    struct msg_field *f = &e->fields[e->nfields];
    f->name = strdup(name && *name ? name : "\xe2\x80\x8b");
    f->value = strdup(value && *value ? value : "-");
    f->is_inline = is_inline;
    if (!f->name || !f->value) {
        free(f->name);
        free(f->value);
        return BOT_ENOMEM;
    }
    e->nfields++;
    return 0;
}

int msg_embed_footer(struct msg_embed *e, const char *footer)
{
    return set_str(&e->footer, footer);
}

int msg_embed_image(struct msg_embed *e, const char *url)
{
    return set_str(&e->image, url);
}

static int add_button(struct message *m, const char *label, const char *custom_id, const char *url,
                      enum msg_button_style style)
{
    if (m->nbuttons >= MSG_MAX_BUTTONS)
        return BOT_EFULL;
    struct msg_button *b = &m->buttons[m->nbuttons];
    memset(b, 0, sizeof(*b));
    b->style = style;
    if (set_str(&b->label, label) || set_str(&b->custom_id, custom_id) || set_str(&b->url, url)) {
        free(b->label);
        free(b->custom_id);
        free(b->url);
        return BOT_ENOMEM;
    }
    m->nbuttons++;
    return 0;
}

int msg_add_button(struct message *m, const char *label, const char *custom_id,
                   enum msg_button_style style)
{
    return add_button(m, label, custom_id, NULL, style == MSG_BTN_LINK ? MSG_BTN_PRIMARY : style);
}

int msg_add_link(struct message *m, const char *label, const char *url)
{
    return add_button(m, label, NULL, url, MSG_BTN_LINK);
}

int msg_add_choice(struct message *m, const char *name, const char *value)
{
    if (m->nchoices >= MSG_MAX_CHOICES)
        return BOT_EFULL;
    struct msg_choice *c = &m->choices[m->nchoices];
    c->name = strdup(name);
    c->value = strdup(value);
    if (!c->name || !c->value) {
        free(c->name);
        free(c->value);
        return BOT_ENOMEM;
    }
    m->kind = MSG_KIND_CHOICES;
    m->nchoices++;
    return 0;
}

int msg_set_modal(struct message *m, const char *custom_id, const char *title)
{
    m->kind = MSG_KIND_MODAL;
    if (set_str(&m->modal_id, custom_id) || set_str(&m->modal_title, title))
        return BOT_ENOMEM;
    return 0;
}

int msg_modal_input(struct message *m, const char *custom_id, const char *label, bool paragraph,
                    bool required, int max_len, const char *placeholder)
{
    if (m->ninputs >= MSG_MAX_INPUTS)
        return BOT_EFULL;
    struct msg_input *in = &m->inputs[m->ninputs];
    memset(in, 0, sizeof(*in));
    in->paragraph = paragraph;
    in->required = required;
    in->max_len = max_len;
    if (set_str(&in->custom_id, custom_id) || set_str(&in->label, label) ||
        set_str(&in->placeholder, placeholder)) {
        free(in->custom_id);
        free(in->label);
        free(in->placeholder);
        return BOT_ENOMEM;
    }
    m->ninputs++;
    return 0;
}

static int file_set(struct msg_file *f, const char *name, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return BOT_ENOMEM;
    if (len)
        memcpy(copy, data, len);
    if (set_str(&f->name, name)) {
        free(copy);
        return BOT_ENOMEM;
    }
    free(f->data);
    f->data = copy;
    f->len = len;
    return 0;
}

int msg_set_file(struct message *m, const char *name, const char *data, size_t len)
{
    return file_set(&m->file, name, data, len);
}

int msg_add_file(struct message *m, const char *name, const char *data, size_t len)
{
    if (!m->file.name)
        return file_set(&m->file, name, data, len);
    if (!m->file2.name)
        return file_set(&m->file2, name, data, len);
    return BOT_ETOOBIG;
}

int msg_copy(struct message *dst, const struct message *src)
{
    msg_init(dst);
    dst->kind = src->kind;
    dst->ephemeral = src->ephemeral;
    dst->mention_users = src->mention_users;
    int rc = set_str(&dst->content, src->content);
    for (int i = 0; !rc && i < src->nembeds; i++) {
        const struct msg_embed *e = &src->embeds[i];
        struct msg_embed *d = msg_add_embed(dst, e->title, e->description);
        if (!d) {
            rc = BOT_ENOMEM;
            break;
        }
        d->color = e->color;
        rc = set_str(&d->url, e->url) || set_str(&d->footer, e->footer) ? BOT_ENOMEM : 0;
        if (!rc && set_str(&d->image, e->image))
            rc = BOT_ENOMEM;
        for (int f = 0; !rc && f < e->nfields; f++)
            rc = msg_embed_field(d, e->fields[f].name, e->fields[f].value, e->fields[f].is_inline);
    }
    for (int i = 0; !rc && i < src->nbuttons; i++)
        rc = add_button(dst, src->buttons[i].label, src->buttons[i].custom_id, src->buttons[i].url,
                        src->buttons[i].style);
    for (int i = 0; !rc && i < src->nchoices; i++)
        rc = msg_add_choice(dst, src->choices[i].name, src->choices[i].value);
    if (!rc && src->modal_id)
        rc = msg_set_modal(dst, src->modal_id, src->modal_title);
    for (int i = 0; !rc && i < src->ninputs; i++) {
        const struct msg_input *in = &src->inputs[i];
        rc = msg_modal_input(dst, in->custom_id, in->label, in->paragraph, in->required,
                             in->max_len, in->placeholder);
    }
    if (!rc && src->file.name)
        rc = msg_set_file(dst, src->file.name, src->file.data, src->file.len);
    if (!rc && src->file2.name)
        rc = file_set(&dst->file2, src->file2.name, src->file2.data, src->file2.len);
    for (int i = 0; !rc && i < src->nselects; i++) {
        const struct msg_select *ss = &src->selects[i];
        struct msg_select *ds = msg_add_select(dst, ss->custom_id, ss->placeholder);
        rc = ds ? 0 : BOT_ENOMEM;
        for (int j = 0; !rc && j < ss->noptions; j++)
            rc = msg_select_option(ds, ss->options[j].label, ss->options[j].value,
                                   ss->options[j].description, ss->options[j].is_default);
    }
    dst->kind = src->kind;
    if (rc)
        msg_free(dst);
    return rc;
}

struct msg_select *msg_add_select(struct message *m, const char *custom_id, const char *placeholder)
{
    if (m->nselects >= MSG_MAX_SELECTS || !custom_id)
        return NULL;
    struct msg_select *s = &m->selects[m->nselects];
    memset(s, 0, sizeof(*s));
    s->custom_id = strdup(custom_id);
    s->placeholder = placeholder ? strdup(placeholder) : NULL;
    if (!s->custom_id || (placeholder && !s->placeholder)) {
        free(s->custom_id);
        free(s->placeholder);
        memset(s, 0, sizeof(*s));
        return NULL;
    }
    m->nselects++;
    return s;
}

int msg_select_option(struct msg_select *s, const char *label, const char *value,
                      const char *description, bool is_default)
{
    if (s->noptions >= MSG_MAX_OPTIONS)
        return BOT_EFULL;
    struct msg_option *o = &s->options[s->noptions];
    o->label = strdup(label);
    o->value = strdup(value);
    o->description = description ? strdup(description) : NULL;
    o->is_default = is_default;
    if (!o->label || !o->value || (description && !o->description)) {
        free(o->label);
        free(o->value);
        free(o->description);
        memset(o, 0, sizeof(*o));
        return BOT_ENOMEM;
    }
    s->noptions++;
    return 0;
}
