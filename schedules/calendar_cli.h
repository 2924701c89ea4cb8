/* calendar_cli.h - `cohortbot calendar SOURCE [--from D] [--to D] [--tz ZONE]
 * [--reminders] [--lead 1440,60,10]`: prints a feed's occurrences (or reminders)
 * in a UTC date window. A fixed output contract used by outside checks. Runs on
 * the calling thread and blocks (fetches URLs); not for the bot's loop thread. */
#ifndef COHORT_CALENDAR_CLI_H
#define COHORT_CALENDAR_CLI_H

/* argv[0] is "calendar". Writes to stdout/stderr; returns the process exit code
 * (0 ok, 1 fetch/parse error, 2 usage). argv is borrowed. */
int cal_cli_main(int argc, char **argv);

#endif
