/* attendance.c - voice time per member for a session (see attendance.h). */
#include "schedules/attendance.h"

#include <string.h>

static int64_t clamp(int64_t t, int64_t lo, int64_t hi)
{
    return t < lo ? lo : t > hi ? hi : t;
}

size_t sg_attendance(const struct sg_interval *v, size_t n, int64_t start, int64_t end, int64_t now,
                     struct sg_presence *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        int64_t total = 0, covered = start; /* time before `covered` is already counted */
        for (; j < n && strcmp(v[j].user_id, v[i].user_id) == 0; j++) {
            int64_t a = clamp(v[j].joined_at, start, end);
            int64_t b = clamp(v[j].left_at ? v[j].left_at : now, start, end);
            if (a < covered)
                a = covered;
            if (b > a) {
                total += b - a;
                covered = b;
            }
        }
        if (total > 0) {
            memcpy(out[k].user_id, v[i].user_id, sizeof(out[k].user_id));
            out[k++].seconds = total;
        }
        i = j;
    }
    return k;
}
