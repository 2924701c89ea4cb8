/* fuzz_ical.c - libFuzzer target for the iCal path: cal_parse on arbitrary bytes,
 * then cal_expand over one year and cal_reminders over one month. Any crash,
 * sanitizer report, leak or hang here is a bug: .ics files come from outside. */
#include "schedules/calendar.h"

#include <stdint.h>
#include <stdlib.h>

int fuzz_target(const uint8_t *data, size_t size);

int fuzz_target(const uint8_t *data, size_t size)
{
    struct cal_feed *f = NULL;
    char err[BOT_ERR_LEN];
    if (cal_parse((const char *)data, size, "Europe/Berlin", &f, err) != 0)
        return 0;
    const int64_t from = 1704067200; /* 2024-01-01 */
    struct cal_occ *o = NULL;
    size_t n = 0;
    if (cal_expand(f, from, from + 366 * 86400LL, &o, &n) == 0) {
        char key[512];
        for (size_t i = 0; i < n; i++)
            (void)cal_occ_key(&o[i], o[i].start, key, sizeof(key));
        free(o);
    }
    struct cal_reminder *r = NULL;
    int leads[] = {1440, 10};
    if (cal_reminders(f, from, from + 31 * 86400LL, leads, 2, &r, &n) == 0)
        free(r);
    cal_feed_free(f);
    return 0;
}
