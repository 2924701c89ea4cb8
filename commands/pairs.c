/* pairs.c - /pairs (a member's current and past pairings), the "did you meet?"
 * buttons (custom_id met:<round_id>:yes|no, answered from a DM or the mentors
 * channel) and the mentorship part of the organisers' report (pairing_report). */
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "commands/cohort_util.h"
#include "commands/commands.h"
#include "commands/mentorship_util.h"
#include "schedules/pairing_round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *answer(int met)
{
    return met == 1 ? "yes" : met == 0 ? "no" : "no answer yet";
}

static void pair_line(struct buf *b, const struct store_pair *p, const char *me)
{
    if (!p->mentor_id[0])
        buf_printf(b, "Round %d: no mentor had room for you.\n", p->round_no);
    else if (strcmp(p->mentee_id, me) == 0)
        buf_printf(b, "Round %d: mentor <@%s>, %s; slot <t:%lld:F>; met: %s\n", p->round_no,
                   p->mentor_id, p->reason, (long long)p->slot_at, answer(p->met));
    else
        buf_printf(b, "Round %d: mentee <@%s>, %s; slot <t:%lld:F>; met: %s\n", p->round_no,
                   p->mentee_id, p->reason, (long long)p->slot_at, answer(p->mentor_met));
}

static void status_line(struct cmd_ctx *c, const struct cohort *co, struct buf *b)
{
    struct store_mentor mr;
    struct store_mentee me;
    if (store_mentor_get(c->app->store, co->id, c->ix->user_id, &mr) == 0 && mr.active)
        buf_printf(b, "Mentor: tracks %s, up to %d per round%s%s.\n", mr.tracks, mr.capacity,
                   mr.paused_until[0] ? ", paused until " : "", mr.paused_until);
    if (store_mentee_get(c->app->store, co->id, c->ix->user_id, &me) == 0 && me.active)
        buf_printf(b, "Mentee%s%s.\n", me.interest[0] ? ", interest " : "", me.interest);
}

static int pairs_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    struct cohort co;
    const struct curriculum *cur;
    struct store_pair *ps;
    size_t n;
    char next[160];
    if (cohort_of_member(c, &co, &cur))
        return 0;
    if (store_pairs_of_member(c->app->store, co.id, c->ix->user_id, 20, &ps, &n))
        return BOT_EIO;
    struct buf now, past;
    buf_init(&now, 4000);
    buf_init(&past, 4000);
    status_line(c, &co, &now);
    for (size_t i = 0; i < n; i++)
        pair_line(ps[i].round_no == ps[0].round_no ? &now : &past, &ps[i], c->ix->user_id);
    if (n == 0)
        buf_puts(&now, "No pairings yet. Sign up with /mentor join or /mentee join.\n");
    mship_next_text(c, &co, cur, next, sizeof(next));
    struct msg_embed *e = msg_add_embed(c->reply, "Your mentorship", next);
    int rc = e ? 0 : BOT_ENOMEM;
    if (!rc && now.len)
        rc = msg_embed_field(e, n ? "Current round" : "Status", buf_str(&now), false);
    if (!rc && past.len)
        rc = msg_embed_field(e, "Earlier rounds", buf_str(&past), false);
    buf_free(&now);
    buf_free(&past);
    free(ps);
    return rc;
}

/* met:<round_id>:yes|no */
static int met_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    char *end;
    const char *p = a->sub + strlen("met:");
    long long id = strtoll(p, &end, 10);
    bool yes = strcmp(end, ":yes") == 0;
    struct store_round r;
    c->reply->ephemeral = true;
    if (id <= 0 || (!yes && strcmp(end, ":no") != 0) ||
        store_round_by_id(c->app->store, id, &r) != 0)
        return msg_set_content(c->reply, "This question is out of date.");
    /* clicked in a server: the round must be that server's (a DM answers only for the
     * member's own pairing, checked below) */
    struct cohort co;
    if (c->ix->guild_id[0] &&
        (store_cohort_get(c->app->store, c->ix->guild_id, &co) || co.id != r.cohort_id))
        return msg_set_content(c->reply, "This question is out of date.");
    int rc = store_pair_met(c->app->store, id, c->ix->user_id, yes, c->now);
    if (rc == BOT_ENOTFOUND)
        return msg_set_content(c->reply, "You have no pairing in round %d.", r.round_no);
    if (rc)
        return rc;
    if (!c->ix->guild_id[0]) { /* in the DM: replace the question with the answer */
        c->reply->kind = MSG_KIND_UPDATE;
        c->reply->ephemeral = false;
    } /* in the mentors channel (DMs closed) the shared message stays; answer privately */
    return msg_set_content(c->reply, "Round %d: recorded \"%s\". Thank you!%s", r.round_no,
                           yes ? "we met" : "we did not meet",
                           yes ? "" : " If something got in the way, try the next round.");
}

int pairing_report(struct cmd_ctx *c, const struct cohort *co, struct msg_embed *e)
{
    struct store_round r;
    struct store_round_stats s;
    char prefix[96], line[512];
    int rc = store_round_latest(c->app->store, co->id, &r);
    if (rc == BOT_ENOTFOUND)
        return msg_embed_field(e, "Mentorship", "No pairing round has run yet.", false);
    pairing_key_prefix(co->guild_id, r.round_no, prefix, sizeof(prefix));
    if (rc || store_round_stats(c->app->store, r.id, prefix, &s))
        return BOT_EIO;
    snprintf(line, sizeof(line),
             "Round %d (<t:%lld:D>%s): %d matched, %d unmatched, %d repeat%s.\n"
             "Did you meet? mentees %d yes, %d no, %d no answer; mentors %d yes, %d no.\n"
             "DMs closed, mentioned in the mentors channel instead: %d.",
             r.round_no, (long long)r.run_at, r.manual ? ", run by an admin" : "", s.pairs,
             s.unmatched, s.repeats, s.repeats == 1 ? "" : "s", s.met_yes, s.met_no,
             s.pairs - s.met_yes - s.met_no, s.mentor_yes, s.mentor_no, s.fallbacks);
    return msg_embed_field(e, "Mentorship", line, false);
}

const struct cmd_def cmd_pairs_def = {
    .name = "pairs",
    .description = "Your mentorship pairing, now and before",
    .run = pairs_run,
};

const struct cmd_component cmd_met_component = {
    .prefix = "met:",
    .run = met_run,
};
