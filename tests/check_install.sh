#!/bin/sh
# check_install.sh BUILDDIR PREFIX BINDIR SYSCONFDIR DATADIR MANDIR UNITDIR - `meson install`
# into a temporary DESTDIR: the binary, the man page, the configuration, the data and the
# units are where they belong, and the installed binary accepts the installed
# configuration with the installed data (curricula and question banks load).
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
meson install -C "$1" --destdir "$tmp" --no-rebuild --quiet >"$tmp.log" 2>&1 ||
    { cat "$tmp.log"; rm -f "$tmp.log"; exit 1; }
rm -f "$tmp.log"
fail=0
for f in "$3/cohortbot" "$6/man1/cohortbot.1" "$4/cohortbot/cohortbot.json" \
    "$5/cohortbot/curricula/data-engineer.json" "$5/cohortbot/calendars/study-groups.ics" \
    "$5/cohortbot/assessments/data-engineer-week-02.json" "$7/cohortbot.service" \
    "$7/cohortbot@.service"; do
    [ -f "$tmp$f" ] && echo "installed $f" || { echo "FAIL: $f not installed"; fail=1; }
done
grep -q "^ExecStart=$3/cohortbot --config $4/cohortbot/cohortbot.json" "$tmp$7/cohortbot.service" ||
    { echo "FAIL: the unit does not run the installed binary with the installed config"; fail=1; }
out=$(cd "$tmp" && COHORTBOT_DATA_DIR="$tmp$5/cohortbot" "$tmp$3/cohortbot" --check-config \
    --config "$tmp$4/cohortbot/cohortbot.json" 2>&1)
echo "$out"
echo "$out" | grep -q "curricula OK (1), assessment banks OK (5, 145 questions)" ||
    { echo "FAIL: the installed binary does not accept the installed configuration and data"; fail=1; }
exit $fail
