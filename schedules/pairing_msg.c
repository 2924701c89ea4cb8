/* pairing_msg.c - the texts of the mentorship round: the mentor's and the mentee's
 * pairing DMs (why they were matched, the suggested 45-minute slot as a Discord
 * timestamp), the unmatched notice, the admins' summary and the "did you meet?"
 * follow-up with its buttons. Pure builders over stored rows. */
#include "schedules/pairing_round.h"

#include <stdio.h>

int pairing_msg_mentor(int round_no, const struct store_pair *mine, size_t n, struct message *m)
{
    int rc = msg_set_content(m, "**Mentorship round %d**: your mentee%s this round:", round_no,
                             n == 1 ? "" : "s");
    for (size_t i = 0; !rc && i < n; i++)
        rc = msg_append(m, "\n\xe2\x80\xa2 <@%s>: %s. Suggested %d-minute slot: <t:%lld:F>",
                        mine[i].mentee_id, mine[i].reason, PAIR_SLOT_MIN,
                        (long long)mine[i].slot_at);
    if (!rc)
        rc = msg_append(m, "\nPlease reach out to %s to confirm a time.", n == 1 ? "them" : "each");
    return rc;
}

int pairing_msg_mentee(int round_no, const struct store_pair *p, struct message *m)
{
    return msg_set_content(m,
                           "**Mentorship round %d**: your mentor this round is <@%s> (%s). "
                           "Suggested %d-minute slot: <t:%lld:F>. Say hello and agree on a time.",
                           round_no, p->mentor_id, p->reason, PAIR_SLOT_MIN, (long long)p->slot_at);
}

int pairing_msg_unmatched(int round_no, struct message *m)
{
    return msg_set_content(m,
                           "**Mentorship round %d**: no mentor had room for you this round, "
                           "sorry. You stay signed up and take part in the next round.",
                           round_no);
}

int pairing_msg_summary(int round_no, const struct store_pair *all, size_t n, struct message *m)
{
    int matched = 0, unmatched = 0, repeats = 0;
    for (size_t i = 0; i < n; i++) {
        matched += all[i].mentor_id[0] != '\0';
        unmatched += all[i].mentor_id[0] == '\0';
        repeats += all[i].repeat;
    }
    int rc = msg_set_content(m,
                             "**Mentorship round %d** (admin summary): %d matched, %d unmatched, "
                             "%d repeat%s.",
                             round_no, matched, unmatched, repeats, repeats == 1 ? "" : "s");
    int shown = 0;
    for (size_t i = 0; !rc && i < n && shown < 40; i++) {
        if (all[i].mentor_id[0])
            continue;
        rc = msg_append(m, "%s<@%s>", shown++ ? ", " : "\nUnmatched: ", all[i].mentee_id);
    }
    if (!rc && unmatched > shown)
        rc = msg_append(m, " and %d more", unmatched - shown);
    return rc;
}

int pairing_msg_followup(const struct store_round *r, const char *with, struct message *m)
{
    char yes[48], no[48];
    snprintf(yes, sizeof(yes), "met:%lld:yes", (long long)r->id);
    snprintf(no, sizeof(no), "met:%lld:no", (long long)r->id);
    int rc = msg_set_content(m, "**Mentorship round %d**, one week in: did you meet %s?",
                             r->round_no, with);
    if (!rc)
        rc = msg_add_button(m, "Yes", yes, MSG_BTN_SUCCESS);
    if (!rc)
        rc = msg_add_button(m, "No", no, MSG_BTN_SECONDARY);
    return rc;
}
