"""Times each host-preparation role of site.yml on the local lab (3 replicas, 1 client): once
cold, on nodes that have never run it, and once more as a no-op, and prints the no-op time per
task run. Run as root from a checkout after scripts/setup.sh:

    .venv/bin/python scripts/bench-host-prep.py

It destroys and recreates the lab first, so "cold" means fresh nodes; the host's apt proxy
cache is kept, so packages come from the host, not the Internet (the figure says so).
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")
ROLES = ["mainline_kernel", "build_deps", "kernel_source", "nic_tuning"]
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", re.M)


def run(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    started = time.monotonic()
    done = subprocess.run([PLAYBOOK, "-i", os.path.join(ROOT, "inventories", "lab")] + list(args), check=False,
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:])
        sys.exit("ansible-playbook %s failed (rc %d)" % (" ".join(args), done.returncode))
    hosts = RECAP.findall(done.stdout)
    tasks = sum(int(h[1]) for h in hosts)
    changed = sum(int(h[2]) for h in hosts)
    return seconds, tasks, changed


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
