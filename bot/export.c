/* export.c - the check-in CSV export tool (see export.h). */
#include "bot/export.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_checkin.h"
#include "commands/interaction.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A cell a spreadsheet would run as a formula (=, +, -, @, or a tab/CR first):
 * written with a leading apostrophe so it shows as text (OWASP's CSV injection
 * advice). Plain numbers such as "-1.5" stay numbers. */
static bool formula_like(const char *s)
{
    if (!strchr("=+-@\t\r", s[0]) || !s[0])
        return false;
    if (s[0] == '-' || s[0] == '+') {
        char *end;
        strtod(s, &end);
        return *end != '\0' || end == s + 1;
    }
    return true;
}

int export_csv_field(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    bool formula = formula_like(s);
    bool quote =
        formula || strpbrk(s, ",\"\r\n") != NULL || (n && (s[0] == ' ' || s[n - 1] == ' '));
    if (!quote)
        return buf_append(b, s, n);
    int rc = buf_append(b, formula ? "\"'" : "\"", formula ? 2 : 1);
    for (const char *p = s; !rc && *p; p++)
        rc = *p == '"' ? buf_append(b, "\"\"", 2) : buf_append(b, p, 1);
    return rc ? rc : buf_append(b, "\"", 1);
}

struct ex {
    FILE *out;
    struct buf line;
};

static int ex_row(void *arg, const struct checkin_export_row *r)
{
    struct ex *x = arg;
    char hours[32] = "", created[32];
    if (r->hours >= 0)
        snprintf(hours, sizeof(hours), "%g", r->hours);
    time_t t = (time_t)r->created_at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_reset(&x->line);
    char day[16];
    snprintf(day, sizeof(day), "%d", r->day);
    const char *fields[] = {r->guild_id, r->cohort_start, r->user_id, day,
                            hours,       r->note,         r->link,    created};
    int rc = 0;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && !rc; i++) {
        if (i)
            rc = buf_append(&x->line, ",", 1);
        if (!rc)
            rc = export_csv_field(&x->line, fields[i] ? fields[i] : "");
    }
    if (!rc)
        rc = buf_append(&x->line, "\r\n", 2);
    if (rc)
        return rc;
    return fwrite(x->line.p, 1, x->line.len, x->out) == x->line.len ? 0 : BOT_EIO;
}

int export_checkins(const char *path, const char *guild_id, FILE *out, char *err, size_t errlen)
{
    struct store *s = NULL;
    int rc = store_open_shared(path, &s, err, errlen);
    if (rc)
        return rc;
    struct ex x = {.out = out};
    buf_init(&x.line, 64 * 1024);
    fputs("guild_id,cohort,user_id,day,hours,note,link,created_at\r\n", out);
    rc = store_checkin_export(s, guild_id, ex_row, &x);
    if (rc)
        snprintf(err, errlen, "%s: export failed: %s", path, bot_strerror(rc));
    else if (fflush(out) != 0) {
        snprintf(err, errlen, "writing the CSV failed");
        rc = BOT_EIO;
    }
    buf_free(&x.line);
    store_close(s);
    return rc;
}

int export_main(int argc, char **argv)
{
    const char *guild = NULL, *db = getenv("COHORTBOT_DB");
    if (!db || !*db)
        db = "cohortbot.db";
    if (argc < 2 || strcmp(argv[1], "checkins") != 0) {
        fprintf(stderr, "usage: cohortbot export checkins [--guild ID] [--db FILE]\n");
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        bool has_val = i + 1 < argc;
        if (strcmp(argv[i], "--guild") == 0 && has_val)
            guild = argv[++i];
        else if (strcmp(argv[i], "--db") == 0 && has_val)
            db = argv[++i];
        else {
            fprintf(stderr,
                    "cohortbot export: unexpected '%s'\nusage: cohortbot export "
                    "checkins [--guild ID] [--db FILE]\n",
                    argv[i]);
            return 2;
        }
    }
    if (guild && !snowflake_valid(guild)) {
        fprintf(stderr, "cohortbot export: --guild must be a Discord id (digits), got '%s'\n",
                guild);
        return 2;
    }
    char err[BOT_ERR_LEN];
    if (export_checkins(db, guild, stdout, err, sizeof(err))) {
        fprintf(stderr, "cohortbot export: %s\n", err);
        return 1;
    }
    return 0;
}
