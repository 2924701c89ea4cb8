/* console.h - the local console mode: the same command registry and schedules, run
 * against stdin/stdout with a local SQLite file, no network and no token. A local
 * guild with week-01..week-10 channels stands in for Discord; `/as NAME` switches
 * user, `/admin on|off` toggles admin rights, `/press LABEL` clicks a button of the
 * last message, `/quit` leaves. Loop thread only. */
#ifndef COHORT_CONSOLE_H
#define COHORT_CONSOLE_H

#include <stdio.h>

#include "commands/registry.h" /* CONSOLE_GUILD_ID, CONSOLE_APP_ID, console_user_id */

struct app;

/* Runs the console until EOF, /quit or a stop signal. Returns the exit code. */
int console_run(struct app *app, FILE *in, FILE *out);

#endif
