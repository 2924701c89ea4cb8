/* export.h - `cohortbot export checkins [--guild ID] [--db FILE]`: every check-in as
 * CSV on stdout (header guild_id,cohort,user_id,day,hours,note,link,created_at; RFC
 * 4180 quoting; created_at as ISO 8601 UTC). Opens the database shared, so it runs
 * beside a live bot. Main thread of the tool process; no event loop. */
#ifndef COHORT_EXPORT_H
#define COHORT_EXPORT_H

#include <stdio.h>

#include "bot/buf.h"

/* Appends s as one CSV field: quoted (with "" for ") when it holds a comma, quote,
 * CR or LF or starts/ends with a space; as is otherwise. 0 or a buf error. Pure. */
int export_csv_field(struct buf *b, const char *s);
/* Writes the CSV for guild_id (NULL = all) from the database at path to out.
 * 0, or BOT_E* with the reason in err. */
int export_checkins(const char *path, const char *guild_id, FILE *out, char *err, size_t errlen);
/* The tool: argv[0] = "export". Returns the exit code (0, 1 error, 2 usage). */
int export_main(int argc, char **argv);

#endif
