/* calendar_lex.h - RFC 5545 content-line lexer for calendar_parse.c: unfolds
 * lines, splits NAME;PARAM=VALUE:VALUE in place and tracks line numbers. Pure,
 * any thread. The lexer owns its line buffer; name/params/value point into it and
 * are valid until the next cal_lex_next call. */
#ifndef COHORT_CALENDAR_LEX_H
#define COHORT_CALENDAR_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bot/buf.h"
#include "bot/err.h"

#define CAL_LEX_MAXPARAM 16

struct cal_lex {
    const char *p, *end; /* borrowed input */
    const char *start;   /* first byte of the current logical line */
    const char *stop;    /* first byte after it */
    int lineno, next_no; /* line number of the current logical line */
    struct buf line;     /* unfolded current line (owned) */
    char *name, *value;  /* name upper-cased */
    char *pname[CAL_LEX_MAXPARAM], *pval[CAL_LEX_MAXPARAM];
    int nparams;
};

void cal_lex_init(struct cal_lex *lx, const char *text, size_t len);
void cal_lex_free(struct cal_lex *lx);
/* 1 = a line is ready, 0 = end of input, <0 = error ("line N: ..." in err). */
int cal_lex_next(struct cal_lex *lx, char err[BOT_ERR_LEN]);
/* Parameter value (quotes removed) or NULL; name in upper case. */
const char *cal_lex_param(const struct cal_lex *lx, const char *name);
/* YYYYMMDD, YYYYMMDDTHHMMSS or ...Z -> wall seconds. False if malformed. */
bool cal_lex_datetime(const char *s, size_t n, int64_t *wall, bool *is_date, bool *is_utc);
/* TEXT unescaping (\n \, \; \\); out needs strlen(s)+1 bytes. Returns length. */
size_t cal_lex_unescape(const char *s, char *out);

#endif
