"""Times each host-preparation role of site.yml on the local lab (3 replicas, 1 client): once
cold, on nodes that have never run it, and once more as a no-op, and prints the no-op time per
task run. Run as root from a checkout after scripts/setup.sh:

    .venv/bin/python scripts/timing-host-prep.py

It destroys and recreates the lab first, so "cold" means fresh nodes; the host's apt proxy
cache is kept, so packages come from the host, not the Internet (the figure says so).
"""
import os
import sys

from lab_playbook import run as run_playbook

ROLES = ["mainline_kernel", "build_deps", "kernel_source", "nic_tuning"]


def run(*args):
    result = run_playbook(*args)
    return result["seconds"], result["tasks"], result["changed"]


def main():
    if os.geteuid() != 0:
        sys.exit("run as root (the lab needs it)")
    print("Recreating the lab (fresh nodes)...", flush=True)
    run("playbooks/lab_destroy.yml")
    lab_seconds = run("playbooks/lab.yml")[0]
    print("lab.yml: %.1f s\n" % lab_seconds)
    header = "%-16s %9s %9s %9s %9s %9s %9s %12s" % ("role", "cold s", "tasks", "changed", "no-op s", "tasks", "changed",
                                                     "no-op s/task")
    print(header)
    print("-" * len(header))
    for role in ROLES:
        cold, cold_tasks, cold_changed = run("playbooks/site.yml", "--tags", role)
        noop, tasks, noop_changed = run("playbooks/site.yml", "--tags", role)
        print("%-16s %9.1f %9d %9d %9.1f %9d %9d %12.3f"
              % (role, cold, cold_tasks, cold_changed, noop, tasks, noop_changed, noop / tasks), flush=True)
    print("\nEach figure includes the facts play (tag always). tasks = task results on all hosts (ok, from")
    print("the recap). Packages come from the host's apt proxy cache; a first run ever downloads them too.")


if __name__ == "__main__":
    main()
