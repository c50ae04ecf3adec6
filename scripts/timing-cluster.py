"""Times site.yml on the local lab (3 replicas, 1 client) as a researcher meets it: from fresh
nodes to a running cluster, a no-op re-run, a rebuild after a flag change, and a switch between
two flag sets that are both built already. Run as root from a checkout after scripts/setup.sh:

    .venv/bin/python scripts/timing-cluster.py

It destroys and recreates the lab first. The lab builds $ELECTRODE_SOURCE when it is set (a
clone of Electrode_io), else the collection's test fixture project: the output says which, since
the fixture builds in seconds and Electrode in minutes. Packages come from the host's apt proxy
cache.
"""
import json
import os
import re
import sys

from lab_playbook import run as run_playbook

STAGES = "kernel_source,electrode_build,electrode_services"
BUILD_TASK = re.compile(r"electrode_build : Build the handler[^\n]*\n(?:ASYNC[^\n]*\n)*changed:")


def run(*args):
    result = run_playbook(*args)
    result["built"] = bool(BUILD_TASK.search(result["output"]))
    return result


def flags(features):
    return ["-e", json.dumps({"electrode_features": features})]


def main():
    if os.geteuid() != 0:
        sys.exit("run as root (the lab needs it)")
    source = os.environ.get("ELECTRODE_SOURCE") or "tests/fixtures/electrode (the test fixture, not Electrode)"
    print("Source: %s" % source)
    print("Recreating the lab (fresh nodes)...", flush=True)
    run("playbooks/lab_destroy.yml")
    print("lab.yml: %.1f s\n" % run("playbooks/lab.yml")["seconds"], flush=True)
    all_flags = ["TC_BROADCAST", "FAST_QUORUM_PRUNE", "FAST_REPLY"]
    steps = [
        ("fresh site.yml (all stages, default flags)", ["playbooks/site.yml"]),
        ("no-op site.yml", ["playbooks/site.yml"]),
        ("flag change: FAST_REPLY only (build stages)", ["playbooks/site.yml", "--tags", STAGES] + flags(["FAST_REPLY"])),
        ("switch back to the default flags (built)", ["playbooks/site.yml", "--tags", STAGES] + flags(all_flags)),
        ("switch to FAST_REPLY only again (built)", ["playbooks/site.yml", "--tags", STAGES] + flags(["FAST_REPLY"])),
        ("no-op of the build stages", ["playbooks/site.yml", "--tags", STAGES] + flags(["FAST_REPLY"])),
    ]
    header = "%-46s %9s %7s %8s %6s" % ("step", "seconds", "tasks", "changed", "built")
    print(header)
    print("-" * len(header))
    for name, args in steps:
        result = run(*args)
        built = "yes" if result["built"] else "no"
        print("%-46s %9.1f %7d %8d %6s" % (name, result["seconds"], result["tasks"], result["changed"], built), flush=True)
    print("\ntasks = task results on all hosts (ok, from the recap); built = the build task ran.")
    print("Each run includes the facts play. The build stages run kernel_source too (its fact).")


if __name__ == "__main__":
    main()
