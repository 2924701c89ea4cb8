/* console.h - the local console mode: the same command registry and schedules, run
 * against stdin/stdout with a local SQLite file, no network and no token. A local
 * guild with week-01..week-10 channels stands in for Discord; `/as NAME` switches
 * user, `/admin on|off` toggles admin rights, `/press LABEL` clicks a button of the
 * last message, `/quit` leaves. Loop thread only. */
#ifndef COHORT_CONSOLE_H
#define COHORT_CONSOLE_H

#include <stdio.h>

#include "commands/interaction.h"

struct app;

#define CONSOLE_GUILD_ID "1000000000000000001"
#define CONSOLE_APP_ID "1000000000000000002"

/* Runs the console until EOF, /quit or a stop signal. Returns the exit code. */
int console_run(struct app *app, FILE *in, FILE *out);
/* Stable snowflake-shaped id for a console user name. Pure. */
void console_user_id(const char *name, char out[IX_ID_LEN]);

#endif
