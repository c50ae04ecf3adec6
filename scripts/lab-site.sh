#!/usr/bin/env bash
# The main job on the local lab: set the toolchain up, bring the lab up, run site.yml on it, then
# the benchmark (bench.yml: results under results/, a table and plots).
# Extra arguments go to ansible-playbook (e.g. -e lab_replica_count=5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
exec ansible-playbook -i inventories/lab playbooks/lab.yml playbooks/site.yml bench.yml "$@"
