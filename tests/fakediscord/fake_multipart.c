/* fake_multipart.c - multipart/form-data bodies (uploads): splits the parts, returns
 * payload_json parsed (validated like a JSON body by the caller), lists the files
 * (field, filename, bytes, whether it is a PNG) and checks that the message refers
 * only to uploaded files: attachments[].id/filename against files[N], and
 * embeds[].image/thumbnail "attachment://NAME" against the uploaded filenames.
 * Test code only. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void problem(json_t *out, const char *msg)
{
    json_array_append_new(out, json_string(msg));
}

/* The value of key="..." in a part's headers, into out. */
static void header_param(const char *h, size_t hl, const char *key, char *out, size_t outlen)
{
    out[0] = '\0';
    size_t kl = strlen(key);
    for (const char *p = h; p && p + kl < h + hl; p++) {
        p = memmem(p, (size_t)(h + hl - p), key, kl);
        if (!p)
            return;
        if (p > h && (p[-1] == ' ' || p[-1] == ';')) {
            const char *v = p + kl, *e = memchr(v, '"', (size_t)(h + hl - v));
            if (!e)
                return;
            snprintf(out, outlen, "%.*s", (int)(e - v), v);
            return;
        }
    }
}

static void one_part(const char *part, size_t len, json_t **payload, json_t *files, json_t *pr)
{
    const char *sep = memmem(part, len, "\r\n\r\n", 4);
    if (!sep) {
        problem(pr, "multipart: a part without headers");
        return;
    }
    size_t hl = (size_t)(sep - part);
    const char *data = sep + 4;
    size_t dl = len - hl - 4;
    char name[128], filename[1100];
    header_param(part, hl, "name=\"", name, sizeof(name));
    header_param(part, hl, "filename=\"", filename, sizeof(filename));
    if (!strcmp(name, "payload_json")) {
        *payload = json_loadb(data, dl, 0, NULL);
        if (!*payload)
            problem(pr, "multipart: payload_json is not JSON");
    } else if (!strncmp(name, "files[", 6)) {
        bool png = dl > 8 && !memcmp(data, "\x89PNG\r\n\x1a\n", 8);
        json_array_append_new(files, json_pack("{s:s, s:s, s:I, s:b}", "field", name, "filename",
                                               filename, "len", (json_int_t)dl, "png", png));
    } else
        problem(pr, "multipart: unexpected part (not payload_json or files[n])");
}

json_t *fake_multipart(const char *ctype, const char *body, size_t len, json_t *files,
                       json_t *problems)
{
    const char *b = strstr(ctype, "boundary=");
    if (!b) {
        problem(problems, "multipart: no boundary");
        return NULL;
    }
    char delim[200];
    snprintf(delim, sizeof(delim), "--%s", b + 9);
    size_t dl = strlen(delim);
    json_t *payload = NULL;
    const char *end = body + len, *p = memmem(body, len, delim, dl);
    while (p) {
        p += dl;
        if (end - p >= 2 && !memcmp(p, "--", 2))
            break;
        if (end - p >= 2 && !memcmp(p, "\r\n", 2))
            p += 2;
        const char *next = memmem(p, (size_t)(end - p), delim, dl);
        if (!next) {
            problem(problems, "multipart: missing closing boundary");
            break;
        }
        size_t plen = (size_t)(next - p);
        one_part(p, plen >= 2 ? plen - 2 : 0, &payload, files, problems); /* minus CRLF */
        p = next;
    }
    if (!payload)
        problem(problems, "multipart: no payload_json part");
    return payload;
}

static bool uploaded(json_t *files, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        if (!strcmp(json_string_value(json_object_get(f, "filename")), name))
            return true;
    }
    return false;
}

static void check_ref(json_t *img, json_t *files, json_t *problems)
{
    const char *u = json_string_value(json_object_get(img, "url"));
    if (!u)
        return;
    if (strlen(u) > 2048)
        problem(problems, "embed image url: longer than 2048");
    if (!strncmp(u, "attachment://", 13) && !uploaded(files, u + 13))
        problem(problems, "embed image: attachment:// names no uploaded file");
}

void fake_check_uploads(json_t *msg, json_t *files, json_t *problems)
{
    json_t *data = json_object_get(msg, "data");
    if (json_is_object(data) && json_object_get(msg, "type"))
        msg = data; /* an interaction callback */
    size_t i;
    json_t *a, *e;
    json_array_foreach(json_object_get(msg, "attachments"), i, a)
    {
        json_t *idv = json_object_get(a, "id");
        const char *fn = json_string_value(json_object_get(a, "filename"));
        char field[32];
        snprintf(field, sizeof(field), "files[%lld]",
                 json_is_string(idv) ? atoll(json_string_value(idv))
                                     : (long long)json_integer_value(idv));
        bool found = false;
        size_t j;
        json_t *f;
        json_array_foreach(files, j, f)
        {
            found |= !strcmp(json_string_value(json_object_get(f, "field")), field) &&
                     (!fn || !strcmp(json_string_value(json_object_get(f, "filename")), fn));
        }
        if (!found)
            problem(problems, "attachments[]: id/filename match no files[n] part");
    }
    json_array_foreach(json_object_get(msg, "embeds"), i, e)
    {
        check_ref(json_object_get(e, "image"), files, problems);
        check_ref(json_object_get(e, "thumbnail"), files, problems);
    }
}
