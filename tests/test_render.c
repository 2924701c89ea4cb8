/* test_render.c - the /progress card: rendered from fixed data, then decoded with
 * cairo and checked (size, PNG bytes, the colour of every grid cell against the day's
 * state, text areas not empty); a member with no check-ins, one with every day done,
 * right-to-left (Arabic, Hebrew) and CJK names whose every glyph has a font; bad
 * input refused; and `cohortbot render progress` on a real SQLite file, whose grid
 * must match the check-ins (on time, late, missed, grace, today, not yet). With
 * RENDER_DUMP_DIR set, the images are also written there (docs/img for the README). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>

#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_assessment.h"
#include "bot/store_checkin.h"
#include "bot/store_studygroup.h"
#include "schedules/cohort.h"
#include "render/render.h"
#include "testutil.h"

struct decoded {
    cairo_surface_t *s;
    const unsigned char *px;
    int w, h, stride;
};

struct png_src {
    const unsigned char *p;
    size_t len, off;
};

static cairo_status_t png_read(void *arg, unsigned char *data, unsigned int n)
{
    struct png_src *s = arg;
    if (s->off + n > s->len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, s->p + s->off, n);
    s->off += n;
    return CAIRO_STATUS_SUCCESS;
}

static void decode(const unsigned char *p, size_t len, struct decoded *d)
{
    struct png_src src = {p, len, 0};
    d->s = cairo_image_surface_create_from_png_stream(png_read, &src);
    assert_int_equal(cairo_surface_status(d->s), CAIRO_STATUS_SUCCESS);
    d->px = cairo_image_surface_get_data(d->s);
    d->w = cairo_image_surface_get_width(d->s);
    d->h = cairo_image_surface_get_height(d->s);
    d->stride = cairo_image_surface_get_stride(d->s);
}

static uint32_t pixel(const struct decoded *d, int x, int y)
{
    uint32_t v;
    memcpy(&v, d->px + (size_t)y * d->stride + (size_t)x * 4, 4);
    return v & 0xFFFFFF;
}

static void dump(const char *name, const struct render_png *png)
{
    const char *dir = getenv("RENDER_DUMP_DIR");
    if (!dir || !*dir || !name)
        return;
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    tu_write(path, png->data, png->len, 0644);
}

/* Every cell holds its state's colour; every text area has text pixels. */
static void check_card(const struct render_png *png, const struct render_progress *p)
{
    assert_true(png->len > 1000);
    assert_true(png->len <= 200 * 1024);
    struct decoded d;
    decode(png->data, png->len, &d);
    assert_int_equal(d.w, 1000);
    assert_int_equal(d.h, 500);
    for (int day = 1; day <= p->n_days; day++) {
        int x, y;
        render_progress_probe(day, &x, &y);
        if (pixel(&d, x, y) != render_day_colour(p->day[day - 1]))
            fail_msg("day %d: colour %06x, want %06x (%s)", day, pixel(&d, x, y),
                     render_day_colour(p->day[day - 1]), render_day_label(p->day[day - 1]));
    }
    for (int i = 0; i < RENDER_NTEXT_AREAS; i++) {
        int x, y, w, h, ink = 0;
        render_progress_text_area(i, &x, &y, &w, &h);
        for (int yy = y; yy < y + h; yy++)
            for (int xx = x; xx < x + w; xx++)
                ink += pixel(&d, xx, yy) != render_background();
        if (ink < 40)
            fail_msg("text area %d has %d ink pixels", i, ink);
    }
    cairo_surface_destroy(d.s);
}

static void base(struct render_progress *p, const char *name)
{
    memset(p, 0, sizeof(*p));
    p->name = name;
    p->subtitle = "Day 20 of 70 - 15 days checked in";
    p->n_days = 70;
    p->target_min = 15;
    p->target_max = 20;
    p->milestone = "Next: Week 3 quiz (day 21)";
    for (int d = 0; d < 70; d++)
        p->day[d] = RENDER_FUTURE;
}

static void render_check(const struct render_progress *p, const char *dumpname)
{
    struct render_png png;
    char err[BOT_ERR_LEN];
    int rc = render_progress_png(p, &png, err, sizeof(err));
    if (rc)
        fail_msg("render: %s", err);
    check_card(&png, p);
    dump(dumpname, &png);
    render_png_free(&png);
}

static void test_mixed(void **state)
{
    (void)state;
    struct render_progress p;
    base(&p, "Ada Lovelace");
    static const enum render_day seq[] = {RENDER_DONE, RENDER_DONE,   RENDER_LATE,
                                          RENDER_DONE, RENDER_GRACE,  RENDER_DONE,
                                          RENDER_DONE, RENDER_MISSED, RENDER_DONE};
    for (int d = 0; d < 19; d++)
        p.day[d] = seq[d % 9];
    p.day[19] = RENDER_TODAY;
    p.current = 3;
    p.longest = 7;
    p.n_weeks = 3;
    p.this_week = 3;
    p.week_hours[0] = 16.5;
    p.week_hours[1] = 22;
    p.week_hours[2] = 6.25;
    p.extra = "Assessments passed: 1 of 5";
    render_check(&p, "progress-mixed.png");
}

static void test_no_checkins(void **state)
{
    (void)state;
    struct render_progress p;
    base(&p, "Nobody Yet");
    p.subtitle = "Day 20 of 70 - 0 days checked in";
    for (int d = 0; d < 19; d++)
        p.day[d] = RENDER_MISSED;
    p.day[19] = RENDER_TODAY;
    p.n_weeks = 3;
    p.this_week = 3;
    render_check(&p, "progress-none.png");
}

static void test_all_done(void **state)
{
    (void)state;
    struct render_progress p;
    base(&p, "Grace Hopper");
    p.subtitle = "Day 70 of 70 - 70 days checked in";
    p.milestone = "All 70 days are behind you";
    for (int d = 0; d < 70; d++)
        p.day[d] = RENDER_DONE;
    p.current = p.longest = 70;
    p.n_weeks = 10;
    p.this_week = 10;
    for (int w = 0; w < 10; w++)
        p.week_hours[w] = 15 + w % 4 * 1.5;
    render_check(&p, "progress-all-done.png");
}

static void names(const char *name, const char *file)
{
    assert_int_equal(render_unknown_glyphs(name), 0);
    struct render_progress p;
    base(&p, name);
    for (int d = 0; d < 9; d++)
        p.day[d] = d % 4 == 3 ? RENDER_LATE : RENDER_DONE;
    p.day[9] = RENDER_TODAY;
    p.n_weeks = 2;
    p.this_week = 2;
    p.week_hours[0] = 18;
    p.week_hours[1] = 9;
    p.current = p.longest = 2;
    render_check(&p, file);
}

static void test_rtl_names(void **state)
{
    (void)state;
    names("\xd8\xb3\xd8\xa7\xd8\xb1\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xb9\xd9\x84\xd9\x8a", /* Arabic */
          "progress-arabic.png");
    names("\xd7\xa9\xd7\xa8\xd7\x94 \xd7\x9b\xd7\x94\xd7\x9f", "progress-hebrew.png");
}

static void test_cjk_and_emoji_name(void **state)
{
    (void)state;
    names("\xe5\xb1\xb1\xe7\x94\xb0 \xe8\x8a\xb1\xe5\xad\x90 \xf0\x9f\x8c\xb8", /* 山田 花子 🌸 */
          "progress-cjk.png");
    assert_true(render_unknown_glyphs("\xea\xb9\x80\xec\xa7\x80\xec\x9a\xb0") == 0); /* Korean */
}

static void test_bad_input(void **state)
{
    (void)state;
    struct render_progress p;
    struct render_png png;
    char err[BOT_ERR_LEN];
    base(&p, "x");
    p.n_days = 0;
    assert_int_equal(render_progress_png(&p, &png, err, sizeof(err)), BOT_EINVAL);
    assert_null(png.data);
    p.n_days = 71;
    assert_int_equal(render_progress_png(&p, &png, err, sizeof(err)), BOT_EINVAL);
    base(&p, "bad \xff\xfe utf-8 \xe2\x82");
    p.n_weeks = 11;
    assert_int_equal(render_progress_png(&p, &png, err, sizeof(err)), BOT_EINVAL);
    p.n_weeks = 1;
    p.week_hours[0] = 1e9; /* absurd hours still draw inside the chart */
    p.name = "bad \xff\xfe utf-8 \xe2\x82";
    render_check(&p, NULL);
}

/* The top 10: size, and each row's bar as long as its streak relative to the top. */
static void test_leaderboard(void **state)
{
    (void)state;
    struct render_leaderboard l = {.title = "Leaderboard - current streaks", .n = 10};
    static const char *const nm[10] = {"Ada Lovelace",
                                       "\xe5\xb1\xb1\xe7\x94\xb0 \xe8\x8a\xb1\xe5\xad\x90",
                                       "\xd7\xa9\xd7\xa8\xd7\x94 \xd7\x9b\xd7\x94\xd7\x9f",
                                       "Grace Hopper",
                                       "Alan Turing",
                                       "Katherine Johnson",
                                       "Edsger Dijkstra",
                                       "Barbara Liskov",
                                       "Donald Knuth",
                                       "Frances Allen"};
    for (int i = 0; i < 10; i++)
        l.rows[i] = (struct render_lb_row){nm[i], 20 - 2 * i, 40 - i};
    l.rows[9].streak = 0;
    struct render_png png;
    char err[BOT_ERR_LEN];
    assert_int_equal(render_leaderboard_png(&l, &png, err, sizeof(err)), 0);
    assert_true(png.len <= 200 * 1024);
    struct decoded d;
    decode(png.data, png.len, &d);
    assert_int_equal(d.w, 1000);
    assert_int_equal(d.h, 500);
    for (int i = 0; i < 9; i++) {
        int x, y;
        double frac = l.rows[i].streak / 20.0;
        render_lb_bar_probe(i, frac, &x, &y);
        assert_int_equal(pixel(&d, x, y), render_lb_bar_colour()); /* bar reaches here */
        render_lb_bar_probe(i, frac + 0.05, &x, &y);
        assert_true(pixel(&d, x, y) != render_lb_bar_colour()); /* and stops */
    }
    cairo_surface_destroy(d.s);
    dump("leaderboard.png", &png);
    render_png_free(&png);
    l.n = 11;
    assert_int_equal(render_leaderboard_png(&l, &png, err, sizeof(err)), BOT_EINVAL);
}

/* --- the report's third row: pass rates and attendance ------------------------- */

/* Bar i reaches frac of its chart (within 4 %) and stops there. */
static void bar_at(const struct decoded *d, const struct render_report *r, bool sessions, int i,
                   double frac, uint32_t colour)
{
    int x, y;
    double lo = frac - 0.04 > 0.005 ? frac - 0.04 : 0.005;
    if (sessions)
        render_report_session_probe(r, i, lo, &x, &y);
    else
        render_report_asm_probe(r, i, lo, &x, &y);
    if (frac > 0 && pixel(d, x, y) != colour)
        fail_msg("%s bar %d: no bar at %.2f (pixel %06x)", sessions ? "session" : "assessment", i,
                 lo, pixel(d, x, y));
    if (sessions)
        render_report_session_probe(r, i, frac + 0.05, &x, &y);
    else
        render_report_asm_probe(r, i, frac + 0.05, &x, &y);
    if (pixel(d, x, y) == colour)
        fail_msg("%s bar %d: taller than %.2f", sessions ? "session" : "assessment", i, frac);
}

/* The pass rate of every assessment (passed / finished attempts) and the members present
 * at every session, each bar as tall as its figure; an assessment nobody finished has
 * no bar; a report without either has no third row (600 px). */
static void check_rows(const unsigned char *png, size_t len, const struct render_report *r)
{
    struct decoded d;
    decode(png, len, &d);
    assert_int_equal(d.w, 1000);
    assert_int_equal(d.h, render_report_height(r));
    int smax = render_report_session_max(r);
    for (int i = 0; i < r->n_asm; i++) {
        const struct render_asm_bar *q = &r->asm_bars[i];
        if (q->attempts == 0) {
            int x, y;
            render_report_asm_probe(r, i, 0.005, &x, &y);
            assert_true(pixel(&d, x, y) != render_report_asm_colour());
            continue;
        }
        bar_at(&d, r, false, i, (double)q->passed / q->attempts, render_report_asm_colour());
    }
    for (int i = 0; i < r->n_sessions; i++)
        bar_at(&d, r, true, i, (double)r->sessions[i].present / smax,
               render_report_session_colour());
    cairo_surface_destroy(d.s);
}

static void test_report_rows(void **state)
{
    (void)state;
    static int active[30];
    static double rate[5], median[5];
    for (int i = 0; i < 30; i++)
        active[i] = 12 - i / 4;
    for (int w = 0; w < 5; w++) {
        rate[w] = 0.8 - w * 0.05;
        median[w] = 16 - w;
    }
    static const struct render_asm_bar asm_bars[5] = {
        {2, 9, 12}, {4, 3, 10}, {6, 0, 4}, {8, 0, 0}, {10, 0, 0}};
    static const struct render_session_bar ses[8] = {{"W1", 9}, {"W1", 7}, {"W2", 8}, {"W2", 4},
                                                     {"W3", 6}, {"W3", 0}, {"W4", 5}, {"W4", 3}};
    struct render_report r = {.title = "Cohort report - day 30 of 70, 12 learners",
                              .n_days = 70,
                              .today = 30,
                              .days_per_week = 7,
                              .active = active,
                              .learners = 12,
                              .n_weeks = 5,
                              .rate = rate,
                              .median = median,
                              .target_min = 15,
                              .target_max = 20,
                              .n_asm = 5,
                              .asm_bars = asm_bars,
                              .n_sessions = 8,
                              .sessions = ses};
    struct render_png png;
    char err[BOT_ERR_LEN];
    assert_int_equal(render_report_png(&r, &png, err, sizeof(err)), 0);
    assert_true(png.len <= 200 * 1024);
    check_rows(png.data, png.len, &r);
    dump("report-full.png", &png);
    render_png_free(&png);
    r.n_asm = r.n_sessions = 0; /* neither feature has data: no third row */
    assert_int_equal(render_report_png(&r, &png, err, sizeof(err)), 0);
    check_rows(png.data, png.len, &r);
    render_png_free(&png);
    r.n_sessions = RENDER_REPORT_MAX_SESSIONS + 1;
    assert_int_equal(render_report_png(&r, &png, err, sizeof(err)), BOT_EINVAL);
}

/* --- the CLI on a real database ------------------------------------------------ */

#define GUILD "1000000000000000001"
#define USER "501000000000000001"
#define START 1772409600 /* 2026-03-02T00:00:00Z, day 1 (UTC cohort) */

#define USER2 "502000000000000002"

static void put_ck_as(struct store *s, const char *user, int64_t cohort, int day, int64_t at,
                      double hours)
{
    struct checkin ck = {.cohort_id = cohort, .day = day, .hours = hours, .created_at = at};
    snprintf(ck.user_id, sizeof(ck.user_id), "%s", user);
    bool upd;
    assert_int_equal(store_checkin_put(s, &ck, at, &upd), 0);
}

static void put_ck(struct store *s, int64_t cohort, int day, int64_t at, double hours)
{
    put_ck_as(s, USER, cohort, day, at, hours);
}

/* `render report`: a bar on every day someone checked in, full height where both
 * learners did, none on days 9, 10 and 12 (nobody). */
static void check_report(const char *db, const char *conf, const char *at)
{
    char out[300];
    tu_path(out, sizeof(out), "report.png");
    const char *argv[] = {tu_bin(), "render",   "report", "--db", db, "--out",
                          out,      "--config", conf,     "--at", at, NULL};
    struct tu_run r;
    tu_run(argv, NULL, NULL, 60000, &r);
    if (r.status != 0)
        fail_msg("render report exited %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "1000x600 PNG"));
    tu_run_free(&r);
    size_t len = 0;
    char *png = tu_read(out, &len);
    assert_non_null(png);
    assert_true(len <= 200 * 1024);
    struct decoded d;
    decode((unsigned char *)png, len, &d);
    assert_int_equal(d.w, 1000);
    assert_int_equal(d.h, 600);
    struct render_report rr = {.n_days = 70};
    static const int active[13] = {0, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0};
    for (int day = 1; day <= 12; day++) {
        int x, base;
        render_report_day_x(&rr, day, &x, &base);
        bool bar = pixel(&d, x, base - 2) == render_report_bar_colour();
        bool full = pixel(&d, x, base - 150) == render_report_bar_colour();
        if (bar != (active[day] > 0) || full != (active[day] == 2))
            fail_msg("report day %d: bar %d full %d, want %d learners", day, bar, full,
                     active[day]);
    }
    cairo_surface_destroy(d.s);
    struct render_png rp = {.data = (unsigned char *)png, .len = len};
    dump("report-cli.png", &rp);
    free(png);
}

static void test_cli_from_db(void **state)
{
    (void)state;
    char db[300], out[300], conf[300];
    tu_path(db, sizeof(db), "render.db");
    tu_path(out, sizeof(out), "card.png");
    tu_path(conf, sizeof(conf), "grace.json");
    const char *cj = "{\"grace_days_per_week\": 1}\n";
    tu_write(conf, cj, strlen(cj), 0644);
    struct store *s;
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open(db, &s, err, sizeof(err)), 0);
    struct cohort co = {0};
    snprintf(co.guild_id, sizeof(co.guild_id), GUILD);
    snprintf(co.start_date, sizeof(co.start_date), "2026-03-02");
    snprintf(co.timezone, sizeof(co.timezone), "UTC");
    snprintf(co.post_time, sizeof(co.post_time), "09:00");
    assert_int_equal(store_cohort_put(s, &co, START), 0);
    struct member m = {.nudges = true};
    snprintf(m.guild_id, sizeof(m.guild_id), GUILD);
    snprintf(m.user_id, sizeof(m.user_id), USER);
    snprintf(m.name, sizeof(m.name), "Test Learner");
    assert_int_equal(store_member_put(s, &m), 0);
    /* week 1: days 1-7 on time except day 3 late (grace covers it); week 2: day 9 and
     * day 10 missed (the first is grace, the second breaks); day 12 on today. */
    enum render_day want[70];
    for (int d = 1; d <= 70; d++)
        want[d - 1] = RENDER_FUTURE;
    for (int d = 1; d <= 11; d++) {
        int64_t at = START + (int64_t)(d - 1) * 86400 + 10 * 3600;
        want[d - 1] = RENDER_DONE;
        if (d == 3) {
            at += 20 * 3600; /* 06:00 the next day */
            want[d - 1] = RENDER_GRACE;
        }
        if (d == 9 || d == 10) {
            want[d - 1] = d == 9 ? RENDER_GRACE : RENDER_MISSED;
            continue;
        }
        put_ck(s, co.id, d, at, 2.5);
    }
    want[11] = RENDER_TODAY;
    snprintf(m.user_id, sizeof(m.user_id), USER2);
    snprintf(m.name, sizeof(m.name), "Second Learner");
    assert_int_equal(store_member_put(s, &m), 0);
    put_ck_as(s, USER2, co.id, 1, START + 9 * 3600, 4);
    put_ck_as(s, USER2, co.id, 2, START + 86400 + 9 * 3600, 3);
    store_close(s);
    char at[32];
    snprintf(at, sizeof(at), "%lld", (long long)(START + 11 * 86400 + 8 * 3600)); /* day 12 */
    const char *argv[] = {tu_bin(), "render", "progress", "--user", USER,   "--db", db,
                          "--out",  out,      "--config", conf,     "--at", at,     NULL};
    struct tu_run r;
    tu_run(argv, NULL, NULL, 60000, &r);
    if (r.status != 0)
        fail_msg("render exited %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "1000x500 PNG"));
    tu_run_free(&r);
    size_t len = 0;
    char *png = tu_read(out, &len);
    assert_non_null(png);
    struct render_progress p;
    base(&p, "Test Learner");
    memcpy(p.day, want, sizeof(want));
    struct render_png rp = {.data = (unsigned char *)png, .len = len};
    check_card(&rp, &p);
    dump("progress-cli.png", &rp);
    free(png);
    check_report(db, conf, at);
    /* bad arguments */
    const char *bad[] = {tu_bin(), "render", "progress", "--user", "12x", "--out", out, NULL};
    tu_run(bad, NULL, NULL, 60000, &r);
    assert_int_equal(r.status, 2);
    tu_run_free(&r);
}

/* `render report` on a real database with assessment attempts (bot/store_assessment)
 * and study-group sessions with voice time (bot/store_studygroup): the pass rate bars
 * are passed / finished attempts per assessment of the curriculum, the session bars the
 * members present (at least 10 minutes in the voice channel during the session). */
static void add_attempt(struct store *s, int64_t cohort, const char *user, int week, bool passed)
{
    struct store_attempt a;
    memset(&a, 0, sizeof(a));
    a.cohort_id = cohort;
    snprintf(a.user_id, sizeof(a.user_id), "%s", user);
    a.week = week;
    a.seed = 7;
    snprintf(a.plan, sizeof(a.plan), "q01 q02");
    a.n_questions = 2;
    a.pass_percent = 80;
    snprintf(a.bank_hash, sizeof(a.bank_hash), "00");
    a.started_at = START + 86400;
    a.deadline = a.started_at + 3600;
    assert_int_equal(store_asm_create(s, &a), 0);
    assert_int_equal(store_asm_close(s, a.id, 1 /* done */, passed, a.started_at + 600), 0);
}

static void add_session(struct store *s, int64_t cohort, const char *key, const char *event_id,
                        int64_t start)
{
    struct sg_event e = {.start = start, .end = start + 2 * 3600, .state = SG_EV_COMPLETED};
    snprintf(e.key, sizeof(e.key), "%s", key);
    snprintf(e.event_id, sizeof(e.event_id), "%s", event_id);
    snprintf(e.channel_id, sizeof(e.channel_id), "7000000000000000001");
    assert_int_equal(store_sg_event_put(s, cohort, &e, e.channel_id, start - 86400), 0);
}

static void voice(struct store *s, const char *user, int64_t from, int64_t to)
{
    assert_int_equal(store_sg_voice_join(s, GUILD, user, "7000000000000000001", from), 0);
    assert_int_equal(store_sg_voice_leave(s, GUILD, user, to), 0);
}

static void test_cli_report_rows(void **state)
{
    (void)state;
    char db[300], out[300];
    tu_path(db, sizeof(db), "rows.db");
    tu_path(out, sizeof(out), "rows.png");
    struct store *s;
    char err[BOT_ERR_LEN];
    assert_int_equal(store_open(db, &s, err, sizeof(err)), 0);
    struct cohort co = {0};
    snprintf(co.guild_id, sizeof(co.guild_id), GUILD);
    snprintf(co.curriculum, sizeof(co.curriculum), "data-engineer");
    snprintf(co.start_date, sizeof(co.start_date), "2026-03-02");
    snprintf(co.timezone, sizeof(co.timezone), "UTC");
    snprintf(co.post_time, sizeof(co.post_time), "09:00");
    assert_int_equal(store_cohort_put(s, &co, START), 0);
    static const char *const users[3] = {USER, USER2, "503000000000000003"};
    for (int i = 0; i < 3; i++)
        put_ck_as(s, users[i], co.id, 1, START + 3600, 2);
    /* week 2: 3 finished attempts, 2 passed; week 4: 1, none passed; 6, 8, 10: none */
    add_attempt(s, co.id, USER, 2, true);
    add_attempt(s, co.id, USER2, 2, false);
    add_attempt(s, co.id, USER2, 2, true); /* a retake */
    add_attempt(s, co.id, users[2], 4, false);
    /* two sessions: the first with 2 present (the third member stayed 5 minutes), the
     * second with 1 (joins add up: 6 + 6 minutes) */
    int64_t s1 = START + 86400 + 20 * 3600, s2 = START + 3 * 86400 + 20 * 3600;
    add_session(s, co.id, "data-foundations/1", "9000000000000000001", s1);
    add_session(s, co.id, "data-foundations/2", "9000000000000000002", s2);
    voice(s, USER, s1 + 300, s1 + 3600);
    voice(s, USER2, s1 + 600, s1 + 1800);
    voice(s, users[2], s1, s1 + 300);
    voice(s, USER2, s2, s2 + 360);
    voice(s, USER2, s2 + 900, s2 + 1260);
    store_close(s);
    char at[32];
    snprintf(at, sizeof(at), "%lld", (long long)(START + 11 * 86400 + 8 * 3600)); /* day 12 */
    const char *argv[] = {tu_bin(), "render", "report", "--db", db, "--out", out, "--at", at, NULL};
    struct tu_run r;
    tu_run(argv, NULL, NULL, 60000, &r);
    if (r.status != 0)
        fail_msg("render report exited %d: %s", r.status, r.err);
    assert_non_null(strstr(r.out, "1000x820 PNG"));
    tu_run_free(&r);
    size_t len = 0;
    char *png = tu_read(out, &len);
    assert_non_null(png);
    static const struct render_asm_bar want_asm[5] = {
        {2, 2, 3}, {4, 0, 1}, {6, 0, 0}, {8, 0, 0}, {10, 0, 0}};
    static const struct render_session_bar want_ses[2] = {{"W1", 2}, {"W1", 1}};
    struct render_report rr = {
        .n_days = 70, .n_asm = 5, .asm_bars = want_asm, .n_sessions = 2, .sessions = want_ses};
    check_rows((unsigned char *)png, len, &rr);
    free(png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_no_checkins),
        cmocka_unit_test(test_all_done),
        cmocka_unit_test(test_rtl_names),
        cmocka_unit_test(test_cjk_and_emoji_name),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_cli_from_db),
        cmocka_unit_test(test_leaderboard),
        cmocka_unit_test(test_report_rows),
        cmocka_unit_test(test_cli_report_rows),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    render_shutdown();
    tu_cleanup();
    return rc;
}
