/* progress.c - /progress [member]: days done of days elapsed, streak, hours this week
 * and per week with a text bar, next assessment. Another member's progress only when
 * they made it public, or for admins and their mentor (streak_progress_visible). */
#include "bot/app.h"
#include "commands/ckcore.h"
#include "commands/commands.h"
#include "commands/picture.h"
#include "commands/progress_card.h"
#include "bot/log.h"
#include "bot/err.h"
#include "config/config.h"

#include <stdio.h>
#include <string.h>

static void weeks_lines(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st)
{
    int now_wk = ck_week_of(c->app, &w->cohort, w->today < 1 ? 1 : w->today);
    int last = now_wk < w->plan.n_weeks ? now_wk : w->plan.n_weeks;
    for (int wk = 1; wk <= last && wk <= CK_MAX_WEEKS; wk++) {
        char bar[32];
        streak_bar(st->week_hours[wk], w->plan.target_min, 10, bar, sizeof(bar));
        msg_append(c->reply, "\nWeek %2d %s %5.1f h, %d day%s%s", wk, bar, st->week_hours[wk],
                   st->week_days[wk], st->week_days[wk] == 1 ? "" : "s",
                   wk == now_wk ? " (this week)" : "");
    }
}

/* Asks for the card, drawn on the render worker after the text reply went out; a
 * failure is logged and the text reply goes out alone. */
static void want_card(struct cmd_ctx *c, const struct ck_who *w, const struct ck_stats *st,
                      const char *target, bool self, const char *extra)
{
    char err[BOT_ERR_LEN];
    const char *name = w->member.name[0] ? w->member.name : self ? c->ix->user_name : target;
    struct render_job *job = c->pic && c->app->render
                                 ? progress_card_job(c, w, st, name, extra, err, sizeof(err))
                                 : NULL;
    if (c->pic && c->app->render && !job) {
        log_warn("render", "progress card for %s: %s", target, err);
        return;
    }
    char file[64];
    snprintf(file, sizeof(file), "progress-%s.png", target);
    pic_want(c, job, "progress.png", "Progress card", file);
}

static int progress_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    const char *target = args_str(a, "member");
    if (!target)
        target = c->ix->user_id;
    bool self = strcmp(target, c->ix->user_id) == 0;
    char why[400];
    struct ck_who w;
    if (ck_who_load(c, target, &w, why, sizeof(why)))
        return ck_say(c, "%s", why);
    if (!streak_progress_visible(
            self, w.member.progress_public, ix_is_admin(c->ix),
            store_is_mentor_of(c->app->store, w.cohort.id, c->ix->user_id, target)))
        return ck_say(c,
                      "<@%s> keeps their progress private. They can share it with "
                      "/privacy progress:public; admins and their mentor can always see it.",
                      target);
    struct ck_stats st;
    int rc = ck_stats_load(c, &w, ck_grace(c), &st);
    if (rc)
        return rc;
    c->reply->ephemeral = true;
    msg_set_content(c->reply,
                    "Progress of <@%s>: %d of %d elapsed days done (curriculum: %d days).", target,
                    st.streak.done, st.streak.elapsed, w.plan.n_days);
    msg_append(c->reply, "\nStreak: %d (longest %d). Target: %.0f-%.0f h per week.",
               st.streak.current, st.streak.longest, w.plan.target_min, w.plan.target_max);
    if (w.today < 1)
        msg_append(c->reply, "\nThe cohort starts %s.", w.cohort.start_date);
    else
        weeks_lines(c, &w, &st);
    char next[300];
    int wk = ck_week_of(c->app, &w.cohort, w.today < 1 ? 1 : w.today);
    if (ck_next_assessment(c->app, &w.cohort, wk, next, sizeof(next)))
        msg_append(c->reply, "\nNext assessment: %s", next);
    struct buf asm_line;
    buf_init(&asm_line, 600);
    if (assessment_progress(c, &w.cohort, target, &asm_line) == 0 && asm_line.len)
        msg_append(c->reply, "\n%s", buf_str(&asm_line));
    struct buf proj_line;
    buf_init(&proj_line, 600);
    if (project_progress(c, &w.cohort, target, &proj_line) == 0 && proj_line.len)
        msg_append(c->reply, "\n%s", buf_str(&proj_line));
    studygroup_progress(c, &w.cohort, target);
    if (asm_line.len && proj_line.len)
        buf_printf(&asm_line, "; %s", buf_str(&proj_line));
    want_card(c, &w, &st, target, self,
              asm_line.len    ? buf_str(&asm_line)
              : proj_line.len ? buf_str(&proj_line)
                              : NULL);
    buf_free(&asm_line);
    buf_free(&proj_line);
    return 0;
}

static const struct cmd_opt progress_opts[] = {
    {.name = "member", .description = "Whose progress (default: yours)", .type = OPT_USER},
};

const struct cmd_def cmd_progress_def = {
    .name = "progress",
    .description = "Days done, streak and hours per week (yours or a member's)",
    .opts = progress_opts,
    .nopts = CMD_NOPTS(progress_opts),
    .run = progress_run,
};
