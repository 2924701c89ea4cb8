/* png.c - rd_encode (render_int.h): the PNG writer of every picture. cairo's own writer
 * (libpng, compression 6, adaptive filters) took about 13 ms of a 14 ms card; this one
 * writes 8-bit RGB rows with filter 0 and deflates them with zlib at level 3, which
 * takes about a quarter of that and gives files as small or smaller for our flat
 * images (bench/bench_render prints both). Any thread. */
#include "bot/err.h"
#include "render/render_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define PNG_LEVEL 3

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends one chunk (length, type, data, CRC) at out + *len; the caller sized out. */
static void chunk(unsigned char *out, size_t *len, const char *type, const unsigned char *data,
                  size_t n)
{
    unsigned char *p = out + *len;
    put32(p, (uint32_t)n);
    memcpy(p + 4, type, 4);
    if (n && data != p + 8)
        memmove(p + 8, data, n);
    uLong crc = crc32(0L, p + 4, (uInt)(n + 4));
    put32(p + 8 + n, (uint32_t)crc);
    *len += 12 + n;
}

/* The scanlines as PNG wants them: a filter byte (0) then R, G, B per pixel. cairo's
 * RGB24 pixels are native-endian 32-bit words 0x00RRGGBB. */
static unsigned char *rows_of(cairo_surface_t *s, int w, int h, size_t *len)
{
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    size_t rl = 1 + 3 * (size_t)w;
    unsigned char *raw = px ? malloc(rl * (size_t)h) : NULL;
    if (!raw)
        return NULL;
    for (int y = 0; y < h; y++) {
        unsigned char *o = raw + rl * (size_t)y;
        const unsigned char *row = px + (size_t)stride * (size_t)y;
        *o++ = 0;
        for (int x = 0; x < w; x++, o += 3) {
            uint32_t v;
            memcpy(&v, row + 4 * (size_t)x, 4);
            o[0] = (unsigned char)(v >> 16);
            o[1] = (unsigned char)(v >> 8);
            o[2] = (unsigned char)v;
        }
    }
    *len = rl * (size_t)h;
    return raw;
}

int rd_encode(cairo_surface_t *s, struct render_png *out, char *err, size_t errlen)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || w <= 0 || h <= 0 ||
        cairo_image_surface_get_format(s) != CAIRO_FORMAT_RGB24) {
        snprintf(err, errlen, "PNG: not an RGB24 image surface");
        return BOT_EIO;
    }
    size_t rawlen = 0;
    unsigned char *raw = rows_of(s, w, h, &rawlen);
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (!raw || deflateInit(&z, PNG_LEVEL) != Z_OK) {
        free(raw);
        snprintf(err, errlen, "PNG: out of memory");
        return BOT_ENOMEM;
    }
    /* signature 8 + IHDR 25 + IDAT 12 + data + IEND 12; at most RENDER_MAX_PNG in all */
    size_t cap = RENDER_MAX_PNG;
    unsigned char *png = malloc(cap);
    int zrc = Z_MEM_ERROR;
    if (png) {
        z.next_in = raw;
        z.avail_in = (uInt)rawlen;
        z.next_out = png + 8 + 25 + 8;
        z.avail_out = (uInt)(cap - 8 - 25 - 12 - 12);
        zrc = deflate(&z, Z_FINISH);
    }
    size_t zlen = z.total_out;
    deflateEnd(&z);
    free(raw);
    if (zrc != Z_STREAM_END) {
        free(png);
        snprintf(err, errlen, "%s",
                 zrc == Z_OK || zrc == Z_BUF_ERROR ? "the PNG would be larger than 200 KB"
                                                   : "PNG: deflate failed");
        return zrc == Z_MEM_ERROR ? BOT_ENOMEM : BOT_EIO;
    }
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t len = 8;
    memcpy(png, sig, 8);
    unsigned char ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bit depth */
    ihdr[9] = 2;  /* colour type: RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering (each row says its filter) */
    ihdr[12] = 0; /* no interlace */
    chunk(png, &len, "IHDR", ihdr, sizeof(ihdr));
    chunk(png, &len, "IDAT", png + len + 8, zlen); /* the data is already in place */
    chunk(png, &len, "IEND", NULL, 0);
    out->data = png;
    out->len = len;
    out->width = w;
    out->height = h;
    return 0;
}
