/* attendance.h - pure accounting of voice time for one study-group session: the time
 * each member spent in the session's voice channel between its start and its end,
 * adding up several joins (overlapping intervals of one member count once; an interval
 * still open counts up to `now`). Any thread. */
#ifndef COHORT_ATTENDANCE_H
#define COHORT_ATTENDANCE_H

#include <stddef.h>
#include <stdint.h>

#include "bot/store_studygroup.h"

struct sg_presence {
    char user_id[24];
    int64_t seconds;
};

/* v: intervals sorted by user_id then joined_at (as store_sg_voice_in returns them).
 * Writes one entry per member with > 0 seconds into out (capacity n, the caller's) and
 * returns how many. */
size_t sg_attendance(const struct sg_interval *v, size_t n, int64_t start, int64_t end, int64_t now,
                     struct sg_presence *out);

#endif
