/* studygroups_report.c - study-group attendance for organisers and learners: a member
 * is present at a session when they spent `study_group_present_minutes` (10) in the
 * voice channel of its event between its start and its end, joins adding up
 * (schedules/attendance.c). /progress shows sessions attended of sessions held;
 * /cohort report shows per session held: interested, present, and who said yes and did
 * not come. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_studygroup.h"
#include "commands/commands.h"
#include "config/config.h"
#include "schedules/attendance.h"
#include "render/render.h"
#include "schedules/cohort.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SG_REPORT_MAX 12 /* latest sessions listed */

/* Present members of a held event into *out (caller free()s). */
static int presence(struct cmd_ctx *c, const struct sg_event *e, struct sg_presence **out,
                    size_t *n)
{
    struct sg_interval *v = NULL;
    size_t nv = 0;
    *out = NULL;
    *n = 0;
    if (!e->channel_id[0])
        return 0;
    if (store_sg_voice_in(c->app->store, e->channel_id, e->start, e->end, &v, &nv))
        return BOT_EIO;
    int min = c->app->cfg && c->app->cfg->sg_present_min ? c->app->cfg->sg_present_min : 10;
    struct sg_presence *p = nv ? calloc(nv, sizeof(*p)) : NULL;
    if (nv && !p) {
        free(v);
        return BOT_ENOMEM;
    }
    size_t k = sg_attendance(v, nv, e->start, e->end, c->now, p), m = 0;
    for (size_t i = 0; i < k; i++)
        if (p[i].seconds >= (int64_t)min * 60)
            p[m++] = p[i];
    free(v);
    *out = p;
    *n = m;
    return 0;
}

static bool held(const struct sg_event *e, int64_t now)
{
    return e->end <= now && e->event_id[0] &&
           (e->state == SG_EV_ACTIVE || e->state == SG_EV_COMPLETED || e->state == SG_EV_SCHEDULED);
}

static bool has(const struct sg_presence *p, size_t n, const char *user)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].user_id, user) == 0)
            return true;
    return false;
}

int studygroup_progress(struct cmd_ctx *c, const struct cohort *co, const char *user_id)
{
    struct sg_event *ev = NULL;
    size_t nev = 0;
    if (store_sg_events(c->app->store, co->id, &ev, &nev))
        return BOT_EIO;
    int nheld = 0, attended = 0;
    for (size_t i = 0; i < nev; i++) {
        struct sg_presence *p;
        size_t np;
        if (!held(&ev[i], c->now) || presence(c, &ev[i], &p, &np))
            continue;
        nheld++;
        attended += has(p, np, user_id);
        free(p);
    }
    free(ev);
    if (nheld)
        msg_append(c->reply, "\nStudy-group sessions attended: %d of %d held.", attended, nheld);
    return 0;
}

static void session_report(struct cmd_ctx *c, const struct sg_event *e, struct buf *b)
{
    struct sg_presence *p = NULL;
    size_t np = 0;
    char(*yes)[24] = NULL;
    size_t ny = 0;
    if (presence(c, e, &p, &np) || store_sg_interest_list(c->app->store, e->event_id, &yes, &ny)) {
        free(p);
        return;
    }
    buf_printf(b, "`%s` <t:%lld:d>: interested %zu, present %zu", e->key, (long long)e->start, ny,
               np);
    int missing = 0;
    for (size_t i = 0; i < ny; i++)
        if (!has(p, np, yes[i]))
            buf_printf(b, "%s<@%s>", missing++ ? ", " : "; said yes, did not come: ", yes[i]);
    buf_puts(b, "\n");
    free(p);
    free(yes);
}

int studygroup_report(struct cmd_ctx *c, const struct cohort *co)
{
    struct sg_event *ev = NULL;
    size_t nev = 0;
    if (store_sg_events(c->app->store, co->id, &ev, &nev))
        return BOT_EIO;
    size_t first = 0, nheld = 0;
    for (size_t i = 0; i < nev; i++)
        nheld += held(&ev[i], c->now);
    struct buf b;
    buf_init(&b, 4000);
    for (size_t i = 0, seen = 0; i < nev; i++) {
        if (!held(&ev[i], c->now))
            continue;
        if (nheld - seen++ > SG_REPORT_MAX) {
            first++;
            continue;
        }
        session_report(c, &ev[i], &b);
    }
    if (!nheld)
        buf_puts(&b, "No study-group session held yet.");
    else if (first)
        buf_printf(&b, "(%zu earlier sessions not listed)", first);
    int rc = msg_add_embed(c->reply, "Study groups", buf_str(&b)) ? 0 : BOT_ENOMEM;
    buf_free(&b);
    free(ev);
    return rc;
}

int studygroup_attendance(struct cmd_ctx *c, const struct cohort *co,
                          struct render_session_bar *out, char (*labels)[8], int max, int *n)
{
    struct sg_event *ev = NULL;
    size_t nev = 0;
    *n = 0;
    if (store_sg_events(c->app->store, co->id, &ev, &nev)) /* ordered by start */
        return BOT_EIO;
    size_t nheld = 0, skip;
    for (size_t i = 0; i < nev; i++)
        nheld += held(&ev[i], c->now);
    skip = nheld > (size_t)max ? nheld - (size_t)max : 0; /* keep the latest max */
    int rc = 0;
    for (size_t i = 0; !rc && i < nev && *n < max; i++) {
        if (!held(&ev[i], c->now) || (skip && skip--))
            continue;
        struct sg_presence *p;
        size_t np;
        rc = presence(c, &ev[i], &p, &np);
        if (rc)
            break;
        free(p);
        int day = 0;
        if (cohort_day_at(co->start_date, co->timezone, ev[i].start, &day) || day < 1 ||
            day > 7 * 999)
            snprintf(labels[*n], 8, "-");
        else
            snprintf(labels[*n], 8, "W%d", (day - 1) / 7 % 1000 + 1);
        out[*n] = (struct render_session_bar){labels[*n], (int)np};
        (*n)++;
    }
    free(ev);
    return rc;
}
