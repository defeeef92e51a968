#!/usr/bin/env bash
# Slurm smoke test for `mixup sweep --slurm`, against a real single-node Slurm (no mock).
#
# Installs slurm-wlm and munge from Debian's packages when missing (needs root and apt), creates a munge key if there
# is none, starts munged, slurmctld and slurmd for one node (CPUs=2; proctrack/linuxproc and task/none, which work in a
# container), builds the release `mixup`, submits a small sweep (spirals, erm and manifold × seeds 0-1, 3 epochs) as a
# job array, waits for it, checks `mixup sweep report`, checks a rerun submits nothing, and stops the daemons it started.
#
# Usage: Benchmarks/slurm/smoke.sh        (from anywhere; exits 0 on success, 77 when it cannot run here, 1 on failure)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

say() { printf '[slurm-smoke] %s\n' "$*"; }
skip() { say "SKIP: $*"; exit 77; }
fail() { say "FAIL: $*"; exit 1; }

[ "$(uname -s)" = Linux ] || skip "needs Linux"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
    [ "$(id -u)" = 0 ] || skip "slurm-wlm/munge are missing and installing them needs root"
    command -v apt-get >/dev/null || skip "slurm-wlm/munge are missing and there is no apt-get"
    say "installing slurm-wlm and munge (apt-get update first)"
    apt-get update -qq || skip "apt-get update failed (no package registry?)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null \
        || fail "apt-get install slurm-wlm munge failed"
fi
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root"

WORK=$(mktemp -d /tmp/mixup-slurm-smoke.XXXXXX)
STARTED=()  # pids of the daemons this script started
cleanup() {
    local status=$?
    for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${STARTED[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    done
    [ ${#STARTED[@]} -gt 0 ] && say "stopped the daemons it started (${STARTED[*]})"
    if [ $status -ne 0 ] && [ -d "$WORK" ]; then
        say "logs kept in $WORK"
        tail -n 20 "$WORK"/*.log 2>/dev/null || true
    fi
    exit $status
}
trap cleanup EXIT

# munge: a key and a running munged.
if [ ! -s /etc/munge/munge.key ]; then
    say "creating /etc/munge/munge.key"
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then mungekey --create --keyfile=/etc/munge/munge.key --force
    else dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; fi
    chown munge:munge /etc/munge/munge.key 2>/dev/null || true
    chmod 400 /etc/munge/munge.key
fi
if ! pgrep -x munged >/dev/null; then
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
    chmod 755 /run/munge
    rm -f /run/munge/munged.pid
    if id munge >/dev/null 2>&1; then runuser -u munge -- munged; else munged --force; fi
    # munged daemonizes: the pid to stop is the one in its pid file, not the one that started it.
    for _ in $(seq 50); do [ -s /run/munge/munged.pid ] && break; sleep 0.1; done
    STARTED+=("$(cat /run/munge/munged.pid)")
    say "started munged (pid ${STARTED[-1]})"
fi
munge -n | unmunge >/dev/null || fail "munge does not work"

# A one-node cluster with its own config, state and logs under $WORK (SLURM_CONF points every Slurm command at it).
HOST=$(hostname -s)
mkdir -p "$WORK/ctld" "$WORK/d"
export SLURM_CONF="$WORK/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=mixupsmoke
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$WORK/ctld
SlurmdSpoolDir=$WORK/d
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=smoke Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
# No cgroup.conf: the default cgroup autodetection works here, and with proctrack/linuxproc and task/none no job is
# confined by cgroups.

slurmctld -i -f "$SLURM_CONF"
for _ in $(seq 50); do [ -s "$WORK/slurmctld.pid" ] && break; sleep 0.1; done
STARTED+=("$(cat "$WORK/slurmctld.pid")")
say "started slurmctld (pid ${STARTED[-1]})"
slurmd -f "$SLURM_CONF" -N "$HOST"
for _ in $(seq 50); do [ -s "$WORK/slurmd.pid" ] && break; sleep 0.1; done
STARTED+=("$(cat "$WORK/slurmd.pid")")
say "started slurmd (pid ${STARTED[-1]})"
for _ in $(seq 60); do
    sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
    sleep 1
done
sinfo -h -o '%t' | grep -qE '^(idle|mix|alloc)' || fail "the node did not come up: $(sinfo 2>&1)"
say "node up: $(sinfo -h -o '%P %D %t %c CPUs')"

say "building the release mixup"
swift build -c release --product mixup >"$WORK/build.log" 2>&1 || fail "release build failed (see $WORK/build.log)"
MIXUP="$ROOT/.build/release/mixup"

OUT="$WORK/sweep"
say "submitting: mixup sweep spirals --strategy erm,manifold --seeds 0-1 --epochs 3 --slurm --cpus-per-task 1 --array-limit 2 --out $OUT"
"$MIXUP" sweep spirals --strategy erm,manifold --seeds 0-1 --epochs 3 --slurm --cpus-per-task 1 --array-limit 2 \
    --out "$OUT" 2>&1 | tee "$WORK/submit.log"
JOB=$(sed -n 's/.*submitted job \([0-9]*\).*/\1/p' "$WORK/submit.log")
[ -n "$JOB" ] || fail "no job id in the submission output"
grep '^#SBATCH --array=' "$OUT/slurm/sweep.sbatch"
for i in $(seq 600); do
    [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] && break
    sleep 1
done
[ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] || fail "job $JOB still queued after 10 minutes: $(squeue)"
say "job $JOB finished; collecting"
"$MIXUP" sweep report "$OUT" || fail "mixup sweep report: not every cell finished (task logs: $OUT/slurm)"
cat "$OUT/results.md"
grep -q '^| `strategy=erm`[^|]*| 2 |' "$OUT/results.md" || fail "results.md lacks the erm row with n = 2"
grep -q '^| `strategy=manifold`[^|]*| 2 |' "$OUT/results.md" || fail "results.md lacks the manifold row with n = 2"
for f in results.csv chart_test_error.svg curves_test_error.svg; do [ -s "$OUT/$f" ] || fail "missing $f"; done
"$MIXUP" sweep spirals --strategy erm,manifold --seeds 0-1 --epochs 3 --slurm --out "$OUT" 2>&1 | tee "$WORK/resubmit.log"
grep -q 'nothing to submit' "$WORK/resubmit.log" || fail "a rerun of a finished sweep submitted cells again"
say "PASS: 4 cells ran as Slurm array tasks of job $JOB; the report has both configurations with n = 2"
rm -rf "$WORK"
