#!/bin/bash
# A single-node Slurm (Debian 12's 22.05) for korpipe's tests, without systemd.
#
# Idempotent: when the daemons this script started are still running with the same slurm.conf
# and the node is idle, it returns at once; otherwise it installs what is missing, writes the
# config and restarts only the Slurm daemons it started itself (found by their PID files). A
# munged that already answers is left alone. Run as root.
#
#   SLURM_TEST_DIR   state, spool, logs and PID files (default ${TMPDIR:-/tmp}/korpipe-slurm)
#
# The node is announced with all of this machine's CPUs: a job asking for more would pend
# forever, which is why src/run/slurm.ts checks cpus-per-task against sinfo before submitting.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
  echo "slurm-setup: run as root (it installs packages and starts munged, slurmctld, slurmd)" >&2
  exit 1
fi

D=${SLURM_TEST_DIR:-${TMPDIR:-/tmp}/korpipe-slurm}
H=$(hostname -s)
N=$(nproc)
CONF=/etc/slurm/slurm.conf
export DEBIAN_FRONTEND=noninteractive

node_state() { sinfo -h -n "$H" -o %T 2>/dev/null | head -1; }
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
munge_works() { command -v munge >/dev/null && munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

# --- packages ------------------------------------------------------------------------------
PKGS="slurmctld slurmd slurm-client munge"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
  || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  apt-get install -y --no-install-recommends $PKGS >/dev/null 2>&1 \
    || { apt-get update >/dev/null; apt-get install -y --no-install-recommends $PKGS >/dev/null; }
fi

# --- the configuration we want ---------------------------------------------------------------
mkdir -p "$D" /etc/slurm
WANT=$(mktemp)
trap 'rm -f "$WANT"' EXIT
cat > "$WANT" <<CONF
# Written by korpipe .ci/slurm-setup.sh: a single-node test cluster.
ClusterName=korpipe
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
# Start array tasks as soon as they are submitted instead of batching them.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
# Finished jobs leave squeue after 4 s (short enough for tests, long enough to be seen).
MinJobAge=4
NodeName=$H NodeAddr=127.0.0.1 CPUs=$N RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF

if cmp -s "$WANT" "$CONF" && alive "$D/slurmctld.pid" && alive "$D/slurmd.pid" \
  && munge_works && [ "$(node_state)" = idle ]; then
  echo "slurm-setup: already running ($H, $N CPUs, state in $D)"
  exit 0
fi

# --- stop the Slurm daemons we started before (by PID file only) ---------------------------
for p in "$D/slurmd.pid" "$D/slurmctld.pid"; do
  if alive "$p"; then
    pid=$(cat "$p")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$p"
done

# --- munge (left alone when one already answers) --------------------------------------------
if ! munge_works; then
  [ -s /etc/munge/munge.key ] || mungekey -c -k /etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
  install -d -o munge -g munge -m 755 /run/munge
  install -d -o munge -g munge -m 700 /var/log/munge /var/lib/munge
  # A munged that died leaves its PID file and socket behind, and a new one refuses to start.
  if [ -s /run/munge/munged.pid ] && ! kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; then
    rm -f /run/munge/munged.pid /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  fi
  runuser -u munge -- /usr/sbin/munged
  munge -n | unmunge >/dev/null
fi

# --- slurm ------------------------------------------------------------------------------------
rm -rf "$D/state" "$D/spool" "$D/log"
mkdir -p "$D/state" "$D/spool" "$D/log"
cp "$WANT" "$CONF"
t0=$(date +%s%N)
slurmctld -i # -i: start even though the state files are missing
slurmd
for _ in $(seq 120); do
  if [ "$(node_state)" = idle ]; then
    echo "slurm-setup: node $H idle with $N CPUs after $((($(date +%s%N) - t0) / 1000000)) ms (state in $D)"
    exit 0
  fi
  sleep 0.5
done
echo "slurm-setup: node $H did not become idle; the daemons' logs follow" >&2
tail -n 20 "$D/log/slurmctld.log" "$D/log/slurmd.log" >&2 || true
exit 1
