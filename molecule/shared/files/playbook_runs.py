"""Run several ansible-playbook invocations, a few at a time, each with the JSON callback, and
print what the tests check of each as data: its return code, the changes in its recap, the
messages of the tasks that failed, and the tasks that ran.

    python3 playbook_runs.py SPEC.json

SPEC: {"workers": 3, "cwd": DIR, "env": {...}, "runs": [{"argv": [...], "env": {...}}, ...]}. The
output is one JSON list, a dict per run in the spec's order:
  rc, changed (the recap's changed, summed over hosts), changed_by_host (the recap's changed of each
  host), failed (the tasks that failed or found a host unreachable: [{"host", "task", "msg"}]), ran
  (the names of the tasks that ran on some host, not skipped), changed_tasks (the names of those that
  changed something on some host), text (each failed task's host, name and message, and the run's stderr, whitespace
  collapsed: what a user reads) and, where the output was not the callback's JSON, stdout_tail.
Three workers keep each lab node's sshd well under its MaxStartups (10) while the runs overlap.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys


def _message(result):
    parts = [str(result.get(key)) for key in ("msg", "message") if result.get(key)]
    for item in result.get("results") or []:
        if isinstance(item, dict) and (item.get("failed") or item.get("unreachable")):
            parts.append(_message(item))
    return " ".join(parts)


def digest(rc, stdout, stderr):
    """What one run did, from the ansible.posix.json callback's output."""
    out = {"rc": rc, "changed": None, "changed_by_host": {}, "failed": [], "ran": [], "changed_tasks": [], "text": ""}
    try:
        data = json.loads(stdout[stdout.index("{"):]) if "{" in stdout else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or "plays" not in data:
        out["stdout_tail"] = stdout[-4000:]
        out["text"] = re.sub(r"\s+", " ", stdout[-4000:] + " " + stderr).strip()
        return out
    out["changed_by_host"] = dict((host, int(stats.get("changed", 0))) for host, stats in (data.get("stats") or {}).items())
    out["changed"] = sum(out["changed_by_host"].values())
    ran, changed_tasks = [], []
    for play in data["plays"]:
        for task in play.get("tasks") or []:
            name = task["task"]["name"]
            hosts = task.get("hosts") or {}
            if any(not result.get("skipped") for result in hosts.values()) and name not in ran:
                ran.append(name)
            if any(result.get("changed") for result in hosts.values()) and name not in changed_tasks:
                changed_tasks.append(name)
            for host, result in sorted(hosts.items()):
                if result.get("failed") or result.get("unreachable"):
                    out["failed"].append({"host": host, "task": name, "msg": _message(result)})
    out["ran"] = ran
    out["changed_tasks"] = changed_tasks
    out["text"] = re.sub(r"\s+", " ", " ".join("%s: %s: %s" % (f["host"], f["task"], f["msg"]) for f in out["failed"])
                         + " " + stderr).strip()
    return out


def run_one(spec, run):
    env = dict(os.environ)
    env.update(spec.get("env") or {})
    env.update(run.get("env") or {})
    env["ANSIBLE_STDOUT_CALLBACK"] = "ansible.posix.json"
    done = subprocess.run(run["argv"], cwd=run.get("cwd") or spec.get("cwd"), env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, check=False)
    return digest(done.returncode, done.stdout, done.stderr)


def main(argv):
    with open(argv[1]) as handle:
        spec = json.load(handle)
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(spec.get("workers") or 3)) as pool:
        results = list(pool.map(lambda run: run_one(spec, run), spec["runs"]))
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
