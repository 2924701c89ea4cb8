/* discord_pending.c - interim until the gateway/REST branch lands (issue 3): Discord
 * mode refuses to start rather than pretend. Removed by that merge. */
#include "bot/discord.h"
#include "bot/log.h"

int discord_run(struct app *app)
{
    (void)app;
    log_error("discord", "Discord mode is not in this build yet; use --console");
    return 1;
}
