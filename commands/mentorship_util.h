/* mentorship_util.h - helpers shared by /mentor, /mentee, /pairs and /pair: track
 * lists checked against the cohort's curriculum, track autocomplete, the member's
 * zone check and the next round's time. Loop thread (command handlers). */
#ifndef COHORT_CMD_MENTORSHIP_UTIL_H
#define COHORT_CMD_MENTORSHIP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commands/registry.h"
#include "schedules/cohort.h"

struct curriculum;

/* Normalises a comma list of track slugs (case-insensitive, duplicates dropped) into
 * out ("streaming,ml-platform"). With one = true exactly one track is allowed.
 * 0, or BOT_EINVAL with a sentence for the member in why. */
int mship_tracks(const struct curriculum *cur, const char *list, bool one, char *out, size_t outlen,
                 char *why, size_t whylen);
/* Autocomplete for a track option; with list = true the last comma item is completed
 * and the earlier ones kept. */
int mship_track_complete(struct cmd_ctx *c, const char *typed, bool list);
/* "" or a valid IANA zone: 0; else fills c->reply and returns BOT_EINVAL. */
int mship_zone_ok(struct cmd_ctx *c, const char *zone);
/* The next scheduled round after now: 0 with *round and *at, or BOT_ENOTFOUND. */
int mship_next_round(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur,
                     int *round, int64_t *at);
/* "the next round is <t:…:F>" or "no more rounds are scheduled" into out. */
void mship_next_text(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur,
                     char *out, size_t outlen);

#endif
