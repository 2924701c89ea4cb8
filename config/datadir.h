/* datadir.h - where the shipped data lives (curricula/, calendars/, assessments/):
 * $COHORTBOT_DATA_DIR when set; else the source tree's config/ when the running
 * binary is not the installed one and that folder exists (a build tree, the tests);
 * else the installed data directory (<prefix>/share/cohortbot, from meson). Computed
 * once, on first use (the main thread calls it while loading the configuration);
 * the returned string is static. */
#ifndef COHORT_DATADIR_H
#define COHORT_DATADIR_H

#include <stddef.h>

const char *data_dir(void);
/* "<data_dir>/<sub>" into out. 0, or BOT_ETOOBIG when out is short. */
int data_path(const char *sub, char *out, size_t outlen);

#endif
