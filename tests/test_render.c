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
#include "bot/store_checkin.h"
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
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    render_shutdown();
    tu_cleanup();
    return rc;
}
