#!/usr/bin/env bash
# End-to-end test of akhbard as a systemd service, under a real systemd (252) booted in private
# namespaces by ../shared/tools/systemd-sandbox (see its .md), in the instance SYSTEMD_SANDBOX_NAME
# (default akhbar-e2e).
#
#   Tests/systemd/run-e2e.sh [BIN_DIR]      # BIN_DIR holds akhbard and akhbar; default .build/debug
#
# Installs the binaries and deploy/ with `make -C deploy install-files` inside the sandbox, then
# drives the units with systemctl, journalctl and the client, the way an admin and users would.
# Needs root and unshare; otherwise it fails, unless AKHBAR_E2E_ALLOW_SKIP=1 makes it skip (loudly).
# Prints "N passed, N failed" last and exits non-zero if any check failed.
set -u -o pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
bin=$(cd "${1:-.build/debug}" 2>/dev/null && pwd) || bin=${1:-.build/debug}
sandbox=${AKHBAR_SYSTEMD_SANDBOX:-../shared/tools/systemd-sandbox}
export SYSTEMD_SANDBOX_NAME=${SYSTEMD_SANDBOX_NAME:-akhbar-e2e}

socket=/run/akhbar/akhbar.sock
drop=/srv/akhbar/drop
config=/etc/akhbar/akhbard.conf
watchdog_seconds=3

passed=0
failed=0

pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '      %s\n' "$2"; }
summary() { printf '%d passed, %d failed\n' "$passed" "$failed"; }

skip_or_fail() {
    printf '\n*** SKIPPED: %s ***\n*** the systemd end-to-end test did NOT run ***\n\n' "$1" >&2
    if [ "${AKHBAR_E2E_ALLOW_SKIP:-}" = 1 ]; then
        summary
        exit 0
    fi
    echo "set AKHBAR_E2E_ALLOW_SKIP=1 to allow skipping" >&2
    fail "systemd end-to-end test could run" "$1"
    summary
    exit 1
}

[ "$(id -u)" = 0 ] || skip_or_fail "needs root (the sandbox boots systemd in new namespaces)"
command -v unshare >/dev/null || skip_or_fail "unshare (util-linux) is not installed"
[ -x "$sandbox" ] || skip_or_fail "no systemd-sandbox at $sandbox"

in_sandbox() { "$sandbox" exec "$@"; }
prop() { in_sandbox systemctl show -p "$1" --value "${2:-akhbard.service}"; }
# Runs the client as USER against the unit's socket.
client() { local user=$1; shift; in_sandbox timeout 60 runuser -u "$user" -- akhbar --socket "$socket" "$@"; }
# Polls CMD every 0.2 s for up to SECONDS; true as soon as it succeeds.
wait_for() {
    local seconds=$1; shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}
# Writes stdin to PATH in the drop folder as a producer would: a temporary name, then a rename.
drop_file() { in_sandbox runuser -u producer -- sh -c 'cat > "$1.part" && mv "$1.part" "$1"' sh "$drop/$1"; }
article() { printf '%s\n\n' "$1"; for _ in $(seq "$2"); do printf 'نص تجريبي عن الأخبار المحلية والدولية في هذا اليوم.\n'; done; }

for tool in akhbard akhbar; do
    [ -x "$bin/$tool" ] || { fail "built binary $bin/$tool exists"; summary; exit 1; }
done

trap '"$sandbox" stop' EXIT
"$sandbox" stop
"$sandbox" start || { fail "systemd sandbox boots"; summary; exit 1; }

# --- Install as an admin would -----------------------------------------------------------------
# /srv is shared with the host; a tmpfs keeps the drop folder that tmpfiles.d creates in here.
in_sandbox mount -t tmpfs -o mode=0755 tmpfs /srv
if in_sandbox make -s -C "$repo/deploy" install-files PREFIX=/usr BUILDDIR="$bin" >/dev/null; then
    pass "make -C deploy install-files installs and applies sysusers.d and tmpfiles.d"
else
    fail "make -C deploy install-files installs and applies sysusers.d and tmpfiles.d"
fi
# The bash completion installed for the client offers its subcommands.
words=$(in_sandbox bash -c 'source /usr/share/bash-completion/completions/akhbar 2>/dev/null
    COMP_WORDS=(akhbar "") COMP_CWORD=1 COMP_LINE="akhbar " COMP_POINT=7; _akhbar 2>/dev/null; echo "${COMPREPLY[*]}"')
if [[ " $words " == *" search "* && " $words " == *" follow "* ]] \
    && in_sandbox test -s /usr/share/zsh/vendor-completions/_akhbard \
    && in_sandbox test -s /usr/share/fish/vendor_completions.d/akhbar.fish; then
    pass "make -C deploy install-files installs bash, zsh and fish completions"
else
    fail "make -C deploy install-files installs bash, zsh and fish completions" "bash offered: '$words'"
fi
dropin=$(mktemp -d)
mkdir "$dropin/akhbard.service.d"
printf '[Service]\nWatchdogSec=%ss\n' "$watchdog_seconds" > "$dropin/akhbard.service.d/e2e.conf"
"$sandbox" install "$dropin/akhbard.service.d" >/dev/null
rm -rf "$dropin"
in_sandbox useradd --no-create-home --groups akhbar-query someone
in_sandbox useradd --no-create-home outsider
in_sandbox useradd --no-create-home --groups akhbar-drop producer

out=$(in_sandbox systemd-analyze verify /usr/lib/systemd/system/akhbard.service /usr/lib/systemd/system/akhbard.socket 2>&1)
if [ -z "$out" ]; then pass "systemd-analyze verify prints nothing"; else fail "systemd-analyze verify prints nothing" "$out"; fi

exposure=$(systemd-analyze security --offline=true deploy/akhbard.service 2>/dev/null \
    | sed -n 's/.*Overall exposure level for akhbard.service: \([0-9.]*\).*/\1/p')
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 1.0) }'; then
    pass "security exposure $exposure <= 1.0 (offline)"
else
    fail "security exposure <= 1.0 (offline)" "got '${exposure:-no score}'"
fi

# --- Socket activation ---------------------------------------------------------------------------
in_sandbox systemctl enable --now akhbard.socket >/dev/null 2>&1
state=$(prop ActiveState akhbard.socket)/$(prop ActiveState)
if [ "$state" = active/inactive ]; then pass "socket listens, service not yet started"; else fail "socket listens, service not yet started" "socket/service: $state"; fi
perms=$(in_sandbox stat -c '%a %U %G' "$socket" 2>&1)
if [ "$perms" = "660 root akhbar-query" ]; then pass "socket is 0660 root:akhbar-query"; else fail "socket is 0660 root:akhbar-query" "$perms"; fi

article "خبر أول عن زنجبيلستان" 40 | drop_file first.txt
first_bytes=$(in_sandbox stat -c %s "$drop/first.txt")
if out=$(client someone stats 2>&1); then pass "first query starts the service through the socket"; else fail "first query starts the service through the socket" "$out"; fi
# The daemon answers queries as soon as its socket is adopted, which can be just before READY=1.
is_running() { [ "$(prop ActiveState)/$(prop SubState)" = active/running ]; }
if wait_for 10 is_running; then pass "ActiveState=active SubState=running"; else fail "ActiveState=active SubState=running" "$(prop ActiveState)/$(prop SubState)"; fi
perms=$(in_sandbox stat -c '%a %U %G' "$socket" 2>&1)
if [ "$perms" = "660 root akhbar-query" ]; then pass "socket keeps 0660 root:akhbar-query while the service runs"; else fail "socket keeps 0660 root:akhbar-query while the service runs" "$perms"; fi
status=$(prop StatusText)
if [[ "$status" == *[0-9]* && "$status" == *"$drop"* ]]; then pass "StatusText is meaningful: $status"; else fail "StatusText names a count and the drop folder" "StatusText='$status'"; fi

# --- Queries and access ------------------------------------------------------------------------
if wait_for 15 sh -c "'$sandbox' exec runuser -u someone -- akhbar --socket $socket search زنجبيلستان --json | grep -F first.txt"; then
    pass "a query-group member finds a dropped file"
else
    fail "a query-group member finds a dropped file" "$(client someone search زنجبيلستان --json 2>&1 | head -5)"
fi
out=$(client outsider search زنجبيلستان --json 2>&1); code=$?
if [ "$code" -ne 0 ] && [[ "$out" != *first.txt* ]] && grep -qi 'permission denied' <<<"$out"; then
    pass "a user outside the query group is refused"
else
    fail "a user outside the query group is refused" "exit $code: $out"
fi
out=$(client someone rescan 2>&1); code=$?
if [ "$code" -ne 0 ] && grep -qi 'permission' <<<"$out"; then
    pass "a query-group member may search but not force a rescan"
else
    fail "a query-group member may search but not force a rescan" "exit $code: $out"
fi
if out=$(in_sandbox timeout 60 akhbar --socket "$socket" rescan 2>&1); then
    pass "root may force a rescan"
else
    fail "root may force a rescan" "$out"
fi

# --- Journal -------------------------------------------------------------------------------------
# A single file's burst is summed up, path and article id included, once ingest has been quiet a second.
journal_first() { in_sandbox journalctl -u akhbard.service --no-pager -o verbose AKHBAR_PATH="$drop/first.txt" 2>&1; }
wait_for 10 sh -c "'$sandbox' exec journalctl -u akhbard.service --no-pager -o verbose AKHBAR_PATH=$drop/first.txt | grep -q AKHBAR_ARTICLE_ID=" || true
entry=$(journal_first)
if grep -q '^ *AKHBAR_ARTICLE_ID=' <<<"$entry" && grep -q '^ *PRIORITY=' <<<"$entry" && grep -q '^ *CODE_FILE=' <<<"$entry"; then
    pass "journal entry for the ingest carries AKHBAR_PATH, AKHBAR_ARTICLE_ID, PRIORITY, CODE_FILE"
else
    fail "journal entry for the ingest carries AKHBAR_PATH, AKHBAR_ARTICLE_ID, PRIORITY, CODE_FILE" "$(head -c 600 <<<"$entry")"
fi

# --- Reload --------------------------------------------------------------------------------------
in_sandbox sed -i 's/^#\{0,1\} *max-file-size *=.*/max-file-size = 1K/' "$config"
pid=$(prop MainPID)
start=$(date +%s%N)
if in_sandbox timeout 10 systemctl reload akhbard.service; then
    ms=$((($(date +%s%N) - start) / 1000000))
    if [ "$ms" -lt 5000 ]; then pass "systemctl reload returns promptly (${ms} ms)"; else fail "systemctl reload returns promptly" "${ms} ms"; fi
else
    fail "systemctl reload returns promptly" "failed or hung for 10 s"
fi
if [ "$(prop MainPID)" = "$pid" ] && [ "$(prop ActiveState)" = active ]; then pass "reload keeps the same process running"; else fail "reload keeps the same process running"; fi
article "خبر ثان طويل عن زنجبيلستان" 40 | drop_file second.txt
if [ "$first_bytes" -gt 1024 ] && wait_for 15 sh -c "'$sandbox' exec akhbar --socket $socket rejected --json | grep -F second.txt"; then
    pass "reload applies max-file-size: a ${first_bytes}-byte file is now rejected"
else
    fail "reload applies max-file-size: a ${first_bytes}-byte file is now rejected" "$(client someone rejected --json 2>&1 | head -5)"
fi
entry=$(in_sandbox journalctl -u akhbard.service --no-pager -o verbose AKHBAR_PATH="$drop/second.txt" 2>&1)
if grep -q '^ *AKHBAR_REASON=' <<<"$entry"; then pass "journal entry for the rejection carries AKHBAR_REASON"; else fail "journal entry for the rejection carries AKHBAR_REASON" "$(head -c 600 <<<"$entry")"; fi

echo 'no-such-setting = 1' | in_sandbox sh -c "cat >> $config"
in_sandbox timeout 10 systemctl reload akhbard.service
if [ "$(prop ActiveState)" = active ] && [ "$(prop MainPID)" = "$pid" ] \
    && in_sandbox journalctl -u akhbard.service --no-pager -o cat | grep -F no-such-setting >/dev/null; then
    pass "a bad config on reload keeps the daemon running and the log says why"
else
    fail "a bad config on reload keeps the daemon running and the log says why" "state $(prop ActiveState), StatusText '$(prop StatusText)'"
fi
in_sandbox sed -i '/^no-such-setting/d' "$config"
in_sandbox timeout 10 systemctl reload akhbard.service

# --- Watchdog ------------------------------------------------------------------------------------
pid=$(prop MainPID)
restarts=$(prop NRestarts)
in_sandbox kill -STOP "$pid"
restarted() { local now; now=$(prop MainPID); [ "$now" != 0 ] && [ "$now" != "$pid" ] && [ "$(prop NRestarts)" -gt "$restarts" ] && [ "$(prop SubState)" = running ]; }
if wait_for $((watchdog_seconds * 2 + 15)) restarted; then
    pass "a SIGSTOPped daemon is restarted by the watchdog"
else
    fail "a SIGSTOPped daemon is restarted by the watchdog" "MainPID $(prop MainPID) (was $pid), NRestarts $(prop NRestarts), SubState $(prop SubState)"
fi
if in_sandbox journalctl -u akhbard.service --no-pager -o cat | grep -q 'Watchdog timeout'; then pass "systemd logged the watchdog timeout"; else fail "systemd logged the watchdog timeout"; fi
if client someone search زنجبيلستان --json 2>&1 | grep -qF first.txt; then pass "the restarted daemon answers on the same socket"; else fail "the restarted daemon answers on the same socket"; fi

# --- Health --------------------------------------------------------------------------------------
limits="$(prop TimeoutStopUSec) $(prop MemoryMax) $(prop LimitNOFILE)"
if [ "$limits" = "10s 1073741824 4096" ]; then pass "TimeoutStopSec=10s MemoryMax=1G LimitNOFILE=4096"; else fail "TimeoutStopSec=10s MemoryMax=1G LimitNOFILE=4096" "$limits"; fi
pid=$(prop MainPID)
holder=$(in_sandbox cat /var/lib/akhbar/akhbar.sqlite.lock 2>&1)
if [ "$holder" = "$pid" ]; then pass "the store's lock in the state directory names the service's PID"; else fail "the store's lock in the state directory names the service's PID" "lock '$holder', MainPID $pid"; fi
out=$(in_sandbox timeout 30 runuser -u akhbar -- akhbard --drop "$drop" --store /var/lib/akhbar/akhbar.sqlite --socket /tmp/second.sock 2>&1); code=$?
if [ "$code" -ne 0 ] && grep -qF "PID $pid" <<<"$out"; then
    pass "a second akhbard on the service's store refuses to start, naming its PID"
else
    fail "a second akhbard on the service's store refuses to start, naming its PID" "exit $code: $out"
fi
if client someone stats --json 2>&1 | grep -qF '"problems":[]'; then pass "Stats lists no problems"; else fail "Stats lists no problems" "$(client someone stats --json 2>&1)"; fi
status_has() { prop StatusText | grep -qF "$1"; }
status_lacks() { ! prop StatusText | grep -qF "$1"; }
in_sandbox mv "$drop" "$drop.away"
if wait_for 10 status_has "PROBLEM drop-folder"; then pass "the drop folder moved away shows in StatusText"; else fail "the drop folder moved away shows in StatusText" "$(prop StatusText)"; fi
in_sandbox mv "$drop.away" "$drop"
if wait_for 10 status_lacks "PROBLEM"; then pass "the problem clears when the drop folder is back"; else fail "the problem clears when the drop folder is back" "$(prop StatusText)"; fi
article "خبر ثالث عن زنجبيلستان" 5 | drop_file third.txt
if wait_for 15 sh -c "'$sandbox' exec runuser -u someone -- akhbar --socket $socket search زنجبيلستان --json | grep -F third.txt"; then
    pass "the drop folder is watched again once back"
else
    fail "the drop folder is watched again once back" "$(client someone search زنجبيلستان --json 2>&1 | head -5)"
fi

# --- Stop ----------------------------------------------------------------------------------------
start=$(date +%s%N)
in_sandbox systemctl stop akhbard.service 2>/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$ms" -lt 2000 ]; then pass "systemctl stop returns within 2 s (${ms} ms)"; else fail "systemctl stop returns within 2 s" "${ms} ms"; fi
result=$(prop Result)/$(prop ActiveState)
if [ "$result" = success/inactive ]; then pass "systemctl stop ends with Result=success"; else fail "systemctl stop ends with Result=success" "$result"; fi
if in_sandbox test -S "$socket"; then pass "the socket survives a stop of the service"; else fail "the socket survives a stop of the service"; fi

summary
[ "$failed" -eq 0 ]
