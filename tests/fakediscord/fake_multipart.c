/* fake_multipart.c - multipart/form-data bodies (uploads): splits the parts, returns
 * payload_json parsed (validated like a JSON body by the caller), lists the files
 * (field, filename, bytes, whether it is a PNG, and a PNG decoded: width, height,
 * png_valid) and checks that the message refers
 * only to uploaded files: attachments[].id/filename against files[N], and
 * embeds[].image/thumbnail "attachment://NAME" against the uploaded filenames.
 * Test code only. */
#include "fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

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

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decodes a PNG as far as a viewer must: chunk lengths and CRCs, IHDR first (8-bit RGB
 * or RGBA, no interlace), the IDAT data inflating to exactly height rows of one filter
 * byte (0-4) and width pixels, IEND last. Fills width/height; NULL when good, else why. */
static const char *png_check(const unsigned char *d, size_t n, int *w, int *h)
{
    *w = *h = 0;
    if (n < 8 + 25 + 12 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) || memcmp(d + 12, "IHDR", 4))
        return "no PNG signature and IHDR";
    *w = (int)be32(d + 16);
    *h = (int)be32(d + 20);
    int bpp = d[25] == 2 ? 3 : d[25] == 6 ? 4 : 0;
    if (*w <= 0 || *h <= 0 || *w > 4096 || *h > 4096 || d[24] != 8 || !bpp || d[28])
        return "IHDR: not an 8-bit RGB(A) image of a sane size";
    size_t rl = 1 + (size_t)*w * (size_t)bpp, want = rl * (size_t)*h, got = 0;
    unsigned char *raw = malloc(want + 1);
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (!raw || inflateInit(&z) != Z_OK) {
        free(raw);
        return "out of memory";
    }
    const char *why = "no IEND";
    z.next_out = raw;
    z.avail_out = (uInt)want + 1;
    for (size_t off = 8; off + 12 <= n;) {
        uint32_t len = be32(d + off);
        const unsigned char *type = d + off + 4;
        if (len > n - off - 12) {
            why = "a chunk runs past the end";
            break;
        }
        if ((uint32_t)crc32(0L, type, len + 4) != be32(d + off + 8 + len)) {
            why = "a chunk's CRC is wrong";
            break;
        }
        if (!memcmp(type, "IDAT", 4)) {
            z.next_in = (unsigned char *)(uintptr_t)(type + 4);
            z.avail_in = len;
            int zr = inflate(&z, Z_NO_FLUSH);
            if (zr != Z_OK && zr != Z_STREAM_END) {
                why = "IDAT does not inflate";
                break;
            }
        }
        off += 12 + len;
        if (!memcmp(type, "IEND", 4)) {
            got = z.total_out;
            why = got != want ? "IDAT holds the wrong number of bytes" : NULL;
            for (size_t y = 0; !why && y < (size_t)*h; y++)
                if (raw[y * rl] > 4)
                    why = "a row has an unknown filter";
            break;
        }
    }
    inflateEnd(&z);
    free(raw);
    return why;
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
        json_t *f = json_pack("{s:s, s:s, s:I, s:b}", "field", name, "filename", filename, "len",
                              (json_int_t)dl, "png", png);
        if (png) { /* a PNG must decode: its size, or the problem */
            int w, h;
            const char *why = png_check((const unsigned char *)data, dl, &w, &h);
            json_object_set_new(f, "png_valid", json_boolean(!why));
            json_object_set_new(f, "width", json_integer(w));
            json_object_set_new(f, "height", json_integer(h));
            if (why) {
                char m[1300];
                snprintf(m, sizeof(m), "%.100s: not a valid PNG (%s)", filename, why);
                problem(pr, m);
            }
        }
        json_array_append_new(files, f);
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
