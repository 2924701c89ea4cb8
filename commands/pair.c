/* pair.c - /pair run [dry_run] (admins): runs the cohort's next mentorship round now.
 * A real run is stored (inputs, seed, result) and its DMs go out on the next
 * scheduler tick; a dry run shows the matching and attaches the CSV, storing and
 * sending nothing. */
#include "bot/app.h"
#include "bot/err.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "config/config.h"
#include "schedules/pairing_round.h"

#include <stdio.h>
#include <string.h>

static void schedule_note(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur,
                          int k)
{
    int64_t at;
    const struct config *cfg = c->app->cfg;
    if (k > pairing_round_count(cur))
        msg_append(c->reply, "\nThis is an extra round beyond the %d scheduled ones.",
                   pairing_round_count(cur));
    else if (pairing_round_time(co, cur, cfg->pair_weekday, cfg->pair_time, k, &at) == 0 &&
             at > c->now)
        msg_append(c->reply,
                   "\nRound %d was scheduled for <t:%lld:F>; it ran now instead and will "
                   "not run again then.",
                   k, (long long)at);
}

static int list_pairs(struct cmd_ctx *c, const struct pairing_run *run)
{
    const struct pair_result *r = &run->res;
    for (size_t i = 0; i < r->n_assign && i < 15; i++)
        msg_append(c->reply, "\n\xe2\x80\xa2 <@%s> \xe2\x86\x92 <@%s>: %s", r->assign[i].mentor_id,
                   r->assign[i].mentee_id, r->assign[i].reason);
    if (r->n_assign > 15)
        msg_append(c->reply, "\n\xe2\x80\xa6 and %zu more (see the CSV)", r->n_assign - 15);
    struct buf csv;
    buf_init(&csv, 8 << 20);
    int rc = pair_format_csv(&run->pi.in, r, &csv);
    if (!rc)
        rc = msg_set_file(c->reply, "pairs.csv", csv.p ? csv.p : "", csv.len);
    buf_free(&csv);
    return rc;
}

/* An admin may add at most one round by hand per 24 hours: every real run DMs every
 * member of the cohort. */
static bool ran_by_hand_lately(struct cmd_ctx *c, const struct cohort *co, int64_t *when)
{
    struct store_round last;
    if (store_round_latest(c->app->store, co->id, &last) != 0 || !last.manual)
        return false;
    *when = last.run_at;
    return last.run_at > c->now - 86400;
}

static int run_now(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur, int k,
                   bool dry)
{
    struct pairing_run run;
    char err[BOT_ERR_LEN] = "";
    int rc = pairing_run_round(c->app->store, co, cur, k, c->now, true, !dry, &run, err);
    if (rc == BOT_EINVAL || rc == BOT_EBUSY)
        return msg_set_content(c->reply, "Round %d could not run: %s", k, err);
    if (rc)
        return rc;
    msg_set_content(c->reply, "%s round %d%s: %zu matched, %zu unmatched, %zu repeat%s.",
                    dry ? "Dry run of" : "Ran", k, dry ? " (nothing stored or sent)" : "",
                    run.res.matched, run.res.n_unmatched, run.res.repeats,
                    run.res.repeats == 1 ? "" : "s");
    if (!dry) {
        msg_append(c->reply, " The pairing DMs go out now.");
        schedule_note(c, co, cur, k);
    }
    rc = list_pairs(c, &run);
    pairing_run_free(&run);
    return rc;
}

static int pair_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    bool dry = false;
    int k;
    int64_t when;
    if (cohort_of_member(c, &co, &cur))
        return 0;
    args_bool(a, "dry_run", &dry);
    if (pairing_next_round(c->app->store, &co, cur, c->now, &k))
        return BOT_EIO;
    if (dry)
        return run_now(c, &co, cur, k, true);
    c->reply->ephemeral = true;
    if (ran_by_hand_lately(c, &co, &when))
        return msg_set_content(c->reply,
                               "A round was already run by hand <t:%lld:R>; at most one extra "
                               "round a day (each one DMs every member). Try again <t:%lld:R>.",
                               (long long)when, (long long)(when + 86400));
    char id[64];
    snprintf(id, sizeof(id), "pairrun:%lld:%d", (long long)co.id, k);
    msg_set_content(c->reply,
                    "Run mentorship round %d now? Every mentor and mentee of the cohort gets a "
                    "DM. Use `dry_run:true` first to see the matching.",
                    k);
    return msg_add_button(c->reply, "Run the round", id, MSG_BTN_DANGER);
}

/* pairrun:<cohort_id>:<round> - the confirmation button. */
static int confirm_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    struct cohort co;
    const struct curriculum *cur;
    long long cid = 0;
    int k = 0, next = 0, used = 0;
    int64_t when;
    c->reply->ephemeral = true;
    if (sscanf(a->sub, "pairrun:%lld:%d%n", &cid, &k, &used) != 2 || a->sub[used] != '\0')
        return msg_set_content(c->reply, "This button is damaged; run /pair run again.");
    if (cohort_of_member(c, &co, &cur))
        return 0;
    if (co.id != cid || pairing_next_round(c->app->store, &co, cur, c->now, &next) || next != k)
        return msg_set_content(c->reply, "This confirmation is out of date; run /pair run again.");
    if (ran_by_hand_lately(c, &co, &when))
        return msg_set_content(c->reply, "A round was already run by hand <t:%lld:R>.",
                               (long long)when);
    return run_now(c, &co, cur, k, false);
}

const struct cmd_component cmd_pairrun_button = {
    .prefix = "pairrun:",
    .admin_only = true,
    .run = confirm_run,
};

static const struct cmd_opt run_opts[] = {
    {.name = "dry_run",
     .description = "Show the matching without storing or sending it",
     .type = OPT_BOOLEAN},
};
static const struct cmd_opt pair_opts[] = {
    {.name = "run",
     .description = "Run the next mentorship round now",
     .type = OPT_SUBCOMMAND,
     .sub = run_opts,
     .nsub = 1},
};

const struct cmd_def cmd_pair_def = {
    .name = "pair",
    .description = "Mentorship rounds (admins)",
    .admin_only = true,
    .opts = pair_opts,
    .nopts = 1,
    .run = pair_run,
};
