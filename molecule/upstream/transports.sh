#!/usr/bin/env bash
# Opt-in, beside the upstream scenario: examples/bench/transports.yml on the lab with local clones
# of both upstreams - the original Electrode (libevent sockets) and Electrode_io (io_uring) - each
# with and without the fast path, in one interleaved experiment. Brings the lab up, runs site.yml
# with Electrode_io, then the experiment, and stops the replicas at the end (Electrode_io's spin
# both CPUs while they run). Neither clone is ever part of this repository.
#   ELECTRODE_SOURCE=~/src/Electrode_io ELECTRODE_LIBEVENT_SOURCE=~/src/Electrode \
#     bash molecule/upstream/transports.sh [ansible-playbook arguments for bench.yml]
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() { echo "transports.sh: $*" >&2; exit 2; }
# A tree of the upstream layout (the handler's source and the replication code), and which
# transport it has: Electrode_io's Makefile links liburing, the original's does not.
check_tree() {
  local name=$1 dir=$2 uring=$3
  [ -n "$dir" ] || fail "$name is not set: point it at a local clone (DEVELOPERS.md, 'Electrode against Electrode_io')"
  [ -f "$dir/xdp-handler/fast_user.c" ] && [ -f "$dir/Makefile" ] ||
    fail "$name=$dir is not an Electrode tree (no xdp-handler/fast_user.c or Makefile)"
  if grep -q -- '-luring' "$dir/Makefile"; then
    [ "$uring" = yes ] || fail "$name=$dir links liburing: that is Electrode_io; give the original Electrode (libevent)"
  else
    [ "$uring" = no ] || fail "$name=$dir does not link liburing: that is the original Electrode; give Electrode_io"
  fi
}
check_tree ELECTRODE_SOURCE "${ELECTRODE_SOURCE:-}" yes
check_tree ELECTRODE_LIBEVENT_SOURCE "${ELECTRODE_LIBEVENT_SOURCE:-}" no
export ELECTRODE_SOURCE ELECTRODE_LIBEVENT_SOURCE

bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg"
ansible-playbook -i inventories/lab playbooks/lab.yml playbooks/site.yml
# The replicas stop whatever the experiment's outcome; its exit status is the script's.
trap 'ansible-playbook -i inventories/lab playbooks/reset.yml >/dev/null || echo "transports.sh: reset.yml failed" >&2' EXIT
ansible-playbook -i inventories/lab bench.yml -e @examples/bench/transports.yml "$@"
