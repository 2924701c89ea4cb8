/* render.h - pictures drawn with cairo + pango into PNG bytes in memory: the /progress
 * card, the /cohort report charts, the /leaderboard card. A leaf module: plain input
 * structs (no SQL, no Discord, no clock), one call per image. Any thread, but never the
 * bot's loop thread: the bot draws on its render worker (render/pool.h); the CLI on its
 * main thread (each call makes its own surface; pango's default font map is per
 * thread). The caller owns the input; the PNG in struct render_png belongs to the
 * caller after a successful call (render_png_free). */
#ifndef COHORT_RENDER_H
#define COHORT_RENDER_H

#include <stddef.h>
#include <stdint.h>

#define RENDER_MAX_DAYS 70 /* the grid: 10 weeks x 7 days */
#define RENDER_MAX_WEEKS 10
#define RENDER_CARD_W 1000
#define RENDER_CARD_H 500
#define RENDER_MAX_PNG (200 * 1024) /* larger output is an error */

/* A day's state on the grid. Each has its own colour AND its own mark (tick, clock,
 * cross, hatching, ring, nothing), so the grid reads without colour vision. */
enum render_day {
    RENDER_DONE = 0, /* checked in before the day ended */
    RENDER_LATE,     /* checked in after the day ended */
    RENDER_MISSED,   /* no check-in */
    RENDER_GRACE,    /* missed or late, covered by the week's grace day */
    RENDER_TODAY,    /* today, not checked in yet */
    RENDER_FUTURE,   /* not yet */
    RENDER_NSTATES
};

struct render_progress {
    const char *name;     /* display name, any script (UTF-8; invalid bytes are replaced) */
    const char *subtitle; /* e.g. "Day 23 of 70 - 20 days done", may be NULL */
    int n_days;           /* days on the grid, 1..RENDER_MAX_DAYS */
    enum render_day day[RENDER_MAX_DAYS]; /* [0] = day 1 */
    int current, longest;                 /* streaks, in days */
    int n_weeks;                          /* bars drawn, 0..RENDER_MAX_WEEKS */
    double week_hours[RENDER_MAX_WEEKS];  /* [0] = week 1 */
    int this_week;                        /* 1-based, 0 = none highlighted */
    double target_min, target_max;        /* hours per week band */
    const char *milestone;                /* "Next: ..." line, may be NULL */
    const char *extra;                    /* e.g. assessments/projects line, may be NULL */
};

struct render_png {
    unsigned char *data; /* malloc'd PNG bytes */
    size_t len;
    int width, height;
};

/* Draws the card and encodes it. 0, or BOT_EINVAL (bad input), BOT_ENOMEM, BOT_EIO
 * (cairo/pango failure, output over RENDER_MAX_PNG) with a reason in err. */
int render_progress_png(const struct render_progress *p, struct render_png *out, char *err,
                        size_t errlen);
void render_png_free(struct render_png *png);

/* Geometry and palette, for tests and the README: a pixel of day `day` (1-based) that
 * holds the state's plain fill colour (no mark, no anti-aliasing), and that colour
 * as 0xRRGGBB. */
void render_progress_probe(int day, int *x, int *y);
uint32_t render_day_colour(enum render_day s);
const char *render_day_label(enum render_day s);
/* Rectangles that hold text (name, streaks, milestone), for "text is not empty"
 * checks: fills x, y, w, h of area i (0..RENDER_NTEXT_AREAS-1). */
#define RENDER_NTEXT_AREAS 3
void render_progress_text_area(int i, int *x, int *y, int *w, int *h);
/* --- the /cohort report charts (1000 x 600) ----------------------------------- */
#define RENDER_REPORT_W 1000
#define RENDER_REPORT_H 600
#define RENDER_REPORT_MAX_DAYS 366
#define RENDER_REPORT_MAX_WEEKS 53

#define RENDER_REPORT_H_FULL 820
#define RENDER_REPORT_MAX_ASM 12
#define RENDER_REPORT_MAX_SESSIONS 60

struct render_asm_bar { /* one assessment: finished attempts and those passed */
    int week, passed, attempts;
};
struct render_session_bar { /* one study-group session held */
    const char *label;      /* short, e.g. "W3" (may be NULL) */
    int present;            /* members present */
};

struct render_report {
    const char *title;    /* e.g. "Cohort report - day 20 of 70", may be NULL */
    int n_days;           /* curriculum days on the x axis, 1..RENDER_REPORT_MAX_DAYS */
    int today;            /* days drawn (1..n_days); later days are left empty */
    int days_per_week;    /* week boundaries every this many days (7) */
    const int *active;    /* [0..today) learners who checked in on day d+1 */
    int learners;         /* learners in the cohort (the y scale of active) */
    int n_weeks;          /* weeks drawn in the lower charts, 0..RENDER_REPORT_MAX_WEEKS */
    const double *rate;   /* [w] check-in rate of week w+1, 0..1 */
    const double *median; /* [w] median hours of week w+1 (of learners active that week) */
    double target_min, target_max;
    /* A third row, drawn when either has data (the image is then RENDER_REPORT_H_FULL
     * tall): pass rate per assessment, and members present per study-group session. */
    int n_asm; /* 0..RENDER_REPORT_MAX_ASM */
    const struct render_asm_bar *asm_bars;
    int n_sessions; /* 0..RENDER_REPORT_MAX_SESSIONS, oldest first */
    const struct render_session_bar *sessions;
};

/* Draws the three charts (active learners per day with week boundaries; check-in rate
 * per week; median hours per week against the target band) and encodes them. Same
 * errors as render_progress_png. */
int render_report_png(const struct render_report *r, struct render_png *out, char *err,
                      size_t errlen);
/* Geometry for tests: the pixel column at the middle of day d's bar and the y of
 * the chart's base line; bars are drawn in render_report_bar_colour(). */
void render_report_day_x(const struct render_report *r, int day, int *x, int *base_y);
uint32_t render_report_bar_colour(void);
/* The third row, for tests: a pixel of bar i at `frac` of the chart's height (pass
 * rates: 1.0 = 100 %; sessions: 1.0 = render_report_session_max), the bars' colours,
 * and the sessions chart's scale. */
void render_report_asm_probe(const struct render_report *r, int i, double frac, int *x, int *y);
void render_report_session_probe(const struct render_report *r, int i, double frac, int *x, int *y);
uint32_t render_report_asm_colour(void);
uint32_t render_report_session_colour(void);
int render_report_session_max(const struct render_report *r);
/* The image's height for r: RENDER_REPORT_H, or RENDER_REPORT_H_FULL with a third row. */
int render_report_height(const struct render_report *r);

/* --- the /leaderboard card (1000 x 500): top 10 -------------------------------- */
#define RENDER_LB_W 1000
#define RENDER_LB_H 500
#define RENDER_LB_MAX 10

struct render_lb_row {
    const char *name; /* display name, any script */
    int streak, done;
};

struct render_leaderboard {
    const char *title; /* e.g. "Leaderboard - week 3", may be NULL */
    int n;             /* rows, 0..RENDER_LB_MAX (only members who opted in) */
    struct render_lb_row rows[RENDER_LB_MAX];
};

int render_leaderboard_png(const struct render_leaderboard *l, struct render_png *out, char *err,
                           size_t errlen);
/* Geometry for tests: a pixel inside row i's streak bar when the bar is at least
 * `frac` of the longest one, and the bar colour. */
void render_lb_bar_probe(int i, double frac, int *x, int *y);
uint32_t render_lb_bar_colour(void);

/* Loads fontconfig's configuration and the fonts the pictures use (Latin, CJK,
 * Arabic, emoji; regular and bold) on the calling thread, so its first picture is as
 * fast as the others. 0, or BOT_EIO "no fonts" when fontconfig finds none (every
 * picture then fails with that reason instead of drawing boxes). */
int render_warmup(char *err, size_t errlen);
/* Releases the calling thread's pango font map (a render thread, before it exits). */
void render_thread_end(void);
/* Releases pango's font map of the calling thread and fontconfig's caches (call once
 * at process exit, after the last render and after render threads ended; rendering
 * afterwards reloads them). */
void render_shutdown(void);
/* Glyphs of utf8 that no installed font has (drawn as boxes) in the card's font:
 * 0 when every character of the name can be drawn. Negative on error. */
int render_unknown_glyphs(const char *utf8);
/* The card's background colour (0xRRGGBB). */
uint32_t render_background(void);

#endif
