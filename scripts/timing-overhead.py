"""Measures bench.yml's own overhead on the local lab: the wall time of a bench.yml invocation
minus the time its clients ran, per run. Run as root from a checkout, with the lab up and
site.yml done (bash scripts/lab-site.sh does both):

    .venv/bin/python scripts/timing-overhead.py [REPETITIONS] [REQUESTS]

It runs the default two variants (electrode, baseline) once to build and warm them, then one
invocation of two repetitions and one of 2 + REPETITIONS (at bench_confidence 0.5, which two runs
reach), and prints the overhead per run (from the difference of the two) and per invocation.
Target on the lab: under 5 s per run.
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = os.path.join(ROOT, ".venv", "bin", "ansible-playbook")


def bench(results, repetitions, requests, name):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(ROOT, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    extra = {"bench_results_dir": results, "bench_repetitions": repetitions, "bench_requests": requests,
             "bench_duration": 0, "bench_name": name, "bench_confidence": 0.5}
    started = time.monotonic()
    done = subprocess.run([PLAYBOOK, "-i", os.path.join(ROOT, "inventories", "lab"), os.path.join(ROOT, "bench.yml"),
                           "-e", json.dumps(extra)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    wall = time.monotonic() - started
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:])
        sys.exit("bench.yml failed (rc %d)" % done.returncode)
    folder = sorted(glob.glob(os.path.join(results, "*-" + name)))[-1]
    runs = []
    for path in sorted(glob.glob(os.path.join(folder, "runs", "*.json"))):
        with open(path) as handle:
            runs.append(json.load(handle))
    return wall, runs


def main():
    if os.geteuid() != 0:
        sys.exit("run as root (the lab needs it)")
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    results = tempfile.mkdtemp(prefix="electrode-bench-overhead-")
    print("warm-up invocation (builds both variants if needed)...", flush=True)
    bench(results, 2, requests, "warmup")
    print("two repetitions, then %d..." % (2 + repetitions), flush=True)
    wall_1, runs_1 = bench(results, 2, requests, "two")
    wall_n, runs_n = bench(results, 2 + repetitions, requests, "many")
    client_1 = sum(float(r["ended"]) - float(r["started"]) for r in runs_1)
    client_n = sum(float(r["ended"]) - float(r["started"]) for r in runs_n)
    over_1, over_n = wall_1 - client_1, wall_n - client_n
    per_run = (over_n - over_1) / (len(runs_n) - len(runs_1))
    fixed = over_1 - per_run * len(runs_1)
    print("%d requests a run; 2 variants" % requests)
    print("%-34s %8s %8s %10s" % ("invocation", "runs", "wall s", "overhead s"))
    print("%-34s %8d %8.1f %10.1f" % ("2 repetitions", len(runs_1), wall_1, over_1))
    print("%-34s %8d %8.1f %10.1f" % ("%d repetitions" % (2 + repetitions), len(runs_n), wall_n, over_n))
    print("overhead per run (marginal):       %6.1f s" % per_run)
    print("fixed overhead per invocation:     %6.1f s" % fixed)
    print("(overhead = wall time minus the clients' run time, warm-up and cool-down included; per run =")
    print(" the common restart of the replicas with its health check, the units' and counters' readings")
    print(" and the samplers before and after, the run's judgement and files; fixed = facts play, the build check of")
    print(" each variant, provenance and the report with its plots)")
    print("results kept in %s" % results)


if __name__ == "__main__":
    main()
