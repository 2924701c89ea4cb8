/* discord.h - Discord mode: one lws context and loop running the gateway session,
 * the REST worker, the health endpoint and the scheduler; installs the Discord
 * implementation of struct chat into app->chat. Returns the process exit code
 * (0 clean stop, 2 fatal gateway close such as a bad token, 1 other fatal). */
#ifndef COHORT_DISCORD_H
#define COHORT_DISCORD_H

struct app;

int discord_run(struct app *app);

#endif
