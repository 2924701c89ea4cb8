#!/bin/sh
# verify_units.sh UNIT UNIT@ - systemd-analyze verify on the service units (copies
# whose ExecStart= points at the build tree's binary). Any message fails: systemd
# reports unknown keys and bad values as warnings with exit status 0.
set -u
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found (Debian package systemd)"; exit 1; }
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT
cp "$1" "$dir/cohortbot.service" && cp "$2" "$dir/cohortbot@.service" || exit 1
cd "$dir" || exit 1
fail=0
for u in cohortbot.service cohortbot@0.service cohortbot@1.service; do
    out=$(systemd-analyze verify --man=no "./$u" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || [ -n "$out" ]; then
        echo "FAIL $u (exit $rc):"
        echo "$out"
        fail=1
    else
        echo "ok $u"
    fi
done
# the hardening the unit promises, as systemd reads it
for key in Type=notify WatchdogUSec=30s Restart=on-failure DynamicUser=yes \
    ProtectSystem=strict ProtectHome=yes PrivateTmp=yes NoNewPrivileges=yes \
    'RestartPreventExitStatus=2 3' StateDirectory=cohortbot; do
    grep -qx "${key%%=*}=${key#*=}" cohortbot.service 2>/dev/null ||
        case $key in WatchdogUSec=*) grep -qx 'WatchdogSec=30s' cohortbot.service ;; *) false ;; esac ||
        { echo "FAIL cohortbot.service lacks $key"; fail=1; }
done
exit $fail
