/* leaderboard.c - the /leaderboard card (see render.h): up to ten rows of rank,
 * name, a bar for the current streak (scaled to the longest listed) and the days
 * done. Same opaque card and palette as the progress card. */
#include "bot/err.h"
#include "render/render_int.h"

#include <stdio.h>
#include <string.h>

#define BG 0x1E2230u
#define BORDER 0x4A5068u
#define INK 0xF2F3F5u
#define INK2 0xB5BAC8u
#define BAR 0x009E73u
#define ROW_Y 84
#define ROW_H 40
#define BAR_X 430
#define BAR_W 280

uint32_t render_lb_bar_colour(void)
{
    return BAR;
}

void render_lb_bar_probe(int i, double frac, int *x, int *y)
{
    *x = BAR_X + (int)(BAR_W * frac) - 3;
    *y = ROW_Y + i * ROW_H + ROW_H / 2;
}

static void row(cairo_t *cr, int i, const struct render_lb_row *r, int top)
{
    double y = ROW_Y + i * ROW_H;
    char lab[64];
    if (i % 2 == 0) {
        rd_rgb(cr, 0x252A39);
        cairo_rectangle(cr, 20, y, 960, ROW_H);
        cairo_fill(cr);
    }
    static const uint32_t medal[3] = {0xF0E442, 0xD0D4DC, 0xE69F00};
    snprintf(lab, sizeof(lab), "%d", i + 1);
    rd_text(cr, lab, 20, true, 30, y + 8, 40, RD_RIGHT, i < 3 ? medal[i] : INK2);
    rd_text(cr, r->name && *r->name ? r->name : "?", 20, i < 3, 90, y + 8, 325, RD_LEFT, INK);
    double w = top > 0 ? BAR_W * (double)(r->streak < 0 ? 0 : r->streak) / top : 0;
    rd_rgb(cr, BAR);
    rd_round_rect(cr, BAR_X, y + 10, w > 4 ? w : 4, ROW_H - 20, 4);
    cairo_fill(cr);
    snprintf(lab, sizeof(lab), "streak %d, %d done", r->streak, r->done);
    rd_text(cr, lab, 15, false, BAR_X + BAR_W + 10, y + 11, 960 - BAR_X - BAR_W - 10, RD_LEFT,
            INK2);
}

int render_leaderboard_png(const struct render_leaderboard *l, struct render_png *out, char *err,
                           size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (!l || l->n < 0 || l->n > RENDER_LB_MAX) {
        snprintf(err, errlen, "leaderboard card: 0..%d rows", RENDER_LB_MAX);
        return BOT_EINVAL;
    }
    if (rd_fonts_check(err, errlen))
        return BOT_EIO;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, RENDER_LB_W, RENDER_LB_H);
    cairo_t *cr = cairo_create(s);
    rd_rgb(cr, BG);
    cairo_paint(cr);
    rd_rgb(cr, BORDER);
    cairo_set_line_width(cr, 2);
    rd_round_rect(cr, 1, 1, RENDER_LB_W - 2, RENDER_LB_H - 2, 14);
    cairo_stroke(cr);
    rd_text(cr, l->title ? l->title : "Leaderboard", 26, true, 40, 24, 920, RD_LEFT, INK);
    int top = 0;
    for (int i = 0; i < l->n; i++)
        top = l->rows[i].streak > top ? l->rows[i].streak : top;
    for (int i = 0; i < l->n; i++)
        row(cr, i, &l->rows[i], top);
    if (l->n == 0)
        rd_text(cr, "Nobody to list yet.", 20, false, 40, ROW_Y + 8, 920, RD_LEFT, INK2);
    int rc = 0;
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
        rc = BOT_EIO;
    }
    cairo_destroy(cr);
    if (!rc)
        rc = rd_encode(s, out, err, errlen);
    cairo_surface_destroy(s);
    return rc;
}
