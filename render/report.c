/* report.c - the /cohort report charts (see render.h): active learners per cohort
 * day with dashed week boundaries across the top; check-in rate per week and median
 * hours per week against the target band below. Same opaque card and palette as the
 * progress card. */
#include "bot/err.h"
#include "render/render_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BG 0x1E2230u
#define BORDER 0x4A5068u
#define INK 0xF2F3F5u
#define INK2 0xB5BAC8u
#define BAR 0x009E73u
/* top chart */
#define TX 70
#define TY 100
#define TW 890
#define TH 200
/* lower charts */
#define LY 380
#define LH 160
#define L1X 70
#define L2X 540
#define LW 420

uint32_t render_report_bar_colour(void)
{
    return BAR;
}

void render_report_day_x(const struct render_report *r, int day, int *x, int *base_y)
{
    double slot = (double)TW / (r->n_days > 0 ? r->n_days : 1);
    *x = (int)(TX + (day - 1) * slot + slot / 2);
    *base_y = TY + TH;
}

static void axis(cairo_t *cr, double x, double y, double w, double h, double ymax, const char *unit)
{
    rd_rgb(cr, BORDER);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, x, floor(y + h) + 0.5);
    cairo_line_to(cr, x + w, floor(y + h) + 0.5);
    cairo_stroke(cr);
    char lab[32];
    for (int i = 0; i <= 2; i++) {
        double v = ymax * i / 2;
        snprintf(lab, sizeof(lab), "%.0f%s", v, unit);
        rd_text(cr, lab, 11, false, x - 62, y + h - h * i / 2 - 7, 56, RD_RIGHT, INK2);
    }
}

static void top_chart(cairo_t *cr, const struct render_report *r)
{
    double ymax = r->learners > 0 ? r->learners : 1;
    rd_text(cr, "Learners who checked in, per cohort day", 15, true, TX, TY - 26, TW, RD_LEFT,
            INK2);
    axis(cr, TX, TY, TW, TH, ymax, "");
    double slot = (double)TW / r->n_days, bw = slot > 3 ? slot - 1 : slot;
    rd_rgb(cr, BAR);
    for (int d = 1; d <= r->today; d++) {
        int v = r->active[d - 1] < 0 ? 0 : r->active[d - 1];
        double h = TH * (v > ymax ? ymax : v) / ymax;
        if (h > 0)
            cairo_rectangle(cr, floor(TX + (d - 1) * slot), TY + TH - h, bw, h);
    }
    cairo_fill(cr);
    int dpw = r->days_per_week > 0 ? r->days_per_week : 7;
    double dash[] = {3, 3};
    char lab[16];
    for (int d = 1, wk = 1; d <= r->n_days; d += dpw, wk++) {
        double x = floor(TX + (d - 1) * slot) + 0.5;
        rd_rgba(cr, INK2, 0.55);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_move_to(cr, x, TY);
        cairo_line_to(cr, x, TY + TH);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        snprintf(lab, sizeof(lab), "W%d", wk);
        if (slot * dpw >= 24)
            rd_text(cr, lab, 11, false, x + 2, TY + TH + 4, slot * dpw - 2, RD_LEFT, INK2);
    }
}

static void week_bars(cairo_t *cr, const struct render_report *r, const double *v, double ymax,
                      double x0, uint32_t colour, const char *fmt, double scale)
{
    double slot = (double)LW / (r->n_weeks > 0 ? r->n_weeks : 1), bw = slot * 0.7;
    char lab[24];
    for (int w = 0; w < r->n_weeks; w++) {
        double val = v[w] < 0 ? 0 : v[w] > ymax ? ymax : v[w];
        double h = LH * val / ymax, x = x0 + w * slot + (slot - bw) / 2;
        rd_rgb(cr, colour);
        rd_round_rect(cr, x, LY + LH - (h > 2 ? h : 2), bw, h > 2 ? h : 2, 2);
        cairo_fill(cr);
        if (slot >= 28) {
            snprintf(lab, sizeof(lab), fmt, v[w] * scale);
            rd_text(cr, lab, 11, false, x - 6, LY + LH - h - 15, bw + 12, RD_CENTER, INK);
            snprintf(lab, sizeof(lab), "W%d", w + 1);
            rd_text(cr, lab, 11, false, x - 6, LY + LH + 4, bw + 12, RD_CENTER, INK2);
        }
    }
}

static void lower_charts(cairo_t *cr, const struct render_report *r)
{
    rd_text(cr, "Check-in rate per week", 15, true, L1X, LY - 30, LW, RD_LEFT, INK2);
    axis(cr, L1X, LY, LW, LH, 100, "%");
    week_bars(cr, r, r->rate, 1.0, L1X, 0x56B4E9, "%.0f%%", 100);
    double ymax = r->target_max > 0 ? r->target_max + 5 : 25;
    for (int w = 0; w < r->n_weeks; w++)
        if (r->median[w] * 1.1 > ymax)
            ymax = r->median[w] * 1.1;
    rd_text(cr, "Median hours per week", 15, true, L2X, LY - 30, LW, RD_LEFT, INK2);
    axis(cr, L2X, LY, LW, LH, ymax, " h");
    if (r->target_max > 0) {
        double y1 = LY + LH - LH * r->target_max / ymax, y0 = LY + LH - LH * r->target_min / ymax;
        rd_rgba(cr, 0x56B4E9, 0.18);
        cairo_rectangle(cr, L2X, y1, LW, y0 - y1);
        cairo_fill(cr);
    }
    week_bars(cr, r, r->median, ymax, L2X, 0xE69F00, "%.1f", 1);
}

static int check(const struct render_report *r, char *err, size_t errlen)
{
    if (!r || r->n_days < 1 || r->n_days > RENDER_REPORT_MAX_DAYS || r->today < 0 ||
        r->today > r->n_days || (r->today && !r->active) || r->n_weeks < 0 ||
        r->n_weeks > RENDER_REPORT_MAX_WEEKS || (r->n_weeks && (!r->rate || !r->median))) {
        snprintf(err, errlen, "report chart: days must be 1..%d, weeks 0..%d",
                 RENDER_REPORT_MAX_DAYS, RENDER_REPORT_MAX_WEEKS);
        return BOT_EINVAL;
    }
    return 0;
}

int render_report_png(const struct render_report *r, struct render_png *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof(*out));
    int rc = check(r, err, errlen);
    if (rc)
        return rc;
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, RENDER_REPORT_W, RENDER_REPORT_H);
    cairo_t *cr = cairo_create(s);
    rd_rgb(cr, BG);
    cairo_paint(cr);
    rd_rgb(cr, BORDER);
    cairo_set_line_width(cr, 2);
    rd_round_rect(cr, 1, 1, RENDER_REPORT_W - 2, RENDER_REPORT_H - 2, 14);
    cairo_stroke(cr);
    rd_text(cr, r->title ? r->title : "Cohort report", 24, true, 40, 22, 920, RD_LEFT, INK);
    top_chart(cr, r);
    lower_charts(cr, r);
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
