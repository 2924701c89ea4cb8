/* main.c - the cohortbot binary: flags and configuration layers, then console mode
 * (no token, or --console) or Discord mode; command-line tools (calendar, simulate,
 * export, pairs) dispatch to their modules. Exit codes: 0 ok, 1 usage/config error,
 * 2 Discord refused us (bad token, disallowed intents), 3 database problem. */
#include "bot/app.h"
#include "bot/console.h"
#include "bot/discord/discord.h"
#include "bot/err.h"
#include "bot/guilds.h"
#include "bot/log.h"
#include "bot/store.h"
#include "bot/tools.h"
#include "render/render.h"
#include "bot/tz.h"
#include "config/assessment.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/scheduler.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cohortbot [options]\n"
            "       cohortbot calendar SOURCE [--from DATE] [--to DATE] [--tz ZONE] [--reminders]\n"
            "       cohortbot simulate [--from YYYY-MM-DD] [--days N] [--db FILE]\n"
            "       cohortbot export checkins [--guild ID] [--db FILE]\n"
            "       cohortbot render progress --user ID --out FILE.png [--db FILE] [--guild ID]\n"
            "       cohortbot render report --out FILE.png [--db FILE] [--guild ID]\n"
            "       cohortbot pairs --dry-run [--db FILE] [--guild ID]\n"
            "       cohortbot pairs --round N [--db FILE] [--guild ID]\n"
            "       cohortbot reviews --round midterm|final|capstone [--db FILE] [--guild ID]\n"
            "\n"
            "Runs the study-cohort bot. Without DISCORD_TOKEN (or with --console) it runs the\n"
            "local console mode on stdin/stdout.\n"
            "\n"
            "options:\n"
            "  --config FILE      JSON configuration (see config/cohortbot.example.json)\n"
            "  --db FILE          SQLite database (default cohortbot.db; env COHORTBOT_DB)\n"
            "  --log-level LEVEL  debug, info, warn, error, off (default info)\n"
            "  --console          console mode even when DISCORD_TOKEN is set\n"
            "  --check-config     validate the configuration, print every problem, exit\n"
            "  --help, --version\n"
            "\n"
            "environment: DISCORD_TOKEN, COHORTBOT_API_BASE, COHORTBOT_DB,\n"
            "  COHORTBOT_FAKE_NOW (tests: pretend the clock reads this UTC time)\n");
}

struct flags {
    const char *config, *db, *level;
    bool console, check;
};

/* 0 = run, 1 = exit 0 (help/version), -1 = usage error */
static int parse_flags(int argc, char **argv, struct flags *f)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},    {"db", required_argument, NULL, 'd'},
        {"log-level", required_argument, NULL, 'l'}, {"console", no_argument, NULL, 'C'},
        {"check-config", no_argument, NULL, 'k'},    {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},         {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "c:d:l:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            f->config = optarg;
            break;
        case 'd':
            f->db = optarg;
            break;
        case 'l':
            f->level = optarg;
            break;
        case 'C':
            f->console = true;
            break;
        case 'k':
            f->check = true;
            break;
        case 'h':
            usage(stdout);
            return 1;
        case 'V':
            printf("cohortbot %s\n", COHORTBOT_VERSION);
            return 1;
        default:
            usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "cohortbot: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return -1;
    }
    return 0;
}

/* Builds the configuration from all layers; prints problems. 0 or 1 (exit code). */
static int load_config(struct config *cfg, const struct flags *f)
{
    struct buf errs;
    buf_init(&errs, 1 << 16);
    int n = 0;
    if (config_defaults(cfg))
        return 1;
    const char *path = f->config ? f->config : getenv("COHORTBOT_CONFIG");
    if (path)
        n += abs(config_load_file(cfg, path, &errs));
    if (config_apply_env(cfg))
        n++;
    if (f->db)
        config_set_str(&cfg->db_path, f->db);
    if (f->level && log_parse_level(f->level, &cfg->log_level)) {
        buf_printf(&errs, "--log-level: must be debug, info, warn, error or off\n");
        n++;
    }
    n += config_validate(cfg, &errs);
    if (n)
        fprintf(stderr, "%s", buf_str(&errs));
    buf_free(&errs);
    return n ? 1 : 0;
}

static int64_t clock_offset_from_env(void)
{
    const char *s = getenv("COHORTBOT_FAKE_NOW");
    int64_t t;
    if (!s || tz_parse_iso_utc(s, &t)) {
        if (s)
            log_warn("main", "COHORTBOT_FAKE_NOW ignored: expected YYYY-MM-DDTHH:MM:SSZ");
        return 0;
    }
    return t - app_now(NULL);
}

static int run_bot(struct config *cfg, bool console)
{
    char err[BOT_ERR_LEN];
    struct app app = {.cfg = cfg, .stop = &g_stop, .console = console};
    int code = 1;
    app.clock_offset = clock_offset_from_env();
    if (store_open(cfg->db_path, &app.store, err, sizeof(err))) {
        fprintf(stderr, "cohortbot: %s\n", err);
        return 3;
    }
    if (app_load_curricula(&app))
        goto out;
    app.guilds = guilds_new();
    app.sched = app.guilds ? sched_new(&app) : NULL;
    if (!app.sched)
        goto out;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    log_info("main", "starting mode=%s db=%s", console ? "console" : "discord", cfg->db_path);
    code = console ? console_run(&app, stdin, stdout) : discord_run(&app);
    log_info("main", "stopped exit=%d", code);
out:
    sched_free(app.sched);
    guilds_free(app.guilds);
    app_free_curricula(&app);
    store_close(app.store);
    render_shutdown(); /* pango/fontconfig caches of the cards drawn on this thread */
    return code;
}

/* --check-config: the curricula and the assessments' question banks too. Prints every
 * problem (file, question, field) to stderr and a summary to stdout; 0 or 1. */
static int check_content(const struct config *cfg)
{
    struct buf errs;
    buf_init(&errs, 1 << 20);
    struct curricula *set = NULL;
    struct asm_banks *banks = NULL;
    int n = curricula_load_dir(cfg->curricula_dir, &set, &errs);
    int nb = asm_banks_load_dir(cfg->assessments_dir, set, &banks, &errs);
    if (n || nb)
        fprintf(stderr, "%s", buf_str(&errs));
    size_t questions = 0;
    for (size_t i = 0; banks && i < banks->n; i++)
        questions += banks->items[i]->n;
    if (!n && !nb)
        printf("curricula OK (%zu), assessment banks OK (%zu, %zu questions)\n", set ? set->n : 0,
               banks ? banks->n : 0, questions);
    asm_banks_free(banks);
    curricula_free(set);
    buf_free(&errs);
    return n || nb ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] != '-')
        return tools_main(argc - 1, argv + 1);
    struct flags f = {0};
    int rc = parse_flags(argc, argv, &f);
    if (rc)
        return rc > 0 ? 0 : 1;
    struct config cfg;
    rc = load_config(&cfg, &f);
    if (f.check) {
        rc |= check_content(&cfg);
        if (!rc)
            printf("configuration OK (token %s, api_base %s, db %s)\n",
                   cfg.token ? "set" : "not set", cfg.api_base, cfg.db_path);
        config_free(&cfg);
        return rc;
    }
    if (rc) {
        config_free(&cfg);
        return 1;
    }
    log_set_level(cfg.log_level);
    log_add_secret(cfg.token);
    bool console = f.console || !cfg.token;
    rc = run_bot(&cfg, console);
    config_free(&cfg);
    log_clear_secrets();
    return rc;
}
