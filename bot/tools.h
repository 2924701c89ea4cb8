/* tools.h - the command-line tools of the cohortbot binary (`cohortbot calendar …`,
 * `simulate`, `export checkins`, `pairs --dry-run`): one table from the first
 * argument to the module that implements it. Main thread, no event loop. */
#ifndef COHORT_TOOLS_H
#define COHORT_TOOLS_H

/* argv[0] is the tool name. Returns the process exit code. */
int tools_main(int argc, char **argv);
/* `cohortbot shards [--config FILE]` (bot/discord/shards_cli.c). */
int shards_main(int argc, char **argv);

#endif
