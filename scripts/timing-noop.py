"""Times a no-op site.yml on the local lab, the run a researcher makes to check that a cluster
brought up before is still as it should be, and the time a bad setting takes to be named. Run as
root from a checkout, with the lab up and site.yml done (bash scripts/lab-site.sh does both):

    .venv/bin/python scripts/timing-noop.py [RUNS]

It runs site.yml once to settle, then RUNS (default 3) no-op runs, each reported with its seconds,
its task results (ok, from the recap, on all hosts) and how many changed (0 expected); then
site.yml with a bogus flag, which must fail before any stage. Target on the lab: a no-op under 15 s.
"""
import os
import statistics
import subprocess
import sys
import time

from lab_playbook import ROOT, run


def bad_setting():
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    started = time.monotonic()
    done = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ansible-playbook"), "-i", os.path.join(ROOT, "inventories", "lab"),
                           "playbooks/site.yml", "-e", '{"electrode_features": ["TC_BROADCAST", "BOGUS"]}'],
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    seconds = time.monotonic() - started
    named = "unknown feature flag(s) BOGUS" in done.stdout
    return seconds, done.returncode, named


def main():
    if os.geteuid() != 0:
        sys.exit("run as root (the lab needs it)")
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    source = os.environ.get("ELECTRODE_SOURCE") or "tests/fixtures/electrode (the test fixture, not Electrode)"
    print("Source: %s" % source)
    settle = run("playbooks/site.yml")
    print("settling site.yml: %.1f s, %d changed" % (settle["seconds"], settle["changed"]), flush=True)
    header = "%-14s %9s %7s %8s" % ("no-op run", "seconds", "tasks", "changed")
    print(header)
    print("-" * len(header))
    times = []
    for number in range(1, runs + 1):
        result = run("playbooks/site.yml")
        times.append(result["seconds"])
        print("%-14d %9.1f %7d %8d" % (number, result["seconds"], result["tasks"], result["changed"]), flush=True)
    print("median no-op: %.1f s over %d runs" % (statistics.median(times), runs))
    seconds, rc, named = bad_setting()
    print("a bogus flag: named in %.1f s (rc %d, %s)" % (seconds, rc, "named" if named else "NOT NAMED"))


if __name__ == "__main__":
    main()
