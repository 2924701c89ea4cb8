/* commands.h - every command definition, one per file in commands/, and the tables
 * the registry serves. Adding a command = one file + one line here. */
#ifndef COHORT_COMMANDS_H
#define COHORT_COMMANDS_H

#include "commands/registry.h"

extern const struct cmd_def cmd_help_def;

#define COMMAND_TABLE &cmd_help_def,
#define COMPONENT_TABLE

#endif
