/* help.c - /help: the commands the member can use, from the registry table. */
#include "commands/commands.h"

static int help_run(struct cmd_ctx *c, const struct cmd_args *a)
{
    (void)a;
    c->reply->ephemeral = true;
    return cmd_help(c->reply, ix_is_admin(c->ix));
}

const struct cmd_def cmd_help_def = {
    .name = "help",
    .description = "List the commands you can use",
    .run = help_run,
};
