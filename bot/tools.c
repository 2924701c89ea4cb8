/* tools.c - dispatch of `cohortbot <tool> …` to the module that implements it. */
#include "bot/tools.h"
#include "schedules/pairing_cli.h"
#include "schedules/calendar_cli.h"
#include "bot/export.h"
#include "schedules/simulate.h"
#include "commands/progress_card.h"
#include "schedules/review_cli.h"

#include <stdio.h>
#include <string.h>

struct tool {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
};

static const struct tool tools[] = {
    {"calendar", cal_cli_main, "print a calendar's occurrences or reminders"},
    {"export", export_main, "export checkins [--guild ID] [--db FILE]"},
    {"simulate", simulate_main, "print every post the schedules would make"},
    {"pairs", pairing_cli_main, "--dry-run: print the next mentorship round as CSV"},
    {"render", render_cli_main, "progress --user ID | report --out FILE.png: the cards"},
    {"reviews", review_cli_main, "--round KIND: re-run a stored project review round"},
    {NULL, NULL, NULL},
};

int tools_main(int argc, char **argv)
{
    for (const struct tool *t = tools; t->name; t++)
        if (strcmp(argv[0], t->name) == 0)
            return t->run(argc, argv);
    fprintf(stderr, "cohortbot: unknown command '%s' (see cohortbot --help)\n", argv[0]);
    return 1;
}
