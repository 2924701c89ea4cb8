/* cohort_util.c - the member's cohort lookup with readable refusals. */
#include "commands/cohort_util.h"
#include "bot/app.h"
#include "bot/err.h"
#include "bot/store.h"
#include "config/curriculum.h"

int cohort_of_member(struct cmd_ctx *c, struct cohort *out, const struct curriculum **cur)
{
    c->reply->ephemeral = true;
    if (!c->ix->guild_id[0]) {
        msg_set_content(c->reply, "Use this command in your study server, not in a DM.");
        return BOT_EINVAL;
    }
    int rc = store_cohort_get(c->app->store, c->ix->guild_id, out);
    if (rc == BOT_ENOTFOUND) {
        msg_set_content(c->reply, "No cohort is running in this server yet. An admin can start "
                                  "one with /cohort start date:YYYY-MM-DD.");
        return rc;
    }
    if (rc)
        return rc;
    *cur = curricula_find(c->app->curricula, out->curriculum);
    if (!*cur) {
        msg_set_content(c->reply,
                        "This cohort's curriculum \"%s\" is not installed any more. "
                        "An admin can pick another with /cohort start.",
                        out->curriculum);
        return BOT_ENOTFOUND;
    }
    return 0;
}
