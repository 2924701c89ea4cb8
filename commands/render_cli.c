/* render_cli.c - `cohortbot render progress`: the /progress card of one member, read
 * from a database file and written as PNG (see progress_card.h). Main thread. */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "commands/interaction.h"
#include "commands/progress_card.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rargs {
    bool report;
    const char *user, *db, *out, *guild, *conf;
    int64_t at;
};

static int usage(void)
{
    fprintf(stderr, "usage: cohortbot render progress --user ID --out FILE.png [--db FILE]\n"
                    "         [--guild ID] [--config FILE] [--at UNIX_SECONDS]\n"
                    "       cohortbot render report --out FILE.png [--db FILE] [--guild ID]\n"
                    "         [--config FILE] [--at UNIX_SECONDS]\n");
    return 2;
}

static int parse(int argc, char **argv, struct rargs *r)
{
    if (argc < 2 || (strcmp(argv[1], "progress") != 0 && strcmp(argv[1], "report") != 0))
        return -1;
    r->report = !strcmp(argv[1], "report");
    for (int i = 2; i < argc; i += 2) { /* --key value pairs */
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return -1;
        if (!strcmp(k, "--user"))
            r->user = v;
        else if (!strcmp(k, "--db"))
            r->db = v;
        else if (!strcmp(k, "--out"))
            r->out = v;
        else if (!strcmp(k, "--guild"))
            r->guild = v;
        else if (!strcmp(k, "--config"))
            r->conf = v;
        else if (!strcmp(k, "--at")) {
            char *end;
            r->at = strtoll(v, &end, 10);
            if (*end || r->at <= 0)
                return -1;
        } else
            return -1;
    }
    if (r->report && !r->user)
        r->user = "1"; /* the organiser's view: no member needed */
    if (!r->user || !r->out || !snowflake_valid(r->user) ||
        (r->guild && !snowflake_valid(r->guild)))
        return -1;
    return 0;
}

struct pick {
    char guild[24];
    int n;
};

static int pick_one(void *arg, const struct cohort *co)
{
    struct pick *p = arg;
    if (p->n++ == 0)
        snprintf(p->guild, sizeof(p->guild), "%s", co->guild_id);
    return 0;
}

static int write_file(const char *path, const struct render_png *png)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return BOT_EIO;
    size_t n = fwrite(png->data, 1, png->len, f);
    int rc = fclose(f);
    return n == png->len && rc == 0 ? 0 : BOT_EIO;
}

/* Draws and writes the card for r->user in guild. Exit code. */
static int draw(struct app *app, const struct rargs *r, const char *guild)
{
    struct interaction ix = {.console = true};
    snprintf(ix.guild_id, sizeof(ix.guild_id), "%s", guild);
    snprintf(ix.user_id, sizeof(ix.user_id), "%s", r->user);
    struct message scratch;
    msg_init(&scratch);
    struct cmd_ctx c = {
        .app = app, .ix = &ix, .reply = &scratch, .now = r->at ? r->at : (int64_t)time(NULL)};
    char why[400], err[BOT_ERR_LEN] = "reading the statistics failed";
    struct ck_who w;
    struct ck_stats st;
    struct render_png png = {0};
    int code = 0;
    if (ck_who_load(&c, r->user, &w, why, sizeof(why))) {
        fprintf(stderr, "render: %s\n", why);
        code = 1;
    } else if (r->report ? checkin_report_png(&c, &png, err, sizeof(err)) != 0
                         : (ck_stats_load(&c, &w, ck_grace(&c), &st) ||
                            progress_card_png(&c, &w, &st, NULL, NULL, &png, err, sizeof(err)))) {
        fprintf(stderr, "render: %s\n", err);
        code = 1;
    } else if (write_file(r->out, &png)) {
        fprintf(stderr, "render: cannot write %s\n", r->out);
        code = 1;
    } else
        printf("%s: %dx%d PNG, %zu bytes\n", r->out, png.width, png.height, png.len);
    render_png_free(&png);
    msg_free(&scratch);
    return code;
}

static int run(struct app *app, const struct rargs *r)
{
    struct pick pk = {0};
    const char *guild = r->guild;
    if (!guild) {
        store_cohort_each(app->store, pick_one, &pk);
        if (pk.n != 1) {
            fprintf(stderr, "render: the database holds %d cohorts; say which with --guild\n",
                    pk.n);
            return 1;
        }
        guild = pk.guild;
    }
    return draw(app, r, guild);
}

int render_cli_main(int argc, char **argv)
{
    struct rargs r = {0};
    if (parse(argc, argv, &r))
        return usage();
    if (!r.db)
        r.db = getenv("COHORTBOT_DB") && *getenv("COHORTBOT_DB") ? getenv("COHORTBOT_DB")
                                                                 : "cohortbot.db";
    struct config cfg;
    config_defaults(&cfg);
    struct buf errs;
    buf_init(&errs, 1 << 14);
    struct app app = {.cfg = &cfg};
    char err[BOT_ERR_LEN];
    int code = 1;
    if (r.conf && config_load_file(&cfg, r.conf, &errs))
        fprintf(stderr, "render: %s", buf_str(&errs));
    else if (store_open_shared(r.db, &app.store, err, sizeof(err)))
        fprintf(stderr, "render: %s\n", err);
    else {
        app_load_curricula(&app);
        code = run(&app, &r);
        app_free_curricula(&app);
        store_close(app.store);
    }
    buf_free(&errs);
    config_free(&cfg);
    render_shutdown();
    return code;
}
