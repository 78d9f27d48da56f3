#!/bin/bash
# A multi-node Slurm (Debian 12's slurm-wlm 22.05) on one machine, for korpipe's node-failure
# tests: one slurmctld and two slurmd, korpipe-n1 and korpipe-n2, each slurmd started in its own
# UTS namespace so that its jobs see their node's name in `hostname`. Everything else is shared:
# the file system (the "shared file system" of a real cluster), the PID space and 127.0.0.1.
#
# The cluster stands beside any other Slurm on the machine (such as .ci/slurm-setup.sh's): its own
# slurm.conf, ports, munged and state, all under $KORPIPE_SLURM_MULTI_DIR. Clients reach it with
#   export SLURM_CONF=$KORPIPE_SLURM_MULTI_DIR/slurm.conf      (or: eval "$(this-script env)")
# Run as root.
#
#   start (default)      install what is missing, start or repair the cluster; idempotent
#   stop                 cancel its jobs, stop the daemons it started (by PID file)
#   status               the daemons and sinfo
#   env                  prints the export line above
#   crash-node NODE      SIGKILL that node's slurmd and every process in its namespace, as a power
#                        cut would: its jobs die without a word to the controller
#   start-node NODE      start that node's slurmd again
#   hold NODE [NAME]     from now on, the first job (array task) named NAME (default: any) that is
#                        launched on NODE waits in the prolog until the node crashes or `release`;
#                        `ls $DIR/hold` shows NODE.held once one does (a test's deterministic point)
#   release NODE         lets a held job go on and ends the hold
#
#   KORPIPE_SLURM_MULTI_DIR   state, spool, logs, PID files (default ${TMPDIR:-/tmp}/korpipe-slurm-multi)
#   KORPIPE_SLURM_MULTI_PORT  slurmctld's port; node i listens on PORT+i (default 17100)
#
# Each node announces 1 CPU, so an array of two or more tasks spreads over both nodes. A node
# silent for 10 s is marked DOWN and its jobs requeued (Slurm's defaults, 300 s and a 120 s
# credential delay, would make a failure test take minutes); which node ran which array task is
# in $DIR/log/jobcomp.log, since this cluster has no accounting database.
set -euo pipefail

D=${KORPIPE_SLURM_MULTI_DIR:-${TMPDIR:-/tmp}/korpipe-slurm-multi}
PORT=${KORPIPE_SLURM_MULTI_PORT:-17100}
NODES=(korpipe-n1 korpipe-n2)
CONF=$D/slurm.conf
PIDS=$D/pid
SOCK=$D/munge/socket
HOSTS_TAG="# korpipe multi-node test cluster"
export SLURM_CONF=$CONF DEBIAN_FRONTEND=noninteractive

say() { echo "slurm-multi-node: $*"; }
fail() { echo "slurm-multi-node: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root: it installs packages, starts daemons and edits /etc/hosts"
[ ${#SOCK} -lt 100 ] || fail "KORPIPE_SLURM_MULTI_DIR is too long for a unix socket path: $D"

# A PID file whose process is alive and still runs the program named by the file's first word
# (slurmd-korpipe-n1.pid → slurmd): a recycled PID never passes for one of ours.
running() {
  local f=$1 pid name
  [ -s "$f" ] || return 1
  pid=$(cat "$f")
  name=$(basename "$f" .pid)
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "${name%%-*}" ]
}

# SIGTERM to all at once (slurmctld alone takes seconds to save its state), then SIGKILL to
# whatever is left after 10 s.
stop_by_pidfile() {
  local f pids=""
  for f in "$@"; do
    if running "$f"; then
      pids="$pids $(cat "$f")"
      kill -TERM "$(cat "$f")" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  for _ in $(seq 100); do
    local left=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
    pids=$left
    [ -z "$pids" ] && return 0
    sleep 0.1
  done
  kill -KILL $pids 2>/dev/null || true
}

# The processes of a node: those in the UTS namespace its slurmd was started in (recorded at
# start) that also answer to the node's hostname, so a reused namespace id never matches.
node_pids() {
  local node=$1 ns p
  [ -s "$PIDS/$node.uts" ] || return 0
  ns=$(cat "$PIDS/$node.uts")
  # One find rather than a readlink per process: on a busy machine that is seconds against minutes.
  for p in $(find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/uts' -printf '%l %h\n' 2>/dev/null \
    | grep -F "$ns /proc/" | cut -d/ -f3); do
    [ "$(nsenter -t "$p" -u hostname 2>/dev/null)" = "$node" ] && echo "$p"
  done
  return 0
}

kill_node_processes() {
  local pids
  pids=$(node_pids "$1" | tr '\n' ' ')
  [ -n "${pids// /}" ] || return 0
  kill -KILL $pids 2>/dev/null || true
  for _ in $(seq 50); do [ -z "$(node_pids "$1")" ] && return 0; sleep 0.1; done
}

controller_answers() { scontrol ping 2>/dev/null | grep -q 'is UP'; }

# Usable: responding (sinfo adds no '*') and idle, mixed, allocated or completing.
node_usable() {
  case "$(sinfo -h -N -n "$1" -o %T 2>/dev/null | head -1)" in
    idle | mixed | allocated | completing) return 0 ;;
    *) return 1 ;;
  esac
}

wait_until_usable() {
  local left
  for _ in $(seq 240); do
    left=""
    for n in "$@"; do node_usable "$n" || left="$left $n"; done
    [ -z "$left" ] && return 0
    sleep 0.25
  done
  sinfo -N >&2 || true
  tail -n 20 "$D/log/slurmctld.log" >&2 || true
  fail "node(s)$left not usable after 60 s"
}

start_node() {
  local node=$1 pid
  mkdir -p "$D/spool/$node"
  rm -f "$PIDS/slurmd-$node.pid"
  kill_node_processes "$node"
  # unshare --uts gives the slurmd (and every job it starts) a hostname of its own.
  unshare --uts -- sh -c 'hostname "$1" && exec slurmd -f "$2" -N "$1"' sh "$node" "$CONF" \
    </dev/null >>"$D/log/daemons.out" 2>&1 9>&- || fail "slurmd of $node did not start; see $D/log/daemons.out"
  for _ in $(seq 100); do running "$PIDS/slurmd-$node.pid" && break; sleep 0.1; done
  running "$PIDS/slurmd-$node.pid" || fail "slurmd of $node wrote no PID file; see $D/log/slurmd-$node.log"
  pid=$(cat "$PIDS/slurmd-$node.pid")
  readlink "/proc/$pid/ns/uts" >"$PIDS/$node.uts"
}

# Jobs resolve their nodes' names; without these lines the lookup would leave the machine.
hosts_lines() { printf '127.0.0.1 %s %s\n::1 %s %s\n' "${NODES[@]}" "${NODES[@]}" | sed "s/\$/ $HOSTS_TAG/"; }
hosts_present() { [ "$(grep -cF "$HOSTS_TAG" /etc/hosts || true)" = 2 ] && hosts_lines | while IFS= read -r l; do grep -qxF "$l" /etc/hosts || exit 1; done; }
hosts_write() {
  local keep
  keep=$(grep -vF "$HOSTS_TAG" /etc/hosts || true)
  # Rewritten in place rather than renamed: /etc/hosts may be a bind mount.
  { [ -n "$keep" ] && echo "$keep"; [ "${1:-}" = remove ] || hosts_lines; } >/etc/hosts
}

install_packages() {
  local need=""
  for cmd in slurmctld slurmd sbatch munged; do command -v "$cmd" >/dev/null || need=1; done
  [ -z "$need" ] && return 0
  local pkgs="slurmctld slurmd slurm-client munge"
  apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends $pkgs >/dev/null; }
}

munge_answers() { running "$PIDS/munged.pid" && munge -S "$SOCK" -n 2>/dev/null | unmunge -S "$SOCK" >/dev/null 2>&1; }

start_munge() {
  munge_answers && return 0
  stop_by_pidfile "$PIDS/munged.pid"
  install -d -o munge -g munge -m 755 "$D/munge"
  [ -s "$D/munge/key" ] || mungekey -c -k "$D/munge/key"
  chown munge:munge "$D/munge/key"
  chmod 400 "$D/munge/key"
  rm -f "$SOCK" "$SOCK.lock"
  runuser -u munge -- /usr/sbin/munged -S "$SOCK" --key-file="$D/munge/key" --pid-file="$D/munge/munged.pid" \
    --log-file="$D/munge/munged.log" --seed-file="$D/munge/seed" </dev/null >>"$D/log/daemons.out" 2>&1 9>&- \
    || fail "munged did not start; see $D/munge/munged.log"
  for _ in $(seq 50); do [ -s "$D/munge/munged.pid" ] && break; sleep 0.1; done
  cp "$D/munge/munged.pid" "$PIDS/munged.pid"
  munge_answers || fail "munged does not answer on $SOCK"
}

write_prolog() {
  # Runs as root on the node before each job starts. A hold lets a test stop one job at a known
  # point (launched on that node, not yet running korpipe) and crash the node there.
  echo '#!/bin/bash'
  echo "export SLURM_CONF=$CONF"
  cat <<'PROLOG'
hold=$(dirname "$0")/hold/$SLURMD_NODENAME
[ -f "$hold" ] || exit 0
want=$(cat "$hold")
if [ -n "$want" ]; then
  name=$(scontrol show job "$SLURM_JOB_ID" 2>/dev/null | sed -n 's/.*JobName=\([^ ]*\).*/\1/p' | head -1)
  [ "$name" = "$want" ] || exit 0
fi
# Only the first matching job waits; once held, others go by. NODE.held appears with the job id
# already in it, so whoever waits for it never reads it half written.
mv "$hold" "$hold.claimed" 2>/dev/null || exit 0
echo "$SLURM_JOB_ID" >"$hold.claimed"
mv "$hold.claimed" "$hold.held"
while [ -f "$hold.held" ]; do sleep 0.2; done
exit 0
PROLOG
}

write_config() {
  cat <<CONF
# Written by korpipe's .ci/slurm-multi-node-setup.sh: a controller and ${#NODES[@]} nodes on one machine.
ClusterName=korpipe-multi
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$PORT
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire: a job requeued after a node failure may start again cred_expire+1 s later.
AuthInfo=socket=$SOCK,cred_expire=10
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool/%n
SlurmctldPidFile=$PIDS/slurmctld.pid
SlurmdPidFile=$PIDS/slurmd-%n.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd-%n.log
Prolog=$D/prolog.sh
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.log
SchedulerType=sched/backfill
# Array tasks start as soon as they are submitted; a requeued one is looked at every 5 s.
SchedulerParameters=batch_sched_delay=0,sched_interval=5,bf_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Nodes announce the CPUs below, not the machine's.
SlurmdParameters=config_overrides
ReturnToService=2
# Like clusters that do not requeue batch jobs after a node failure unless asked: korpipe asks
# (sbatch --requeue), and the node-failure test shows that it does.
JobRequeue=0
SlurmdTimeout=10
MpiDefault=none
MailProg=/bin/true
MinJobAge=4
CONF
  local i=0
  for node in "${NODES[@]}"; do
    i=$((i + 1))
    echo "NodeName=$node NodeHostname=$node NodeAddr=127.0.0.1 Port=$((PORT + i)) CPUs=1 RealMemory=1000 State=UNKNOWN"
  done
  echo "PartitionName=debug Nodes=$(IFS=,; echo "${NODES[*]}") Default=YES MaxTime=INFINITE State=UP"
}

cmd_start() {
  install_packages
  mkdir -p "$PIDS" "$D/log" "$D/hold"
  chmod 755 "$D"
  start_munge
  local want
  want=$(write_config)
  write_prolog >"$D/prolog.sh.new"
  chmod 755 "$D/prolog.sh.new"
  mv "$D/prolog.sh.new" "$D/prolog.sh"

  if [ "$want" = "$(cat "$CONF" 2>/dev/null)" ] && running "$PIDS/slurmctld.pid" && controller_answers; then
    # Same cluster: start only the nodes that are gone, resume those Slurm set aside.
    hosts_present || hosts_write
    for node in "${NODES[@]}"; do running "$PIDS/slurmd-$node.pid" || start_node "$node"; done
    for node in "${NODES[@]}"; do
      case "$(sinfo -h -N -n "$node" -o %T 2>/dev/null | head -1)" in
        down* | drain* | fail*) scontrol update NodeName="$node" State=RESUME 2>/dev/null || true ;;
      esac
    done
    wait_until_usable "${NODES[@]}"
    say "up: ${NODES[*]} (state in $D)"
    return 0
  fi

  stop_by_pidfile "$PIDS"/slurmd-*.pid "$PIDS/slurmctld.pid"
  for node in "${NODES[@]}"; do kill_node_processes "$node"; done
  hosts_write
  rm -rf "$D/state" "$D/spool" "$D/hold"
  mkdir -p "$D/state" "$D/spool" "$D/hold"
  # A fresh controller numbers jobs from 1 again; old records would be mistaken for new ones.
  rm -f "$D/log/jobcomp.log"
  echo "$want" >"$CONF"
  local t0
  t0=$(date +%s%N)
  slurmctld -f "$CONF" -i </dev/null >>"$D/log/daemons.out" 2>&1 9>&- || fail "slurmctld did not start; see $D/log/slurmctld.log"
  for _ in $(seq 100); do controller_answers && break; sleep 0.1; done
  controller_answers || fail "slurmctld does not answer; see $D/log/slurmctld.log"
  for node in "${NODES[@]}"; do start_node "$node"; done
  wait_until_usable "${NODES[@]}"
  say "started ${NODES[*]} in $((($(date +%s%N) - t0) / 1000000)) ms (state in $D)"
}

cmd_stop() {
  if running "$PIDS/slurmctld.pid"; then
    local jobs
    jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
    [ -n "${jobs// /}" ] && scancel $jobs 2>/dev/null || true
  fi
  rm -f "$D"/hold/*
  stop_by_pidfile "$PIDS"/slurmd-*.pid "$PIDS/slurmctld.pid" "$PIDS/munged.pid"
  for node in "${NODES[@]}"; do kill_node_processes "$node"; rm -f "$PIDS/$node.uts"; done
  grep -qF "$HOSTS_TAG" /etc/hosts && hosts_write remove
  say "stopped (logs kept in $D/log)"
}

known_node() {
  local n
  for n in "${NODES[@]}"; do [ "$n" = "${1:-}" ] && return 0; done
  fail "name a node: ${NODES[*]}"
}

mkdir -p "$D" "$PIDS"
# One invocation at a time: a test's crash-node must not interleave with a start. (Every daemon
# is started with 9>&-, or it would hold this lock for its whole life.)
exec 9>"$D/.lock"
flock 9
case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status)
    for f in "$PIDS"/*.pid; do [ -e "$f" ] && { running "$f" && echo "$(basename "$f" .pid) $(cat "$f")" || echo "$(basename "$f" .pid) dead"; }; done
    sinfo -N -o '%N %T %c %E' 2>/dev/null || echo "slurmctld does not answer"
    ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  crash-node)
    known_node "${2:-}"
    running "$PIDS/slurmd-$2.pid" && kill -KILL "$(cat "$PIDS/slurmd-$2.pid")"
    rm -f "$PIDS/slurmd-$2.pid"
    kill_node_processes "$2"
    rm -f "$D/hold/$2.held"
    say "$2 crashed: slurmd and its jobs killed"
    ;;
  start-node)
    known_node "${2:-}"
    running "$PIDS/slurmd-$2.pid" || start_node "$2"
    say "$2 started"
    ;;
  hold)
    known_node "${2:-}"
    rm -f "$D/hold/$2.held" "$D/hold/$2.claimed"
    echo "${3:-}" >"$D/hold/$2"
    ;;
  release)
    known_node "${2:-}"
    rm -f "$D/hold/$2" "$D/hold/$2.claimed" "$D/hold/$2.held"
    ;;
  *) fail "usage: $0 [start|stop|status|env|crash-node NODE|start-node NODE|hold NODE [JOBNAME]|release NODE]" ;;
esac
