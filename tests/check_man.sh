#!/bin/sh
# check_man.sh MAN CONFIG_C MAIN_C TOOLS_C - the man page names every configuration key
# (config/config.c's table), every flag (bot/main.c) and every subcommand
# (bot/tools.c), and the exit codes 0-3.
set -u
man=$1
fail=0
# roff escapes hyphens as \-; compare on the text with them removed
text=$(sed 's/\\-/-/g; s/\\f[BIR]//g' "$man")
need() {
    printf '%s\n' "$text" | grep -qF -- "$1" || { echo "FAIL: the man page does not mention $2 '$1'"; fail=1; }
}
for k in $(grep -o '{"[a-z_]*", K_' "$2" | sed 's/{"\([a-z_]*\)".*/\1/'); do need "$k" "config key"; done
for f in $(grep -o '{"[a-z-]*", [a-z_]*_argument' "$3" | sed 's/{"\([a-z-]*\)".*/\1/'); do need "--$f" "flag"; done
for t in $(grep -o '{"[a-z-]*", [a-z_]*_main' "$4" | sed 's/{"\([a-z-]*\)".*/\1/'); do need "cohortbot $t" "subcommand"; done
for c in 0 1 2 3; do printf '%s\n' "$text" | grep -q "^\.B $c\$" || { echo "FAIL: exit code $c"; fail=1; }; done
if command -v groff >/dev/null; then
    w=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
    [ -z "$w" ] || { echo "FAIL: groff: $w"; fail=1; }
fi
[ $fail -eq 0 ] && echo "man page covers every key, flag, subcommand and exit code"
exit $fail
