/* card.c - the /progress card (see render.h): name and subtitle on top, the 10 x 7
 * day grid on the left (columns = weeks), streaks and the hours-per-week bars
 * against the target band on the right, the next milestone along the bottom. An
 * opaque card of its own, so it reads the same on Discord's dark and light themes;
 * day colours from the Okabe-Ito palette (told apart under the common colour-vision
 * deficiencies), each state with its own mark as well. */
#include "bot/err.h"
#include "render/render_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BG 0x1E2230u
#define BORDER 0x4A5068u
#define INK 0xF2F3F5u
#define INK2 0xB5BAC8u
#define DARK 0x15171Eu

/* grid geometry */
#define GX 40
#define GY 116
#define CELL 38
#define GAP 6
/* chart geometry */
#define CX 530
#define CY 186
#define CW 430
#define CH 214

static const uint32_t fills[RENDER_NSTATES] = {
    [RENDER_DONE] = 0x009E73,  [RENDER_LATE] = 0xE69F00,  [RENDER_MISSED] = 0xD55E00,
    [RENDER_GRACE] = 0x56B4E9, [RENDER_TODAY] = 0xF0E442, [RENDER_FUTURE] = 0x394052,
};
static const char *const labels[RENDER_NSTATES] = {
    [RENDER_DONE] = "done",   [RENDER_LATE] = "late",   [RENDER_MISSED] = "missed",
    [RENDER_GRACE] = "grace", [RENDER_TODAY] = "today", [RENDER_FUTURE] = "not yet",
};

uint32_t render_day_colour(enum render_day s)
{
    return (unsigned)s < RENDER_NSTATES ? fills[s] : fills[RENDER_FUTURE];
}

const char *render_day_label(enum render_day s)
{
    return (unsigned)s < RENDER_NSTATES ? labels[s] : "?";
}

uint32_t render_background(void)
{
    return BG;
}

static void cell_xy(int day, int *x, int *y)
{
    int i = day - 1;
    *x = GX + (i / 7) * (CELL + GAP);
    *y = GY + (i % 7) * (CELL + GAP);
}

void render_progress_probe(int day, int *x, int *y)
{
    cell_xy(day, x, y);
    *x += 5;
    *y += 5;
}

void render_progress_text_area(int i, int *x, int *y, int *w, int *h)
{
    static const int a[RENDER_NTEXT_AREAS][4] = {
        {40, 22, 920, 40},  /* name */
        {CX, 96, CW, 60},   /* streaks */
        {40, 462, 920, 24}, /* milestone */
    };
    i = i < 0 ? 0 : i >= RENDER_NTEXT_AREAS ? RENDER_NTEXT_AREAS - 1 : i;
    *x = a[i][0];
    *y = a[i][1];
    *w = a[i][2];
    *h = a[i][3];
}

/* The state's mark inside a size x size cell at (x, y). */
static void mark(cairo_t *cr, enum render_day s, double x, double y, double size)
{
    double c = size / 2, in = size * 0.24, k = size / CELL;
    cairo_save(cr);
    cairo_set_line_width(cr, 3.2 * k);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    switch (s) {
    case RENDER_DONE: /* tick */
        rd_rgb(cr, 0xFFFFFF);
        cairo_move_to(cr, x + in, y + c + k);
        cairo_line_to(cr, x + c - 2 * k, y + size - in - k);
        cairo_line_to(cr, x + size - in, y + in + k);
        cairo_stroke(cr);
        break;
    case RENDER_LATE: /* clock */
        rd_rgb(cr, DARK);
        cairo_set_line_width(cr, 2.4 * k);
        cairo_arc(cr, x + c, y + c, c - in, 0, 2 * M_PI);
        cairo_move_to(cr, x + c, y + c);
        cairo_line_to(cr, x + c, y + in + 3 * k);
        cairo_move_to(cr, x + c, y + c);
        cairo_line_to(cr, x + c + 5 * k, y + c + 2 * k);
        cairo_stroke(cr);
        break;
    case RENDER_MISSED: /* cross */
        rd_rgb(cr, 0xFFFFFF);
        cairo_move_to(cr, x + in + 2 * k, y + in + 2 * k);
        cairo_line_to(cr, x + size - in - 2 * k, y + size - in - 2 * k);
        cairo_move_to(cr, x + size - in - 2 * k, y + in + 2 * k);
        cairo_line_to(cr, x + in + 2 * k, y + size - in - 2 * k);
        cairo_stroke(cr);
        break;
    case RENDER_GRACE: /* diagonal hatching, kept off the probe corner */
        rd_round_rect(cr, x + in - 1, y + in - 1, size - 2 * in + 2, size - 2 * in + 2, 3);
        cairo_clip(cr);
        rd_rgb(cr, DARK);
        cairo_set_line_width(cr, 2 * k);
        for (double d = -size; d < size; d += 6 * k) {
            cairo_move_to(cr, x + d, y + size);
            cairo_line_to(cr, x + d + size, y);
        }
        cairo_stroke(cr);
        break;
    case RENDER_TODAY: /* ring */
        rd_rgb(cr, DARK);
        cairo_arc(cr, x + c, y + c, c - in, 0, 2 * M_PI);
        cairo_stroke(cr);
        break;
    default:
        break;
    }
    cairo_restore(cr);
}

static void cell(cairo_t *cr, enum render_day s, double x, double y, double size)
{
    rd_rgb(cr, render_day_colour(s));
    rd_round_rect(cr, x, y, size, size, 6);
    cairo_fill(cr);
    mark(cr, s, x, y, size);
}

static void grid(cairo_t *cr, const struct render_progress *p)
{
    char lab[8];
    for (int w = 0; w < RENDER_MAX_WEEKS; w++) {
        snprintf(lab, sizeof(lab), "W%d", w + 1);
        rd_text(cr, lab, 13, w + 1 == p->this_week, GX + w * (CELL + GAP), GY - 20, CELL, RD_CENTER,
                w + 1 == p->this_week ? INK : INK2);
    }
    for (int d = 1; d <= RENDER_MAX_DAYS; d++) {
        int x, y;
        cell_xy(d, &x, &y);
        if (d <= p->n_days)
            cell(cr, p->day[d - 1], x, y, CELL);
        else { /* beyond the curriculum: an outline only */
            rd_rgb(cr, BORDER);
            cairo_set_line_width(cr, 1);
            rd_round_rect(cr, x + 0.5, y + 0.5, CELL - 1, CELL - 1, 6);
            cairo_stroke(cr);
        }
    }
    /* legend */
    double lx = GX;
    for (int s = 0; s < RENDER_NSTATES; s++) {
        cell(cr, (enum render_day)s, lx, 428, 22);
        rd_text(cr, labels[s], 13, false, lx + 27, 430, 50, RD_LEFT, INK2);
        lx += s == RENDER_MISSED ? 82 : 74;
    }
}

static double chart_max(const struct render_progress *p)
{
    double m = p->target_max > 0 ? p->target_max + 5 : 25;
    for (int w = 0; w < p->n_weeks && w < RENDER_MAX_WEEKS; w++)
        if (p->week_hours[w] * 1.1 > m)
            m = p->week_hours[w] * 1.1;
    return m;
}

static void chart_band(cairo_t *cr, const struct render_progress *p, double ymax)
{
    if (p->target_max <= 0)
        return;
    double y1 = CY + CH - CH * p->target_max / ymax, y0 = CY + CH - CH * p->target_min / ymax;
    rd_rgba(cr, 0x56B4E9, 0.18);
    cairo_rectangle(cr, CX, y1, CW, y0 - y1);
    cairo_fill(cr);
    rd_rgba(cr, 0x56B4E9, 0.8);
    cairo_set_line_width(cr, 1);
    double dash[] = {4, 3};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, CX, floor(y1) + 0.5);
    cairo_line_to(cr, CX + CW, floor(y1) + 0.5);
    cairo_move_to(cr, CX, floor(y0) + 0.5);
    cairo_line_to(cr, CX + CW, floor(y0) + 0.5);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    char lab[48];
    snprintf(lab, sizeof(lab), "target %.0f-%.0f h", p->target_min, p->target_max);
    rd_text(cr, lab, 12, false, CX, y1 - 16, CW, RD_RIGHT, 0x9AD3F5);
}

static void chart(cairo_t *cr, const struct render_progress *p)
{
    double ymax = chart_max(p);
    rd_text(cr, "Hours per week", 14, true, CX, CY - 22, CW, RD_LEFT, INK2);
    rd_rgb(cr, BORDER);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, CX, CY + CH + 0.5);
    cairo_line_to(cr, CX + CW, CY + CH + 0.5);
    cairo_stroke(cr);
    chart_band(cr, p, ymax);
    double slot = (double)CW / RENDER_MAX_WEEKS, bw = slot - 12;
    char lab[16];
    for (int w = 0; w < RENDER_MAX_WEEKS; w++) {
        double x = CX + w * slot + 6, h = 0, v = w < p->n_weeks ? p->week_hours[w] : 0;
        bool cur = w + 1 == p->this_week;
        snprintf(lab, sizeof(lab), "W%d", w + 1);
        rd_text(cr, lab, 12, cur, x - 4, CY + CH + 4, bw + 8, RD_CENTER, cur ? INK : INK2);
        if (w >= p->n_weeks)
            continue;
        h = v > 0 ? CH * v / ymax : 0;
        bool in_band = v >= p->target_min && (p->target_max <= 0 || v <= p->target_max);
        rd_rgb(cr, in_band ? 0x009E73 : v > p->target_max ? 0x56B4E9 : 0xE69F00);
        rd_round_rect(cr, x, CY + CH - h, bw, h > 3 ? h : 3, 3);
        cairo_fill(cr);
        snprintf(lab, sizeof(lab), "%.1f", v);
        rd_text(cr, lab, 11, false, x - 6, CY + CH - h - 16, bw + 12, RD_CENTER, INK);
    }
}

static void texts(cairo_t *cr, const struct render_progress *p)
{
    int x, y, w, h;
    render_progress_text_area(0, &x, &y, &w, &h);
    rd_text(cr, p->name && *p->name ? p->name : "?", 30, true, x, y, w, RD_LEFT, INK);
    rd_text(cr, p->subtitle, 16, false, 40, 64, 920, RD_LEFT, INK2);
    render_progress_text_area(1, &x, &y, &w, &h);
    char line[96];
    snprintf(line, sizeof(line), "Streak %d day%s", p->current, p->current == 1 ? "" : "s");
    rd_text(cr, line, 26, true, x, y, w, RD_LEFT, INK);
    snprintf(line, sizeof(line), "longest %d day%s", p->longest, p->longest == 1 ? "" : "s");
    rd_text(cr, line, 16, false, x, y + 34, w, RD_LEFT, INK2);
    render_progress_text_area(2, &x, &y, &w, &h);
    char bottom[600];
    snprintf(bottom, sizeof(bottom), "%s%s%s", p->milestone ? p->milestone : "Next: -",
             p->extra && *p->extra ? "   \xc2\xb7   " : "", p->extra ? p->extra : "");
    rd_text(cr, bottom, 16, false, x, y, w, RD_LEFT, INK);
}

int render_progress_png(const struct render_progress *p, struct render_png *out, char *err,
                        size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (!p || p->n_days < 1 || p->n_days > RENDER_MAX_DAYS || p->n_weeks < 0 ||
        p->n_weeks > RENDER_MAX_WEEKS) {
        snprintf(err, errlen, "progress card: days must be 1..%d and weeks 0..%d", RENDER_MAX_DAYS,
                 RENDER_MAX_WEEKS);
        return BOT_EINVAL;
    }
    if (rd_fonts_check(err, errlen))
        return BOT_EIO;
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, RENDER_CARD_W, RENDER_CARD_H);
    cairo_t *cr = cairo_create(s);
    rd_rgb(cr, BG);
    cairo_paint(cr);
    rd_rgb(cr, BORDER);
    cairo_set_line_width(cr, 2);
    rd_round_rect(cr, 1, 1, RENDER_CARD_W - 2, RENDER_CARD_H - 2, 14);
    cairo_stroke(cr);
    texts(cr, p);
    grid(cr, p);
    chart(cr, p);
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
