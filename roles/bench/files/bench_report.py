# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of one benchmark: reads RESULTS/runs/*.json (and the clients' latency .raw files)
and writes RESULTS/runs.csv, RESULTS/summary.csv, RESULTS/summary.txt, RESULTS/bench.png and
RESULTS/latency-cdf.png; prints the summary table. The logs that each run's JSON carries (each
client's output, each replica's services log) are written beside the run's latency files, as
RESULTS/runs/<run>/<host>-client.log and <host>-services.log.

    bench_report.py RESULTS_DIR
"""
import csv
import glob
import json
import os
import struct
import sys

PERCENTILES = ("p50", "p90", "p95", "p99")


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


def evidence(run):
    """What the NIC counters say about the fast path, in words."""
    counters = run.get("xdp_counters") or {}
    shown = {host: c for host, c in counters.items() if c}
    if not shown:
        return "no XDP counters on these NICs (ethtool -S shows none): no evidence either way"
    moved = {host: {k: v for k, v in c.items() if v > 0} for host, c in shown.items()}
    moved = {host: c for host, c in moved.items() if c}
    if not moved:
        return "XDP counters did not move: the fast path handled no traffic"
    parts = []
    for host in sorted(moved):
        top = sorted(moved[host].items(), key=lambda kv: -kv[1])[:3]
        parts.append("%s %s" % (host, ", ".join("%s +%d" % kv for kv in top)))
    return "XDP handled traffic: " + "; ".join(parts)


def load_runs(results):
    runs = []
    for path in sorted(glob.glob(os.path.join(results, "runs", "*.json"))):
        with open(path) as handle:
            runs.append(json.load(handle))
    if not runs:
        sys.exit("no runs in %s/runs" % results)
    return sorted(runs, key=lambda r: int(r["order"]))


def raw_samples(results, run_id):
    samples = []
    for path in sorted(glob.glob(os.path.join(results, "runs", run_id, "*-latency.raw"))):
        with open(path, "rb") as handle:
            data = handle.read()
        usable = len(data) - len(data) % 8
        samples.extend(v[0] for v in struct.iter_unpack("<Q", data[:usable]))
    return samples


def write_logs(results, runs):
    """Each run's logs as files of their own, for people to read."""
    for run in runs:
        folder = os.path.join(results, "runs", run["run"])
        for kind in ("client", "services"):
            for host, text in sorted((run.get("logs", {}).get(kind) or {}).items()):
                if not os.path.isdir(folder):
                    os.makedirs(folder)
                with open(os.path.join(folder, "%s-%s.log" % (host, kind)), "w") as handle:
                    handle.write(text)


def write_runs_csv(results, runs):
    fields = ["run", "order", "variant", "repetition", "features", "accelerated", "replica_cpus", "requests",
              "seconds", "throughput_rps", "p50_us", "p90_us", "p95_us", "p99_us", "build", "commit", "evidence"]
    with open(os.path.join(results, "runs.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for run in runs:
            result = run["result"]
            row = {
                "run": run["run"], "order": run["order"], "variant": run["variant"], "repetition": run["repetition"],
                "features": " ".join(run["features"]), "accelerated": run["accelerated"],
                "replica_cpus": run.get("replica_cpus", ""), "requests": result["requests"],
                "seconds": "%.6f" % result["seconds"], "throughput_rps": "%.1f" % result["throughput_rps"],
                "build": run["build"]["name"], "commit": run["build"].get("commit") or "", "evidence": evidence(run),
            }
            for p in PERCENTILES:
                row["%s_us" % p] = "%.1f" % (result["latency_ns"][p] / 1000.0)
            writer.writerow(row)


def summarise(runs):
    variants = []
    for run in runs:
        if run["variant"] not in variants:
            variants.append(run["variant"])
    summary = []
    for name in variants:
        mine = [r for r in runs if r["variant"] == name]
        row = {"variant": name, "runs": len(mine), "features": mine[0]["features"],
               "accelerated": mine[0]["accelerated"]}
        values = [r["result"]["throughput_rps"] for r in mine]
        row["throughput_rps"] = (median(values), min(values), max(values))
        for p in PERCENTILES:
            values = [r["result"]["latency_ns"][p] / 1000.0 for r in mine]
            row[p] = (median(values), min(values), max(values))
        row["evidence"] = evidence(mine[-1])
        summary.append(row)
    return summary


def table(summary, runs):
    first = runs[0]["provenance"]
    lines = [
        "%s: f=%s, replicas %s, clients %s, %s requests x %s thread(s) per client, protocol %s"
        % (first["name"], first["f"], ", ".join(first["replicas"]), ", ".join(first["clients"]),
           first["parameters"]["requests"], first["parameters"]["threads"], first["parameters"]["protocol"]),
        "median of repetitions (min-max)",
        "",
        "%-12s %4s %22s %20s %22s" % ("variant", "runs", "throughput (req/s)", "median latency (us)", "p99 latency (us)"),
    ]
    for row in summary:
        lines.append("%-12s %4d %22s %20s %22s" % (
            row["variant"], row["runs"],
            "%.0f (%.0f-%.0f)" % row["throughput_rps"],
            "%.1f (%.1f-%.1f)" % row["p50"],
            "%.1f (%.1f-%.1f)" % row["p99"]))
    lines.append("")
    for row in summary:
        lines.append("%s: %s" % (row["variant"], row["evidence"]))
    return "\n".join(lines) + "\n"


def write_summary_csv(results, summary):
    with open(os.path.join(results, "summary.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "runs", "features", "accelerated", "throughput_rps_median", "throughput_rps_min",
                         "throughput_rps_max"] + ["%s_us_%s" % (p, s) for p in PERCENTILES for s in ("median", "min", "max")])
        for row in summary:
            writer.writerow([row["variant"], row["runs"], " ".join(row["features"]), row["accelerated"]]
                            + ["%.1f" % v for v in row["throughput_rps"]]
                            + ["%.1f" % v for p in PERCENTILES for v in row[p]])


def plots(results, summary, runs):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = runs[0]["provenance"]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    names = [row["variant"] for row in summary]
    from matplotlib.ticker import FuncFormatter, NullFormatter
    plain = FuncFormatter(lambda value, _: "%g" % value)

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2))
    for i, row in enumerate(summary):
        med, low, high = row["throughput_rps"]
        left.bar(i, med, color=colors[i % len(colors)], yerr=[[med - low], [high - med]], capsize=6)
        points = [r["result"]["throughput_rps"] for r in runs if r["variant"] == row["variant"]]
        left.scatter([i] * len(points), points, color="black", s=12, zorder=3)
        left.annotate("%.0f" % med, (i, med), xytext=(8, 4), textcoords="offset points", fontsize=9)
    left.set_xticks(range(len(names)))
    labels = []
    for row in summary:
        flags = " ".join(row["features"]) or "no flags"
        labels.append("%s\n%s\n%s" % (row["variant"], flags, "handler" if row["accelerated"] else "no handler"))
    left.set_xticklabels(labels, fontsize=8)
    left.set_ylabel("throughput (requests/s)")
    left.set_ylim(0, max(row["throughput_rps"][2] for row in summary) * 1.15)
    left.set_title("Throughput: bar = median, whiskers = min-max, dots = runs")

    width = 0.8 / max(len(summary), 1)
    for i, row in enumerate(summary):
        xs = [j + (i - (len(summary) - 1) / 2.0) * width for j in range(len(PERCENTILES))]
        meds = [row[p][0] for p in PERCENTILES]
        errs = [[row[p][0] - row[p][1] for p in PERCENTILES], [row[p][2] - row[p][0] for p in PERCENTILES]]
        right.bar(xs, meds, width, yerr=errs, capsize=4, color=colors[i % len(colors)], label=row["variant"])
    right.set_xticks(range(len(PERCENTILES)))
    right.set_xticklabels(["median", "90th", "95th", "99th"])
    right.set_xlabel("latency percentile")
    # A log axis when the tail is ten times the fastest figure or more; within one decade a log
    # axis has one or two labelled ticks and shortens the bars' differences: a linear one from 0.
    latencies = [v for row in summary for p in PERCENTILES for v in row[p]]
    if latencies and min(latencies) > 0 and max(latencies) / min(latencies) >= 10:
        right.set_ylabel("latency (us, log scale)")
        right.set_yscale("log")
        right.yaxis.set_major_formatter(plain)
        right.yaxis.set_minor_formatter(NullFormatter())
    else:
        right.set_ylabel("latency (us)")
        right.set_ylim(0, max(latencies or [1]) * 1.15)
    right.set_title("Latency percentiles: median of runs, min-max")
    right.legend(fontsize=8, loc="upper left")
    fig.suptitle("%s: f=%s, %d client(s), %s requests per client thread, %d repetitions"
                 % (first["name"], first["f"], len(first["clients"]), first["parameters"]["requests"],
                    first["parameters"]["repetitions"]))
    fig.tight_layout()
    fig.savefig(os.path.join(results, "bench.png"), dpi=120)
    plt.close(fig)

    fig, axis = plt.subplots(figsize=(7, 4.8))
    drawn = False
    for i, name in enumerate(names):
        samples = []
        for run in runs:
            if run["variant"] == name:
                samples.extend(raw_samples(results, run["run"]))
        if not samples:
            continue
        samples.sort()
        n = len(samples)
        axis.plot([s / 1000.0 for s in samples], [(k + 1) / float(n) for k in range(n)],
                  color=colors[i % len(colors)], label="%s (%d samples)" % (name, n))
        drawn = True
    axis.set_xscale("log")
    axis.xaxis.set_major_formatter(plain)
    axis.set_xlabel("latency (us, log scale)")
    axis.set_ylabel("fraction of requests")
    axis.set_ylim(0, 1.01)
    axis.grid(True, which="both", alpha=0.3)
    axis.set_title("Latency CDF, all runs of each variant")
    if drawn:
        axis.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(os.path.join(results, "latency-cdf.png"), dpi=120)
    plt.close(fig)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench_report.py RESULTS_DIR")
    results = sys.argv[1]
    runs = load_runs(results)
    write_logs(results, runs)
    write_runs_csv(results, runs)
    summary = summarise(runs)
    write_summary_csv(results, summary)
    text = table(summary, runs)
    with open(os.path.join(results, "summary.txt"), "w") as handle:
        handle.write(text)
    plots(results, summary, runs)
    sys.stdout.write(text)
    sys.stdout.write("\nresults: %s (runs.csv, summary.csv, bench.png, latency-cdf.png, runs/)\n" % results)


if __name__ == "__main__":
    main()
