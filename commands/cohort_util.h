/* cohort_util.h - helpers shared by the commands that work on the member's cohort:
 * finding the guild's cohort and its curriculum with a clear refusal otherwise. */
#ifndef COHORT_CMD_COHORT_UTIL_H
#define COHORT_CMD_COHORT_UTIL_H

#include "commands/registry.h"
#include "schedules/cohort.h"

struct curriculum;

/* Loads the guild's cohort and curriculum. On failure fills c->reply with the reason
 * (ephemeral) and returns non-zero; the handler should then return 0. */
int cohort_of_member(struct cmd_ctx *c, struct cohort *out, const struct curriculum **cur);

#endif
