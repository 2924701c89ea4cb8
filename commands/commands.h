/* commands.h - every command definition, one per file in commands/, and the tables
 * the registry serves. Adding a command = one file + one line here. */
#ifndef COHORT_COMMANDS_H
#define COHORT_COMMANDS_H

#include "commands/registry.h"

extern const struct cmd_def cmd_help_def;
extern const struct cmd_def cmd_cohort_def;
extern const struct cmd_def cmd_today_def;
extern const struct cmd_def cmd_day_def;
extern const struct cmd_def cmd_week_def;
extern const struct cmd_def cmd_mentor_def;
extern const struct cmd_def cmd_mentee_def;
extern const struct cmd_def cmd_pairs_def;
extern const struct cmd_def cmd_pair_def;
extern const struct cmd_component cmd_met_component;
extern const struct cmd_component cmd_pairrun_button;

extern const struct cmd_def cmd_calendar_def;
extern const struct cmd_def cmd_schedule_def;
extern const struct cmd_def cmd_checkin_def;
extern const struct cmd_def cmd_streak_def;
extern const struct cmd_def cmd_progress_def;
extern const struct cmd_def cmd_leaderboard_def;
extern const struct cmd_def cmd_timezone_def;
extern const struct cmd_def cmd_privacy_def;
extern const struct cmd_def cmd_mydata_def;
extern const struct cmd_component cmd_checkin_button;
extern const struct cmd_component cmd_mydata_button;
extern const struct cmd_def cmd_assessment_def;
extern const struct cmd_component cmd_assessment_answer;
extern const struct cmd_component cmd_assessment_start;
extern const struct cmd_def cmd_projects_def;
extern const struct cmd_def cmd_project_def;
extern const struct cmd_component cmd_review_select;
extern const struct cmd_component cmd_review_feedback;
extern const struct cmd_component cmd_review_modal;
extern const struct cmd_component cmd_review_open;
extern const struct cmd_def cmd_studygroups_def;

#define COMMAND_TABLE                                                                              \
    &cmd_help_def, &cmd_cohort_def, &cmd_today_def, &cmd_day_def, &cmd_week_def, &cmd_checkin_def, \
        &cmd_streak_def, &cmd_progress_def, &cmd_leaderboard_def, &cmd_timezone_def,               \
        &cmd_privacy_def, &cmd_mydata_def, &cmd_calendar_def, &cmd_schedule_def, &cmd_mentor_def, \
        &cmd_mentee_def, &cmd_pairs_def, &cmd_pair_def, &cmd_assessment_def,                      \
        &cmd_projects_def, &cmd_project_def, &cmd_studygroups_def,
#define COMPONENT_TABLE &cmd_checkin_button, &cmd_mydata_button, &cmd_met_component, &cmd_pairrun_button, \
        &cmd_assessment_answer, &cmd_assessment_start, &cmd_review_select, &cmd_review_feedback, \
        &cmd_review_modal, &cmd_review_open,

/* Shared helpers of the command files. */
/* Autocomplete choices over IANA zone names containing `typed`. */
int tz_complete(struct message *m, const char *typed);
/* /cohort channels create (commands/cohort_channels.c); may return CMD_DEFER. */
int cohort_channels_create(struct cmd_ctx *c);

/* The mentorship part of /cohort report (commands/pairs.c): one embed field on the
 * latest round (matched, unmatched, repeats, "did you meet?" answers, DM fallbacks).
 * 0 or BOT_E*. */
struct cohort;
int pairing_report(struct cmd_ctx *c, const struct cohort *co, struct msg_embed *e);

/* The assessments part of /cohort report (commands/assessment_report.c): an embed
 * (attempts, pass rate, median score, flagged questions per assessment) and the
 * per-question CSV as the reply's file. 0 or BOT_E*. */
int assessment_report(struct cmd_ctx *c, const struct cohort *co);
/* The assessments line of /progress into out ("Assessments passed: 1 of 5 …"). */
int assessment_progress(struct cmd_ctx *c, const struct cohort *co, const char *user_id,
                        struct buf *out);

/* The projects line of /progress (commands/project.c) and the projects embed of
 * /cohort report (commands/project_review.c). 0 or BOT_E*. */
int project_progress(struct cmd_ctx *c, const struct cohort *co, const char *user_id,
                     struct buf *out);
int project_report(struct cmd_ctx *c, const struct cohort *co);
/* The study-group part of /cohort report (commands/studygroups_report.c): per session
 * held, interested, present, and who said yes and did not come. 0 or BOT_E*. */
int studygroup_report(struct cmd_ctx *c, const struct cohort *co);
/* The study-group line of /progress, appended to c->reply ("Study-group sessions
 * attended: 3 of 5 held"). 0 or BOT_E*. */
int studygroup_progress(struct cmd_ctx *c, const struct cohort *co, const char *user_id);
/* Members present per study-group session held, oldest first, for the report's chart:
 * at most max sessions (the latest), labels[i] = its cohort week ("W3"). 0 or BOT_E*. */
struct render_session_bar;
int studygroup_attendance(struct cmd_ctx *c, const struct cohort *co,
                          struct render_session_bar *out, char (*labels)[8], int max, int *n);

#endif
