#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for trying `--executor slurm` on a
# laptop or a CI VM (Debian 12, as root): installs slurm-wlm and munge, writes
# a munge key and a minimal slurm.conf (this host as the only node, all its
# CPUs, one default partition "local"), and starts munged, slurmctld and
# slurmd without systemd. Idempotent: a running cluster is left as it is.
#   sudo scripts/local-slurm.sh          set up and start
#   sudo scripts/local-slurm.sh stop     stop the three daemons
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "error: scripts/local-slurm.sh sets up system daemons; run it as root (sudo)" >&2; exit 1; }

# Stops a daemon by the pid file it wrote (never by name: other processes may share it).
stop_daemon() {   # stop_daemon PIDFILE
  [ -s "$1" ] || return 0
  local pid
  pid=$(cat "$1")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$1"
}
if [ "${1:-}" = stop ]; then
  stop_daemon /run/slurmd.pid; stop_daemon /run/slurmctld.pid; stop_daemon /run/munge/munged.pid
  exit 0
fi

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq slurm-wlm munge >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null; }
fi

host=$(hostname -s)
cpus=$(nproc)
# slurmd reports the memory it sees; declare a little less so the node is never drained for "low RealMemory".
mem=$(( $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) * 9 / 10 ))

# munge: one key shared by every daemon (a one-node cluster needs just this one).
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
if ! munge -n </dev/null >/dev/null 2>&1; then
  su -s /bin/sh munge -c /usr/sbin/munged
  for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
fi

install -d /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
conf=/etc/slurm/slurm.conf
want=$(cat <<CONF
# Written by SparseLab's scripts/local-slurm.sh: a one-node cluster on $host.
ClusterName=sparselab-local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MinJobAge=300
KillWait=5
JobAcctGatherType=jobacct_gather/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
)
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$want" ]; then
  printf '%s\n' "$want" > "$conf"
  stop_daemon /run/slurmd.pid; stop_daemon /run/slurmctld.pid   # restart with the new config
fi

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
running /run/slurmctld.pid || slurmctld
running /run/slurmd.pid || slurmd
for _ in $(seq 100); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  case "$state" in idle*|mix*|alloc*) break ;; esac
  sleep 0.2
done
state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
case "$state" in
  idle*|mix*|alloc*) ;;
  *) scontrol update nodename="$host" state=resume 2>/dev/null || true; sleep 1 ;;
esac
sinfo -h -o '%P %a %D %t %c' | sed 's/^/local-slurm: partition /'
