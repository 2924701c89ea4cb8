/* test_render_pool.c - the render worker (render/pool.c): every kind of picture drawn
 * on the worker and handed back through the drain with its wake hook called; jobs are
 * deep copies (the caller's input is overwritten right after submitting, the picture
 * still shows the original data); a bounded queue that counts finished jobs not yet
 * drained (so "full" does not depend on timing); every completion runs exactly once,
 * also for jobs still queued when the pool is freed ("shutting down"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot/err.h"
#include "render/pool.h"
#include "render/render.h"

static atomic_int wakes;

static void wake(void *arg)
{
    (void)arg;
    atomic_fetch_add(&wakes, 1);
}

struct got {
    int calls, ok, shutting_down;
    int w[8], h[8];
    unsigned char *png[8];
    size_t len[8];
};

static void done(void *arg, struct render_done *d)
{
    struct got *g = arg;
    int i = g->calls++;
    if (d->rc == 0) {
        g->ok++;
        assert_true(d->wait_us >= 0 && d->draw_us > 0);
        if (i < 8) { /* take the PNG */
            g->w[i] = d->png->width;
            g->h[i] = d->png->height;
            g->png[i] = d->png->data;
            g->len[i] = d->png->len;
            d->png->data = NULL;
        }
    } else {
        assert_string_equal(d->err, "shutting down");
        g->shutting_down++;
    }
}

static void got_free(struct got *g)
{
    for (int i = 0; i < 8; i++)
        free(g->png[i]);
}

static void progress(struct render_progress *p, char *name)
{
    memset(p, 0, sizeof(*p));
    p->name = name;
    p->n_days = 70;
    for (int d = 0; d < 70; d++)
        p->day[d] = d < 10 ? RENDER_DONE : RENDER_FUTURE;
    p->target_min = 15;
    p->target_max = 20;
}

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

static uint32_t pixel_of(const unsigned char *png, size_t len, int x, int y)
{
    struct png_src src = {png, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &src);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    uint32_t v;
    memcpy(&v,
           cairo_image_surface_get_data(s) + (size_t)y * cairo_image_surface_get_stride(s) +
               (size_t)x * 4,
           4);
    cairo_surface_destroy(s);
    return v & 0xFFFFFF;
}

static void test_kinds_and_copies(void **state)
{
    (void)state;
    atomic_store(&wakes, 0);
    struct render_pool_opts o = {.wake = wake};
    struct render_pool *p = render_pool_new(&o);
    assert_non_null(p);
    char err[BOT_ERR_LEN];
    assert_int_equal(render_pool_warm_status(p, err, sizeof(err)), 0);
    struct got g = {0};
    char name[32] = "Ada Lovelace";
    struct render_progress pr;
    progress(&pr, name);
    int active[70];
    for (int d = 0; d < 70; d++)
        active[d] = d % 2 ? 0 : 4; /* bars on odd days only */
    struct render_report rr = {
        .n_days = 70, .today = 70, .days_per_week = 7, .active = active, .learners = 4};
    struct render_leaderboard lb = {.n = 1, .rows = {{name, 5, 9}}};
    struct render_job *j1 = render_job_progress(&pr), *j2 = render_job_report(&rr),
                      *j3 = render_job_leaderboard(&lb);
    assert_int_equal(render_pool_submit(p, j1, done, &g), 0);
    assert_int_equal(render_pool_submit(p, j2, done, &g), 0);
    assert_int_equal(render_pool_submit(p, j3, done, &g), 0);
    /* the caller's input changes right away: the jobs hold their own copies */
    memset(name, 'x', sizeof(name) - 1);
    for (int d = 0; d < 70; d++)
        active[d] = d % 2 ? 4 : 0;
    assert_true(render_pool_wait_idle(p, 60000));
    assert_int_equal(render_pool_pending(p), 3);
    assert_int_equal(render_pool_drain(p), 3);
    assert_int_equal(render_pool_pending(p), 0);
    assert_int_equal(g.ok, 3);
    assert_true(atomic_load(&wakes) >= 1);
    assert_int_equal(g.w[0], RENDER_CARD_W);
    assert_int_equal(g.h[0], RENDER_CARD_H);
    assert_int_equal(g.w[1], RENDER_REPORT_W);
    assert_int_equal(g.h[1], RENDER_REPORT_H);
    assert_int_equal(g.h[2], RENDER_LB_H);
    for (int day = 1; day <= 4; day++) { /* day 1, 3 (index 0, 2) had the bars */
        int x, base;
        render_report_day_x(&rr, day, &x, &base);
        bool bar = pixel_of(g.png[1], g.len[1], x, base - 2) == render_report_bar_colour();
        assert_int_equal(bar, day % 2 == 1);
    }
    render_pool_free(p);
    got_free(&g);
}

static void test_queue_full(void **state)
{
    (void)state;
    struct render_pool_opts o = {.queue_max = 2};
    struct render_pool *p = render_pool_new(&o);
    struct got g = {0};
    char name[] = "Grace Hopper";
    struct render_progress pr;
    progress(&pr, name);
    for (int i = 0; i < 2; i++)
        assert_int_equal(render_pool_submit(p, render_job_progress(&pr), done, &g), 0);
    /* finished or not, two jobs are not yet drained: a third is refused, whatever the
     * worker's speed */
    struct render_job *j = render_job_progress(&pr);
    assert_int_equal(render_pool_submit(p, j, done, &g), BOT_EFULL);
    assert_true(render_pool_wait_idle(p, 60000));
    assert_int_equal(render_pool_submit(p, j, done, &g), BOT_EFULL); /* drained only now: */
    assert_int_equal(render_pool_drain(p), 2);
    assert_int_equal(render_pool_submit(p, j, done, &g), 0);
    assert_true(render_pool_wait_idle(p, 60000));
    render_pool_drain(p);
    assert_int_equal(g.ok, 3);
    render_pool_free(p);
    got_free(&g);
}

static void test_free_runs_every_completion(void **state)
{
    (void)state;
    struct render_pool *p = render_pool_new(NULL);
    struct got g = {0};
    char name[] = "Alan Turing";
    struct render_progress pr;
    progress(&pr, name);
    for (int i = 0; i < 6; i++)
        assert_int_equal(render_pool_submit(p, render_job_progress(&pr), done, &g), 0);
    render_pool_free(p); /* at once: some drawn, the rest never */
    assert_int_equal(g.calls, 6);
    assert_int_equal(g.ok + g.shutting_down, 6);
    got_free(&g);
    render_job_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_and_copies),
        cmocka_unit_test(test_queue_full),
        cmocka_unit_test(test_free_runs_every_completion),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    render_shutdown(); /* fontconfig's caches; the workers released their font maps */
    return rc;
}
