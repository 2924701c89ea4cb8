/* study_groups.h - the curriculum's study-group sessions as an iCalendar feed for one
 * cohort (its start date fixes the weeks): a weekly VEVENT per group over the group's
 * weeks, at the group's local time and zone. Attached with /cohort start
 * study_groups:#channel as the feed source "study-groups". Pure. */
#ifndef COHORT_STUDY_GROUPS_H
#define COHORT_STUDY_GROUPS_H

#include "bot/buf.h"

#define STUDY_GROUPS_SOURCE "study-groups"

struct curriculum;
struct cohort;

/* Appends the .ics text to out. 0 or BOT_E*. */
int study_groups_ics(const struct curriculum *cur, const struct cohort *co, struct buf *out);

#endif
