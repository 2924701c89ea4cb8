/* render.c - shared drawing helpers and PNG encoding (see render_int.h). */
#include "render/render_int.h"
#include "bot/err.h"

#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pthread.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rd_rgb(cairo_t *cr, uint32_t rgb)
{
    rd_rgba(cr, rgb, 1.0);
}

void rd_rgba(cairo_t *cr, uint32_t rgb, double alpha)
{
    cairo_set_source_rgba(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                          (rgb & 0xFF) / 255.0, alpha);
}

void rd_round_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -G_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, G_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, G_PI / 2, G_PI);
    cairo_arc(cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
    cairo_close_path(cr);
}

static const cairo_user_data_key_t layout_key;

/* One layout per cairo context (a layout per text would make a pango context each
 * time); released with the context. */
static PangoLayout *layout_of(cairo_t *cr)
{
    PangoLayout *lay = cairo_get_user_data(cr, &layout_key);
    if (lay)
        return lay;
    lay = pango_cairo_create_layout(cr);
    pango_layout_set_auto_dir(lay, FALSE);
    pango_layout_set_single_paragraph_mode(lay, TRUE);
    pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_END);
    if (cairo_set_user_data(cr, &layout_key, lay, g_object_unref) != CAIRO_STATUS_SUCCESS) {
        g_object_unref(lay);
        return NULL;
    }
    return lay;
}

double rd_text(cairo_t *cr, const char *utf8, double px, bool bold, double x, double y, double w,
               enum rd_align align, uint32_t rgb)
{
    PangoLayout *lay = utf8 && *utf8 ? layout_of(cr) : NULL;
    if (!lay)
        return 0;
    gchar *valid = g_utf8_make_valid(utf8, -1);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, RD_FONT);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_layout_set_font_description(lay, fd);
    pango_layout_set_width(lay, (int)(w * PANGO_SCALE));
    pango_layout_set_alignment(lay, align == RD_CENTER  ? PANGO_ALIGN_CENTER
                                    : align == RD_RIGHT ? PANGO_ALIGN_RIGHT
                                                        : PANGO_ALIGN_LEFT);
    pango_layout_set_text(lay, valid, -1);
    int lw, lh;
    pango_layout_get_pixel_size(lay, &lw, &lh);
    rd_rgb(cr, rgb);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, lay);
    pango_font_description_free(fd);
    g_free(valid);
    return lh;
}

struct sink {
    unsigned char *p;
    size_t len, cap;
    bool over;
};

static cairo_status_t sink_write(void *arg, const unsigned char *data, unsigned int n)
{
    struct sink *s = arg;
    if (s->len + n > RENDER_MAX_PNG) {
        s->over = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64 * 1024;
        while (cap < s->len + n)
            cap *= 2;
        unsigned char *np = realloc(s->p, cap);
        if (!np)
            return CAIRO_STATUS_NO_MEMORY;
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->len, data, n);
    s->len += n;
    return CAIRO_STATUS_SUCCESS;
}

int rd_encode_cairo(cairo_surface_t *s, struct render_png *out, char *err, size_t errlen)
{
    struct sink k = {0};
    cairo_surface_flush(s);
    cairo_status_t st = cairo_surface_write_to_png_stream(s, sink_write, &k);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s",
                 k.over ? "the PNG would be larger than 200 KB" : cairo_status_to_string(st));
        free(k.p);
        return st == CAIRO_STATUS_NO_MEMORY ? BOT_ENOMEM : BOT_EIO;
    }
    out->data = k.p;
    out->len = k.len;
    out->width = cairo_image_surface_get_width(s);
    out->height = cairo_image_surface_get_height(s);
    return 0;
}

void render_png_free(struct render_png *png)
{
    if (!png)
        return;
    free(png->data);
    memset(png, 0, sizeof(*png));
}

int render_unknown_glyphs(const char *utf8)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    cairo_t *cr = cairo_create(s);
    gchar *valid = g_utf8_make_valid(utf8 ? utf8 : "", -1);
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(RD_FONT " 20");
    pango_layout_set_font_description(lay, fd);
    pango_layout_set_text(lay, valid, -1);
    int n = pango_layout_get_unknown_glyphs_count(lay);
    pango_font_description_free(fd);
    g_object_unref(lay);
    g_free(valid);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return n;
}

static pthread_once_t fonts_once = PTHREAD_ONCE_INIT;
static int n_fonts;

static void count_fonts(void)
{
    FcConfig *cfg = FcConfigGetCurrent(); /* FcInit: reads FONTCONFIG_FILE & co */
    FcFontSet *set = cfg ? FcConfigGetFonts(cfg, FcSetSystem) : NULL;
    n_fonts = set ? set->nfont : 0;
}

int rd_fonts_check(char *err, size_t errlen)
{
    pthread_once(&fonts_once, count_fonts);
    if (n_fonts > 0)
        return 0;
    snprintf(err, errlen, "no fonts: fontconfig found none (install fonts-dejavu-core)");
    return BOT_EIO;
}

int render_warmup(char *err, size_t errlen)
{
    int rc = rd_fonts_check(err, errlen);
    if (rc)
        return rc;
    /* one line per script and weight at the sizes the cards use: fontconfig matches,
     * font files, shaping caches */
    static const char *const sample[] = {
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 %/-.,:()",
        "Ada Lovelace 0123456789 %/-", "\xe5\xb1\xb1\xe7\x94\xb0 \xe8\x8a\xb1\xe5\xad\x90",
        "\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9 \xd7\xa9\xd7\xa8\xd7\x94",
        "\xf0\x9f\x8c\xb8 \xea\xb9\x80"};
    static const int px[] = {11, 12, 13, 14, 15, 16, 20, 24, 26, 28, 30}; /* the cards' sizes */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1000, 40);
    cairo_t *cr = cairo_create(s);
    for (size_t i = 0; i < sizeof(sample) / sizeof(sample[0]); i++)
        for (int bold = 0; bold <= 1; bold++)
            for (size_t k = 0; k < sizeof(px) / sizeof(px[0]); k++)
                rd_text(cr, sample[i], px[k], bold, 0, 0, 1000, RD_LEFT, 0xFFFFFF);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
        rc = BOT_EIO;
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return rc;
}

void render_thread_end(void)
{
    pango_cairo_font_map_set_default(NULL);
}

void render_shutdown(void)
{
    pango_cairo_font_map_set_default(NULL);
    /* pango starts fontconfig from a GTask whose completion waits in GLib's default main
     * context (nobody runs one here) and holds the first font map until it is
     * dispatched: dispatch it, so every font map is gone before fontconfig's caches */
    while (g_main_context_iteration(NULL, FALSE))
        ;
    cairo_debug_reset_static_data();
    FcFini();
}
