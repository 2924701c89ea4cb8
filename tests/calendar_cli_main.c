/* calendar_cli_main.c - test-only executable: `calendar-cli ARGS` runs
 * cal_cli_main like `cohortbot calendar ARGS` will. */
#include "schedules/calendar_cli.h"

int main(int argc, char **argv)
{
    argv[0] = "calendar";
    return cal_cli_main(argc, argv);
}
