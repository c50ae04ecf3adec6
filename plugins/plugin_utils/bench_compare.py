# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare two or more results folders of bench.yml (e.g. the lab and a CloudLab run, or a tree
today and last month): one table and one plot of every experiment's cells side by side, and where
their provenance differs (hardware, kernel, NIC settings, f, each variant's source and commit, the
parameters). :func:`main` writes OUT/compare.txt, OUT/compare.csv and OUT/compare.png and prints
the table; its command is roles/bench/files/bench_compare.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import csv
import os
import sys
import time

from ansible_collections.electrode.cluster.plugins.module_utils.bench import provenance_differences, provenance_view
from ansible_collections.electrode.cluster.plugins.plugin_utils import bench_report


def experiment(folder, confidence=None):
    """One results folder, summarised at the confidence its experiment asked for (its provenance)."""
    runs = bench_report.load_runs(folder)
    if confidence is None:
        confidence = float((runs[0]["provenance"].get("parameters") or {}).get("confidence") or 0.95)
    builds = {}
    for run in runs:
        builds.setdefault(run["variant"], run.get("build") or {})
    return {
        "folder": folder,
        "runs": runs,
        "summary": bench_report.summarise(runs, confidence),
        "fixture": bench_report.is_fixture(runs),
        "view": provenance_view(runs[0]["provenance"], builds),
    }


def labels_of(folders):
    """Short, distinct labels: each folder's name, or its path where names repeat."""
    names = [os.path.basename(os.path.normpath(f)) for f in folders]
    return names if len(set(names)) == len(names) else [os.path.normpath(f) for f in folders]


def table(experiments):
    lines = []
    header = ["experiment", "variant", "load", "kept", "req/s", "median us", "p99 us", "CPU us/req leader"]
    rows = []
    for label, exp in experiments.items():
        for row in exp["summary"]["cells"]:
            rows.append([label + (" (fixture)" if exp["fixture"] else ""), row["variant"], row["load"],
                         "%d/%d" % (row["kept"], row["runs"]), bench_report.interval_text(row["throughput_rps"]),
                         bench_report.interval_text(row["p50"]), bench_report.interval_text(row["p99"]),
                         bench_report.interval_text(row["cpu_leader"])])
    confidences = sorted(set("%g%%" % (100 * exp["summary"]["confidence"]) for exp in experiments.values()))
    lines += ["median of the kept runs [distribution-free %s interval, each experiment's own; (range, N%%) where too "
              "few runs]; load: clients per node (-t) x client nodes" % " / ".join(confidences), ""]
    lines += bench_report.columns(header, rows, keys=3)
    differences = provenance_differences(dict((label, exp["view"]) for label, exp in experiments.items()))
    lines += ["", "provenance that differs (%d):" % len(differences) if differences else "provenance: no difference"]
    for key, values in differences:
        lines.append("  %s: %s" % (key, "; ".join("%s=%s" % (label, _short(values[label])) for label in experiments)))
    return "\n".join(line.rstrip() for line in lines) + "\n", differences


def _short(value):
    text = "-" if value is None else str(value)
    return text if len(text) <= 48 else text[:45] + "..."


def _values(interval):
    if interval is None:
        return ["", "", ""]
    return ["%.2f" % interval["median"]] + ["" if interval[k] is None else "%.2f" % interval[k] for k in ("low", "high")]


def write_csv(path, experiments):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["experiment", "folder", "fixture", "variant", "threads", "client_nodes", "runs", "kept",
                         "throughput_rps_median", "throughput_rps_ci_low", "throughput_rps_ci_high",
                         "p50_us_median", "p50_us_ci_low", "p50_us_ci_high", "p99_us_median", "p99_us_ci_low",
                         "p99_us_ci_high", "leader_cpu_us_per_request_median", "commit", "source"])
        for label, exp in experiments.items():
            for row in exp["summary"]["cells"]:
                writer.writerow([label, exp["folder"], exp["fixture"], row["variant"], row["threads"], row["clients"],
                                 row["runs"], row["kept"]]
                                + _values(row["throughput_rps"]) + _values(row["p50"]) + _values(row["p99"])
                                + [("%.2f" % row["cpu_leader"]["median"]) if row["cpu_leader"] else "", row["commit"],
                                   row["source"]])


def plot(path, experiments):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cells = [(label, row) for label, exp in experiments.items() for row in exp["summary"]["cells"] if row["throughput_rps"]]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    color = dict((label, colors[i % len(colors)]) for i, label in enumerate(experiments))
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2))
    for i, (label, row) in enumerate(cells):
        for axis, interval in ((left, row["throughput_rps"]), (right, row["p50"])):
            if interval is None:
                continue
            low = interval["low"] if interval["low"] is not None else interval["median"]
            high = interval["high"] if interval["high"] is not None else interval["median"]
            axis.bar(i, interval["median"], color=color[label],
                     yerr=[[interval["median"] - low], [high - interval["median"]]], capsize=5)
    ticks = ["%s\n%s" % (row["variant"], row["load"]) for label, row in cells]
    for axis in (left, right):
        axis.set_xticks(range(len(cells)))
        axis.set_xticklabels(ticks, fontsize=7, rotation=30, ha="right")
    left.set_ylabel("throughput (requests/s)")
    left.set_title("Throughput: median and interval of kept runs", fontsize=10)
    right.set_ylabel("median latency (us)")
    right.set_title("Median latency: median and interval of kept runs", fontsize=10)
    handles = [plt.Rectangle((0, 0), 1, 1, color=color[label]) for label in experiments]
    names = ["%s%s" % (label, " (TEST FIXTURE, NOT ELECTRODE)" if exp["fixture"] else "") for label, exp in experiments.items()]
    left.legend(handles, names, fontsize=7, loc="upper left")
    fig.suptitle("Experiments compared (their provenance differences are in compare.txt)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("folders", nargs="+", help="results folders of bench.yml (each with runs/*.json)")
    parser.add_argument("--out", help="where to write compare.txt, compare.csv and compare.png")
    args = parser.parse_args(argv)
    if len(args.folders) < 2:
        parser.error("give two or more results folders to compare")
    missing = [f for f in args.folders if not os.path.isdir(os.path.join(f, "runs"))]
    if missing:
        parser.error("not a results folder of bench.yml (no runs/ in it): %s" % ", ".join(missing))
    experiments = dict(zip(labels_of(args.folders), [experiment(f) for f in args.folders]))
    out = args.out or os.path.join("results", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-compare")
    if not os.path.isdir(out):
        os.makedirs(out)
    text = table(experiments)[0]
    with open(os.path.join(out, "compare.txt"), "w") as handle:
        handle.write(text)
    write_csv(os.path.join(out, "compare.csv"), experiments)
    plot(os.path.join(out, "compare.png"), experiments)
    sys.stdout.write(text)
    sys.stdout.write("\ncompared: %s (compare.txt, compare.csv, compare.png)\n" % out)
