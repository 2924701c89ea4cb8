/* report.c - the /cohort report charts (see render.h): active learners per cohort
 * day with dashed week boundaries across the top; check-in rate per week and median
 * hours per week against the target band below; when there is data, a third row with
 * the pass rate per assessment and the members present per study-group session. Same
 * opaque card and palette as the progress card. */
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

/* third row */
#define RY 630
#define RH 150
#define ASM_COLOUR 0xCC79A7u
#define SES_COLOUR 0x56B4E9u

uint32_t render_report_bar_colour(void)
{
    return BAR;
}

uint32_t render_report_asm_colour(void)
{
    return ASM_COLOUR;
}

uint32_t render_report_session_colour(void)
{
    return SES_COLOUR;
}

int render_report_height(const struct render_report *r)
{
    return r && (r->n_asm > 0 || r->n_sessions > 0) ? RENDER_REPORT_H_FULL : RENDER_REPORT_H;
}

int render_report_session_max(const struct render_report *r)
{
    int m = 1;
    for (int i = 0; r && i < r->n_sessions; i++)
        m = r->sessions[i].present > m ? r->sessions[i].present : m;
    return m;
}

/* Bar i of n in the chart at x0: its left edge and width. */
static void slot_of(int n, int i, double x0, double *x, double *bw)
{
    double slot = (double)LW / (n > 0 ? n : 1);
    *bw = slot * 0.7 > 1 ? slot * 0.7 : 1;
    *x = x0 + i * slot + (slot - *bw) / 2;
}

static void probe(int n, int i, double x0, double frac, int *x, int *y)
{
    double bx, bw;
    slot_of(n, i, x0, &bx, &bw);
    *x = (int)(bx + bw / 2);
    *y = (int)(RY + RH - RH * frac);
}

void render_report_asm_probe(const struct render_report *r, int i, double frac, int *x, int *y)
{
    probe(r->n_asm, i, L1X, frac, x, y);
}

void render_report_session_probe(const struct render_report *r, int i, double frac, int *x, int *y)
{
    probe(r->n_sessions, i, L2X, frac, x, y);
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

/* One bar of the third row: value v of ymax (at least 2 px, so a zero shows; none
 * for v < 0), the figure above it and the label below when there is room. */
static void row3_bar(cairo_t *cr, int n, int i, double x0, double v, double ymax, uint32_t colour,
                     const char *above, const char *below)
{
    double x, bw;
    slot_of(n, i, x0, &x, &bw);
    double h = RH * (v < 0 ? 0 : v > ymax ? ymax : v) / ymax;
    if (v >= 0) { /* v < 0: no figure, no bar */
        rd_rgb(cr, colour);
        cairo_rectangle(cr, floor(x), RY + RH - (h > 2 ? h : 2), ceil(bw), h > 2 ? h : 2);
        cairo_fill(cr);
    }
    double slot = (double)LW / (n > 0 ? n : 1);
    if (slot >= 28 && above)
        rd_text(cr, above, 11, false, x - 8, RY + RH - h - 15, bw + 16, RD_CENTER, INK);
    if (slot >= 22 && below)
        rd_text(cr, below, 11, false, x - 6, RY + RH + 4, bw + 12, RD_CENTER, INK2);
}

static void third_row(cairo_t *cr, const struct render_report *r)
{
    char a[32], b[32];
    rd_text(cr, "Assessment pass rate (passed / finished)", 15, true, L1X, RY - 30, LW, RD_LEFT,
            INK2);
    axis(cr, L1X, RY, LW, RH, 100, "%");
    for (int i = 0; i < r->n_asm; i++) {
        const struct render_asm_bar *q = &r->asm_bars[i];
        double rate = q->attempts > 0 ? (double)q->passed / q->attempts : 0;
        snprintf(a, sizeof(a), "%d/%d", q->passed, q->attempts);
        snprintf(b, sizeof(b), "W%d", q->week);
        if (q->attempts > 0) /* none finished: no bar at all, not a zero */
            row3_bar(cr, r->n_asm, i, L1X, rate, 1.0, ASM_COLOUR, a, b);
        else
            row3_bar(cr, r->n_asm, i, L1X, -1, 1.0, ASM_COLOUR, "-", b);
    }
    if (r->n_asm == 0)
        rd_text(cr, "No finished attempt yet.", 13, false, L1X + 10, RY + RH / 2 - 8, LW - 20,
                RD_LEFT, INK2);
    int ymax = render_report_session_max(r);
    rd_text(cr, "Study-group sessions: members present", 15, true, L2X, RY - 30, LW, RD_LEFT, INK2);
    axis(cr, L2X, RY, LW, RH, ymax, "");
    for (int i = 0; i < r->n_sessions; i++) {
        snprintf(a, sizeof(a), "%d", r->sessions[i].present);
        row3_bar(cr, r->n_sessions, i, L2X, r->sessions[i].present, ymax, SES_COLOUR, a,
                 r->sessions[i].label);
    }
    if (r->n_sessions == 0)
        rd_text(cr, "No session held yet.", 13, false, L2X + 10, RY + RH / 2 - 8, LW - 20, RD_LEFT,
                INK2);
}

static int check(const struct render_report *r, char *err, size_t errlen)
{
    if (!r || r->n_days < 1 || r->n_days > RENDER_REPORT_MAX_DAYS || r->today < 0 ||
        r->today > r->n_days || (r->today && !r->active) || r->n_weeks < 0 ||
        r->n_weeks > RENDER_REPORT_MAX_WEEKS || (r->n_weeks && (!r->rate || !r->median)) ||
        r->n_asm < 0 || r->n_asm > RENDER_REPORT_MAX_ASM || (r->n_asm && !r->asm_bars) ||
        r->n_sessions < 0 || r->n_sessions > RENDER_REPORT_MAX_SESSIONS ||
        (r->n_sessions && !r->sessions)) {
        snprintf(err, errlen,
                 "report chart: days must be 1..%d, weeks 0..%d, assessments 0..%d, "
                 "sessions 0..%d",
                 RENDER_REPORT_MAX_DAYS, RENDER_REPORT_MAX_WEEKS, RENDER_REPORT_MAX_ASM,
                 RENDER_REPORT_MAX_SESSIONS);
        return BOT_EINVAL;
    }
    return 0;
}

int render_report_png(const struct render_report *r, struct render_png *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof(*out));
    int rc = check(r, err, errlen);
    if (!rc && rd_fonts_check(err, errlen))
        rc = BOT_EIO;
    if (rc)
        return rc;
    int height = render_report_height(r);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, RENDER_REPORT_W, height);
    cairo_t *cr = cairo_create(s);
    rd_rgb(cr, BG);
    cairo_paint(cr);
    rd_rgb(cr, BORDER);
    cairo_set_line_width(cr, 2);
    rd_round_rect(cr, 1, 1, RENDER_REPORT_W - 2, height - 2, 14);
    cairo_stroke(cr);
    rd_text(cr, r->title ? r->title : "Cohort report", 24, true, 40, 22, 920, RD_LEFT, INK);
    top_chart(cr, r);
    lower_charts(cr, r);
    if (height == RENDER_REPORT_H_FULL)
        third_row(cr, r);
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
