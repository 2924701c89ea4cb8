/* pairing_cli.c - the dry run of the next mentorship round and the re-run of a stored
 * one (see pairing_cli.h). The
 * clock is the wall clock, or COHORTBOT_FAKE_NOW (YYYY-MM-DDTHH:MM:SSZ) as in the bot.
 * With several cohorts each CSV is preceded by a "# guild <id> round <n>" line. */
#include "schedules/pairing_cli.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/tz.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/pairing_round.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cli {
    struct store *store;
    const struct curricula *set;
    const char *guild;
    int64_t now;
    int round; /* --round N: re-run stored round N instead of a dry run */
    int cohorts, shown, failed, differ;
};

/* --round N: the stored round re-run from its stored inputs, compared with its
 * stored result. */
static int rerun_cohort(struct cli *c, const struct cohort *co)
{
    struct store_round r;
    struct buf csv;
    char err[BOT_ERR_LEN] = "";
    bool same = false;
    if (store_round_by_no(c->store, co->id, c->round, &r)) {
        fprintf(stderr, "pairs: guild %s has no stored round %d\n", co->guild_id, c->round);
        c->failed++;
        return 0;
    }
    buf_init(&csv, 64 << 20);
    int rc = pairing_rerun(c->store, r.id, &same, &csv, err);
    if (rc) {
        fprintf(stderr, "pairs: guild %s round %d: %s\n", co->guild_id, c->round,
                err[0] ? err : bot_strerror(rc));
        c->failed++;
    } else {
        if (c->cohorts > 1)
            printf("# guild %s round %d\n", co->guild_id, c->round);
        fwrite(csv.p ? csv.p : "", 1, csv.len, stdout);
        fprintf(stderr, "pairs: guild %s round %d re-run (seed %016llx): %s the stored result\n",
                co->guild_id, c->round, (unsigned long long)r.seed,
                same ? "identical to" : "DIFFERENT from");
        c->differ += !same;
    }
    buf_free(&csv);
    return 0;
}

static int count_cohort(void *arg, const struct cohort *co)
{
    struct cli *c = arg;
    c->cohorts += !c->guild || strcmp(c->guild, co->guild_id) == 0;
    return 0;
}

static int print_cohort(void *arg, const struct cohort *co)
{
    struct cli *c = arg;
    const struct curriculum *cur = curricula_find(c->set, co->curriculum);
    struct pairing_run run;
    char err[BOT_ERR_LEN] = "";
    int k;
    if (c->guild && strcmp(c->guild, co->guild_id) != 0)
        return 0;
    if (c->round)
        return rerun_cohort(c, co);
    if (!cur || pairing_next_round(c->store, co, cur, c->now, &k) ||
        pairing_run_round(c->store, co, cur, k, c->now, true, false, &run, err)) {
        fprintf(stderr, "pairs: guild %s: %s\n", co->guild_id,
                cur ? err : "curriculum not installed");
        c->failed++;
        return 0;
    }
    struct buf csv;
    buf_init(&csv, 64 << 20);
    if (c->cohorts > 1)
        printf("# guild %s round %d\n", co->guild_id, k);
    if (pair_format_csv(&run.pi.in, &run.res, &csv) == 0)
        fwrite(csv.p ? csv.p : "", 1, csv.len, stdout);
    else
        c->failed++;
    fprintf(stderr, "pairs: guild %s round %d: %zu matched, %zu unmatched, %zu repeats (dry run)\n",
            co->guild_id, k, run.res.matched, run.res.n_unmatched, run.res.repeats);
    buf_free(&csv);
    pairing_run_free(&run);
    c->shown++;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: cohortbot pairs --dry-run [--db FILE] [--guild ID] [--config FILE]\n"
                    "       cohortbot pairs --round N [--db FILE] [--guild ID]\n"
                    "  --dry-run  the next round as CSV, nothing stored or sent\n"
                    "  --round N  re-run stored round N from its stored inputs and seed;\n"
                    "             exit 4 if it differs from the stored result\n");
    return 1;
}

static int run(struct cli *c, const struct config *cfg)
{
    char err[BOT_ERR_LEN];
    struct buf errs;
    struct curricula *set = NULL;
    buf_init(&errs, 1 << 16);
    if (curricula_load_dir(cfg->curricula_dir, &set, &errs) < 0 || !set || !set->n) {
        fprintf(stderr, "pairs: no curriculum: %s", buf_str(&errs));
        buf_free(&errs);
        curricula_free(set);
        return 1;
    }
    buf_free(&errs);
    if (store_open_shared(cfg->db_path, &c->store, err, sizeof(err))) {
        fprintf(stderr, "pairs: %s\n", err);
        curricula_free(set);
        return 3;
    }
    c->set = set;
    store_cohort_each(c->store, count_cohort, c);
    store_cohort_each(c->store, print_cohort, c);
    store_close(c->store);
    curricula_free(set);
    if (c->cohorts == 0)
        fprintf(stderr, "pairs: no cohort%s%s in %s\n", c->guild ? " for guild " : "",
                c->guild ? c->guild : "", cfg->db_path);
    return c->failed || c->cohorts == 0 ? 1 : c->differ ? 4 : 0;
}

static int parse_round(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < 1 || v > 100000)
        return BOT_EINVAL;
    *out = (int)v;
    return 0;
}

int pairing_cli_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},     {"db", required_argument, NULL, 'd'},
        {"guild", required_argument, NULL, 'g'}, {"config", required_argument, NULL, 'C'},
        {"round", required_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    struct config cfg;
    struct cli c = {0};
    const char *conf = NULL, *db = NULL, *fake = getenv("COHORTBOT_FAKE_NOW");
    bool dry = false;
    int ch, rc = 1;
    config_defaults(&cfg);
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'n')
            dry = true;
        else if (ch == 'd')
            db = optarg;
        else if (ch == 'g')
            c.guild = optarg;
        else if (ch == 'C')
            conf = optarg;
        else if (ch == 'r' && parse_round(optarg, &c.round) == 0)
            continue;
        else
            goto out_usage;
    }
    if (dry == (c.round > 0) || optind != argc)
        goto out_usage;
    struct buf errs;
    buf_init(&errs, 1 << 16);
    if (conf && config_load_file(&cfg, conf, &errs)) {
        fprintf(stderr, "%s", buf_str(&errs));
        buf_free(&errs);
        goto out;
    }
    buf_free(&errs);
    if (db)
        config_set_str(&cfg.db_path, db);
    c.now = (int64_t)time(NULL);
    if (fake && tz_parse_iso_utc(fake, &c.now))
        fprintf(stderr, "pairs: COHORTBOT_FAKE_NOW ignored: expected YYYY-MM-DDTHH:MM:SSZ\n");
    rc = run(&c, &cfg);
    goto out;
out_usage:
    rc = usage();
out:
    config_free(&cfg);
    return rc;
}
