/* backup_cli.c - `cohortbot backup FILE` and `cohortbot check-db` (backup.h). The
 * database is found like the bot finds it: --db, else COHORTBOT_DB, else the db key
 * of --config (or COHORTBOT_CONFIG), else cohortbot.db. */
#include "bot/backup.h"
#include "bot/err.h"
#include "bot/store_backup.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cli {
    const char *db, *config, *file;
};

/* 0, or 1 after printing the usage problem. */
static int parse(int argc, char **argv, struct cli *c, bool want_file, const char *usage)
{
    memset(c, 0, sizeof(*c));
    for (int i = 1; i < argc; i++) {
        bool val = i + 1 < argc;
        if (strcmp(argv[i], "--db") == 0 && val)
            c->db = argv[++i];
        else if (strcmp(argv[i], "--config") == 0 && val)
            c->config = argv[++i];
        else if (want_file && !c->file && argv[i][0] != '-')
            c->file = argv[i];
        else {
            fprintf(stderr, "cohortbot %s: unexpected '%s'\nusage: %s\n", argv[0], argv[i], usage);
            return 1;
        }
    }
    if (want_file && !c->file) {
        fprintf(stderr, "cohortbot %s: where should the backup go?\nusage: %s\n", argv[0], usage);
        return 1;
    }
    return 0;
}

/* The database path into out; 0 or 1 (config problems printed). */
static int db_path(const struct cli *c, char *out, size_t outlen)
{
    struct config cfg;
    struct buf errs;
    if (config_defaults(&cfg))
        return 1;
    buf_init(&errs, 1 << 16);
    const char *path = c->config ? c->config : getenv("COHORTBOT_CONFIG");
    int n = path ? config_load_file(&cfg, path, &errs) : 0;
    if (n)
        fprintf(stderr, "%s", buf_str(&errs));
    else {
        config_apply_env(&cfg);
        snprintf(out, outlen, "%s", c->db ? c->db : cfg.db_path);
    }
    buf_free(&errs);
    config_free(&cfg);
    return n ? 1 : 0;
}

int backup_main(int argc, char **argv)
{
    static const char usage[] = "cohortbot backup FILE [--db FILE] [--config FILE]";
    struct cli c;
    char db[4096], err[BOT_ERR_LEN];
    if (parse(argc, argv, &c, true, usage) || db_path(&c, db, sizeof(db)))
        return 1;
    struct backup_info info;
    int rc = store_backup_file(db, c.file, &info, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "cohortbot backup: %s\n", err);
        return 3;
    }
    printf("backup of %s written to %s: %lld bytes, %lld pages, schema %d, "
           "integrity_check ok, %lld ms\n",
           db, c.file, (long long)info.bytes, (long long)info.pages, info.schema,
           (long long)info.ms);
    return 0;
}

int checkdb_main(int argc, char **argv)
{
    static const char usage[] = "cohortbot check-db [--db FILE] [--config FILE]";
    struct cli c;
    char db[4096], err[BOT_ERR_LEN];
    if (parse(argc, argv, &c, false, usage) || db_path(&c, db, sizeof(db)))
        return 1;
    int rc = store_check_file(db, stdout, err, sizeof(err));
    if (rc) {
        fprintf(stderr, "cohortbot check-db: %s\n", err);
        return 3;
    }
    printf("%s: healthy\n", db);
    return 0;
}
