/* render_int.h - what the render/ files share: colours, rounded rectangles, one line
 * of pango text, PNG encoding to memory. Same threading and ownership as render.h. */
#ifndef COHORT_RENDER_INT_H
#define COHORT_RENDER_INT_H

#include "render/render.h"

#include <cairo.h>
#include <stdbool.h>

#define RD_FONT "DejaVu Sans" /* fontconfig falls back per character (CJK, emoji) */

enum rd_align { RD_LEFT, RD_CENTER, RD_RIGHT };

void rd_rgb(cairo_t *cr, uint32_t rgb);
void rd_rgba(cairo_t *cr, uint32_t rgb, double alpha);
void rd_round_rect(cairo_t *cr, double x, double y, double w, double h, double r);
/* One line of text (UTF-8, made valid first) in the box x..x+w starting at y; cut
 * with an ellipsis when too wide; base direction left-to-right (a right-to-left name
 * is still shaped and ordered right to left). px = font size in pixels. Returns the
 * height drawn. */
double rd_text(cairo_t *cr, const char *utf8, double px, bool bold, double x, double y, double w,
               enum rd_align align, uint32_t rgb);
/* 0 when fontconfig has fonts, else BOT_EIO with the reason (checked once per
 * process). */
int rd_fonts_check(char *err, size_t errlen);
/* Encodes s (an RGB24 image surface) as PNG into out (RENDER_MAX_PNG at most): zlib,
 * level 3, no filter (png.c). 0 or BOT_E* with err. */
int rd_encode(cairo_surface_t *s, struct render_png *out, char *err, size_t errlen);
/* The same through cairo's own writer (libpng), kept for bench/bench_render's
 * comparison. */
int rd_encode_cairo(cairo_surface_t *s, struct render_png *out, char *err, size_t errlen);

#endif
