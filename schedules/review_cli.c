/* review_cli.c - re-running stored review rounds (see review_cli.h). */
#include "schedules/review_cli.h"
#include "bot/buf.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/store_project.h"
#include "schedules/project.h"
#include "schedules/review_round.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

struct rcli {
    struct store *store;
    const char *guild;
    int kind, found, failed, differ;
};

static int one(void *arg, const struct cohort *co)
{
    struct rcli *c = arg;
    struct store_rev_round r;
    if ((c->guild && strcmp(c->guild, co->guild_id) != 0) ||
        store_rev_round_get(c->store, co->id, c->kind, &r) != 0)
        return 0;
    c->found++;
    struct buf csv;
    char err[BOT_ERR_LEN] = "";
    bool same = false;
    buf_init(&csv, 64 << 20);
    int rc = review_rerun(c->store, r.id, &same, &csv, err);
    if (rc) {
        fprintf(stderr, "reviews: guild %s %s: %s\n", co->guild_id, proj_kind_slug(c->kind),
                err[0] ? err : bot_strerror(rc));
        c->failed++;
    } else {
        printf("# guild %s %s\n", co->guild_id, proj_kind_slug(c->kind));
        fwrite(csv.p ? csv.p : "", 1, csv.len, stdout);
        fprintf(stderr, "reviews: guild %s %s re-run (seed %016llx): %s the stored result\n",
                co->guild_id, proj_kind_slug(c->kind), (unsigned long long)r.seed,
                same ? "identical to" : "DIFFERENT from");
        c->differ += !same;
    }
    buf_free(&csv);
    return 0;
}

int review_cli_main(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"guild", required_argument, NULL, 'g'},
                                         {"round", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    struct rcli c = {.kind = -1};
    const char *db = "cohortbot.db";
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 'd')
            db = optarg;
        else if (ch == 'g')
            c.guild = optarg;
        else if (ch == 'r' && (c.kind = proj_kind_of(optarg)) >= 0)
            continue;
        else
            c.kind = -2;
    }
    if (c.kind < 0 || optind != argc) {
        fprintf(stderr, "usage: cohortbot reviews --round midterm|final|capstone [--db FILE] "
                        "[--guild ID]\n");
        return 1;
    }
    char err[BOT_ERR_LEN];
    if (store_open_shared(db, &c.store, err, sizeof(err))) {
        fprintf(stderr, "reviews: %s\n", err);
        return 3;
    }
    store_cohort_each(c.store, one, &c);
    store_close(c.store);
    if (!c.found)
        fprintf(stderr, "reviews: no stored %s round in %s\n", proj_kind_slug(c.kind), db);
    return c.failed || !c.found ? 1 : c.differ ? 4 : 0;
}
