/* calendar_lex.c - RFC 5545 content lines: unfolding, NAME;PARAM=V:VALUE splitting,
 * DATE / DATE-TIME and TEXT values, with the line number of every logical line.
 * Pure; any thread. Used by calendar_parse.c only. */
#include "schedules/calendar_lex.h"
#include "bot/tz.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void cal_lex_init(struct cal_lex *lx, const char *text, size_t len)
{
    memset(lx, 0, sizeof(*lx));
    lx->p = text;
    lx->end = text + len;
    lx->next_no = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        lx->p += 3;
    buf_init(&lx->line, len + 16);
}

void cal_lex_free(struct cal_lex *lx)
{
    buf_free(&lx->line);
}

/* One physical line without its terminator; advances past it. */
static void phys(struct cal_lex *lx, const char **s, size_t *n)
{
    const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
    const char *e = nl ? nl : lx->end;
    *s = lx->p;
    *n = (size_t)(e - lx->p);
    if (*n && (*s)[*n - 1] == '\r')
        (*n)--;
    lx->p = nl ? nl + 1 : lx->end;
    lx->next_no++;
}

static int split_params(struct cal_lex *lx, char *s, char **stop_at, char err[BOT_ERR_LEN])
{
    while (*s == ';') {
        *s++ = '\0';
        char *name = s;
        while (isalnum((unsigned char)*s) || *s == '-')
            s++;
        if (s == name || *s != '=') {
            snprintf(err, BOT_ERR_LEN, "line %d: malformed parameter in %s", lx->lineno, lx->name);
            return BOT_EINVAL;
        }
        *s++ = '\0';
        char *val = s, *w = s;
        while (*s && *s != ';' && *s != ':') {
            if (*s == '"') {
                char *q = strchr(s + 1, '"');
                if (!q) {
                    snprintf(err, BOT_ERR_LEN, "line %d: unterminated quote in %s", lx->lineno,
                             lx->name);
                    return BOT_EINVAL;
                }
                size_t n = (size_t)(q - s - 1);
                memmove(w, s + 1, n);
                w += n;
                s = q + 1;
            } else {
                *w++ = *s++;
            }
        }
        char stop = *s;
        *w = '\0';
        if (lx->nparams < CAL_LEX_MAXPARAM) {
            for (char *c = name; *c; c++)
                *c = (char)toupper((unsigned char)*c);
            lx->pname[lx->nparams] = name;
            lx->pval[lx->nparams++] = val;
        }
        *s = stop;
    }
    *stop_at = s;
    return 0;
}

static int split(struct cal_lex *lx, char err[BOT_ERR_LEN])
{
    char *s = lx->line.p;
    lx->name = s;
    lx->nparams = 0;
    while (isalnum((unsigned char)*s) || *s == '-') {
        *s = (char)toupper((unsigned char)*s);
        s++;
    }
    if (s == lx->name || (*s != ';' && *s != ':')) {
        char shown[40];
        size_t n = (size_t)(lx->stop - lx->start);
        n = n > 32 ? 32 : n;
        memcpy(shown, lx->start, n);
        shown[n] = '\0';
        shown[strcspn(shown, "\r\n")] = '\0';
        snprintf(err, BOT_ERR_LEN, "line %d: not a content line (NAME:VALUE expected): \"%s\"",
                 lx->lineno, shown);
        return BOT_EINVAL;
    }
    if (*s == ';') {
        int rc = split_params(lx, s, &s, err);
        if (rc)
            return rc;
    }
    if (*s != ':') {
        snprintf(err, BOT_ERR_LEN, "line %d: missing ':' in %s", lx->lineno, lx->name);
        return BOT_EINVAL;
    }
    *s = '\0';
    lx->value = s + 1;
    return 0;
}

int cal_lex_next(struct cal_lex *lx, char err[BOT_ERR_LEN])
{
    for (;;) {
        if (lx->p >= lx->end)
            return 0;
        const char *s;
        size_t n;
        lx->start = lx->p;
        lx->lineno = lx->next_no;
        phys(lx, &s, &n);
        buf_reset(&lx->line);
        if (buf_append(&lx->line, s, n)) {
            snprintf(err, BOT_ERR_LEN, "line %d: out of memory", lx->lineno);
            return BOT_ENOMEM;
        }
        while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t')) {
            phys(lx, &s, &n);
            if (buf_append(&lx->line, s + 1, n - 1)) {
                snprintf(err, BOT_ERR_LEN, "line %d: out of memory", lx->lineno);
                return BOT_ENOMEM;
            }
        }
        lx->stop = lx->p;
        if (lx->line.len == 0)
            continue; /* blank lines are tolerated */
        if (memchr(lx->line.p, '\0', lx->line.len)) {
            snprintf(err, BOT_ERR_LEN, "line %d: NUL byte in content", lx->lineno);
            return BOT_EINVAL;
        }
        int rc = split(lx, err);
        return rc ? rc : 1;
    }
}

const char *cal_lex_param(const struct cal_lex *lx, const char *name)
{
    for (int i = 0; i < lx->nparams; i++)
        if (strcmp(lx->pname[i], name) == 0)
            return lx->pval[i];
    return NULL;
}

static bool num(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + s[i] - '0';
    }
    *out = v;
    return true;
}

bool cal_lex_datetime(const char *s, size_t n, int64_t *wall, bool *is_date, bool *is_utc)
{
    int y, mo, d, h = 0, mi = 0, sec = 0;
    *is_utc = false;
    if (n != 8 && n != 15 && !(n == 16 && (s[15] == 'Z' || s[15] == 'z')))
        return false;
    if (!num(s, 4, &y) || !num(s + 4, 2, &mo) || !num(s + 6, 2, &d))
        return false;
    *is_date = n == 8;
    if (n > 8) {
        if ((s[8] != 'T' && s[8] != 't') || !num(s + 9, 2, &h) || !num(s + 11, 2, &mi) ||
            !num(s + 13, 2, &sec))
            return false;
        *is_utc = n == 16;
    }
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
        return false;
    int64_t day = tz_days_from_civil(y, mo, d);
    int yy, mm, dd;
    tz_civil_from_days(day, &yy, &mm, &dd);
    if (dd != d)
        return false; /* e.g. Feb 30 */
    if (sec == 60)
        sec = 59;
    *wall = day * 86400 + h * 3600 + mi * 60 + sec;
    return true;
}

size_t cal_lex_unescape(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            out[n++] = (*s == 'n' || *s == 'N') ? '\n' : *s;
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
    return n;
}
