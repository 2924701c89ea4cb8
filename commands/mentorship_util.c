/* mentorship_util.c - track validation and completion, zone check and next-round
 * time for the mentorship commands (see mentorship_util.h). */
#include "commands/mentorship_util.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "bot/tz.h"
#include "config/config.h"
#include "config/curriculum.h"
#include "schedules/pairing_round.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct cur_track *find_track(const struct curriculum *cur, const char *s, size_t n)
{
    for (size_t i = 0; i < cur->mentorship.n_tracks; i++) {
        const struct cur_track *t = &cur->mentorship.tracks[i];
        if (strlen(t->slug) == n && strncasecmp(t->slug, s, n) == 0)
            return t;
    }
    return NULL;
}

static void known_list(const struct curriculum *cur, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < cur->mentorship.n_tracks && used < outlen; i++) {
        int w = snprintf(out + used, outlen - used, "%s%s", i ? ", " : "",
                         cur->mentorship.tracks[i].slug);
        used += w > 0 ? (size_t)w : 0;
    }
}

int mship_tracks(const struct curriculum *cur, const char *list, bool one, char *out, size_t outlen,
                 char *why, size_t whylen)
{
    char known[300];
    size_t used = 0, count = 0;
    known_list(cur, known, sizeof(known));
    out[0] = '\0';
    for (const char *p = list; p && *p;) {
        p += strspn(p, " ,");
        size_t n = strcspn(p, ",");
        while (n && p[n - 1] == ' ')
            n--;
        if (!n)
            break;
        const struct cur_track *t = find_track(cur, p, n);
        if (!t) {
            snprintf(why, whylen, "Unknown track \"%.*s\". The tracks are: %s.",
                     (int)(n > 60 ? 60 : n), p, known);
            return BOT_EINVAL;
        }
        if (!strstr(out, t->slug)) {
            int w = snprintf(out + used, outlen - used, "%s%s", used ? "," : "", t->slug);
            used += w > 0 ? (size_t)w : 0;
            count++;
        }
        p += strcspn(p, ",");
    }
    if (count == 0 || (one && count > 1) || used >= outlen) {
        snprintf(why, whylen, "Name %s of the tracks: %s.", one ? "one" : "one or more", known);
        return BOT_EINVAL;
    }
    return 0;
}

int mship_track_complete(struct cmd_ctx *c, const char *typed, bool list)
{
    struct cohort co;
    const struct curriculum *cur;
    c->reply->kind = MSG_KIND_CHOICES;
    if (!c->ix->guild_id[0] || store_cohort_get(c->app->store, c->ix->guild_id, &co) ||
        !(cur = curricula_find(c->app->curricula, co.curriculum)))
        return 0;
    typed = typed ? typed : "";
    const char *last = list && strrchr(typed, ',') ? strrchr(typed, ',') + 1 : typed;
    int keep = (int)(last - typed);
    while (*last == ' ')
        last++;
    for (size_t i = 0; i < cur->mentorship.n_tracks; i++) {
        const struct cur_track *t = &cur->mentorship.tracks[i];
        if (strncasecmp(t->slug, last, strlen(last)) != 0 && !strcasestr(t->label, last))
            continue;
        char value[200], name[300];
        snprintf(value, sizeof(value), "%.*s%s", keep, typed, t->slug);
        snprintf(name, sizeof(name), "%s (%s)", value, t->label);
        msg_add_choice(c->reply, name, value);
    }
    return 0;
}

int mship_zone_ok(struct cmd_ctx *c, const char *zone)
{
    if (!zone || !*zone || tz_valid(zone))
        return 0;
    c->reply->ephemeral = true;
    msg_set_content(c->reply,
                    "`timezone`: unknown zone \"%s\". Use an IANA name such as "
                    "Europe/Berlin or America/Chicago.",
                    zone);
    return BOT_EINVAL;
}

int mship_next_round(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur,
                     int *round, int64_t *at)
{
    const struct config *cfg = c->app->cfg;
    int k = pairing_period_at(co, cur, c->now);
    for (k = k < 1 ? 1 : k; k <= pairing_round_count(cur); k++) {
        struct store_round r;
        if (pairing_round_time(co, cur, cfg->pair_weekday, cfg->pair_time, k, at) == 0 &&
            *at > c->now && store_round_by_no(c->app->store, co->id, k, &r) == BOT_ENOTFOUND) {
            *round = k;
            return 0;
        }
    }
    return BOT_ENOTFOUND;
}

void mship_next_text(struct cmd_ctx *c, const struct cohort *co, const struct curriculum *cur,
                     char *out, size_t outlen)
{
    int k;
    int64_t at;
    if (mship_next_round(c, co, cur, &k, &at) == 0)
        snprintf(out, outlen, "The next pairing round (round %d) is <t:%lld:F>.", k, (long long)at);
    else
        snprintf(out, outlen, "No more pairing rounds are scheduled in this cohort.");
}
