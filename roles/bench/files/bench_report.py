# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of one benchmark: reads RESULTS/runs/*.json (and the clients' latency .raw files)
and writes RESULTS/runs.csv, RESULTS/summary.csv, RESULTS/summary.txt, RESULTS/bench.png and
RESULTS/latency-cdf.png; prints the summary table. A run judged invalid (its JSON's ``valid``) is
kept in runs.csv with its reason and left out of everything else. The logs that each run's JSON carries (each
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


def short_evidence(run):
    """The evidence in a line of the table: per replica, its busiest XDP packet counter."""
    counters = run.get("xdp_counters") or {}
    if not any(counters.values()):
        return "no XDP counters on these NICs: no evidence either way"
    moved = []
    for host in sorted(counters):
        grown = {k: v for k, v in (counters[host] or {}).items() if v > 0 and "bytes" not in k}
        if grown:
            name, value = max(grown.items(), key=lambda kv: kv[1])
            moved.append("%s +%d" % (host, value))
    if not moved:
        return "XDP counters did not move (no traffic through the fast path)"
    return "XDP packets " + ", ".join(moved)


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


def _stats():
    """The collection's own statistics (plugins/module_utils/bench.py, plain Python), loaded by
    path: this script runs under the controller's Python outside Ansible."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "plugins", "module_utils", "bench.py")
    spec = importlib.util.spec_from_file_location("electrode_bench_stats", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stats = _stats()


def is_valid(run):
    return bool(run.get("valid", True)) and run.get("result") is not None


def max_latency_us(results, run):
    """The run's worst latency: the raw samples' when fetched, else the clients' LATENCY line."""
    samples = raw_samples(results, run["run"])
    if samples:
        return max(samples) / 1000.0
    values = [c.get("max_latency_ns") for c in (run.get("clients") or {}).values() if c.get("max_latency_ns") is not None]
    return max(values) / 1000.0 if values else None


def write_runs_csv(results, runs):
    fields = ["run", "order", "variant", "repetition", "valid", "invalid_reason", "features", "accelerated",
              "replica_cpus", "requests", "seconds", "throughput_rps", "p50_us", "p90_us", "p95_us", "p99_us",
              "max_latency_us", "resends", "build", "commit", "evidence"]
    with open(os.path.join(results, "runs.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for run in runs:
            result = run.get("result") or {}
            worst = max_latency_us(results, run)
            row = {
                "run": run["run"], "order": run["order"], "variant": run["variant"], "repetition": run["repetition"],
                "valid": "true" if is_valid(run) else "false",
                "invalid_reason": "; ".join(run.get("invalid_reasons") or ([] if result else ["no complete client summary"])),
                "features": " ".join(run["features"]), "accelerated": run["accelerated"],
                "replica_cpus": run.get("replica_cpus", ""), "requests": result.get("requests", ""),
                "seconds": "%.6f" % result["seconds"] if result else "",
                "throughput_rps": "%.1f" % result["throughput_rps"] if result else "",
                "max_latency_us": "%.1f" % worst if worst is not None else "",
                "resends": sum(int(c.get("resends") or 0) for c in (run.get("clients") or {}).values()),
                "build": run["build"]["name"], "commit": run["build"].get("commit") or "", "evidence": evidence(run),
            }
            for p in PERCENTILES:
                row["%s_us" % p] = "%.1f" % (result["latency_ns"][p] / 1000.0) if result else ""
            writer.writerow(row)


def summarise(runs):
    """Per variant (in the order they first ran): the kept runs' medians with 95% bootstrap
    intervals, the excluded runs with their reasons, and, against the first variant (the
    reference), the throughput ratio and the median latency's change with their intervals and
    a verdict."""
    variants = []
    for run in runs:
        if run["variant"] not in variants:
            variants.append(run["variant"])
    summary = []
    for name in variants:
        mine = [r for r in runs if r["variant"] == name]
        kept = [r for r in mine if is_valid(r)]
        row = {"variant": name, "runs": len(mine), "kept": len(kept), "features": mine[0]["features"],
               "accelerated": mine[0]["accelerated"],
               "excluded": [(r["run"], "; ".join(r.get("invalid_reasons") or ["no complete client summary"]))
                            for r in mine if not is_valid(r)],
               "throughput": [r["result"]["throughput_rps"] for r in kept]}
        row["throughput_rps"] = stats.median_interval(row["throughput"]) if kept else None
        for p in PERCENTILES:
            values = [r["result"]["latency_ns"][p] / 1000.0 for r in kept]
            row[p + "_values"] = values
            row[p] = stats.median_interval(values) if kept else None
        row["last_run"] = kept[-1] if kept else mine[-1]
        row["evidence"] = evidence(row["last_run"])
        summary.append(row)
    reference = summary[0]
    for row in summary:
        row["reference"] = reference["variant"]
        if row is reference or not row["kept"] or not reference["kept"]:
            row["vs"] = None
            continue
        ratio = stats.ratio_interval(reference["throughput"], row["throughput"])
        latency = stats.ratio_interval(reference["p50_values"], row["p50_values"])
        row["vs"] = {"throughput_ratio": ratio, "latency_change": tuple(v - 1.0 for v in latency),
                     "verdict": stats.verdict(ratio, min(row["kept"], reference["kept"]))}
    return summary


def _interval(triple, form):
    if triple is None:
        return "-"
    return (form + " [" + form + "-" + form + "]") % triple


def table(summary, runs):
    """Plain text, aligned, at most 100 columns wide."""
    first = runs[0]["provenance"]
    requests = sorted(set(str(r.get("requests_per_thread", first["parameters"]["requests"])) for r in runs))
    lines = [
        "%s: f=%s, replicas %s, clients %s" % (first["name"], first["f"], ", ".join(first["replicas"]),
                                               ", ".join(first["clients"])),
        "%s requests x %s thread(s) per client and run, protocol %s" % (
            "/".join(requests), first["parameters"]["threads"], first["parameters"]["protocol"]),
        "median of the kept runs [95%% bootstrap interval over runs]; reference: %s" % summary[0]["variant"],
        "",
        "%-14s %5s  %-24s %-24s %s" % (
            "variant", "kept", "throughput (req/s)", "median latency (us)", "p99 latency (us)"),
    ]
    for row in summary:
        lines.append("%-14s %5s  %-24s %-24s %s" % (
            row["variant"][:14], "%d/%d" % (row["kept"], row["runs"]), _interval(row["throughput_rps"], "%.0f"),
            _interval(row["p50"], "%.1f"), _interval(row["p99"], "%.1f")))
    compared = [row for row in summary if row.get("vs")]
    if compared:
        lines += ["", "against %s:" % summary[0]["variant"]]
        for row in compared:
            vs = row["vs"]
            lines.append("  %s: %s" % (row["variant"], vs["verdict"]))
            lines.append("    throughput x%.3f [%.3f-%.3f], median latency %s" % (
                vs["throughput_ratio"][0], vs["throughput_ratio"][1], vs["throughput_ratio"][2],
                "%+.1f%% [%+.1f%% to %+.1f%%]" % tuple(100 * v for v in vs["latency_change"])))
    excluded = [(run, reason) for row in summary for run, reason in row["excluded"]]
    lines += ["", "excluded runs: %s" % ("none" if not excluded else len(excluded))]
    for run, reason in excluded:
        lines.append("  %s: %s" % (run.split("-")[0], reason))
    lines += ["", "fast path (the replicas' XDP counters over the last kept run):"]
    for row in summary:
        lines.append("  %s: %s" % (row["variant"], short_evidence(row["last_run"])))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def write_summary_csv(results, summary):
    with open(os.path.join(results, "summary.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "runs", "kept", "excluded", "features", "accelerated"]
                        + ["throughput_rps_median", "throughput_rps_ci_low", "throughput_rps_ci_high"]
                        + ["%s_us_%s" % (p, s) for p in PERCENTILES for s in ("median", "ci_low", "ci_high")]
                        + ["reference", "throughput_ratio", "throughput_ratio_ci_low", "throughput_ratio_ci_high",
                           "p50_change", "p50_change_ci_low", "p50_change_ci_high", "verdict"])
        for row in summary:
            figures = [row["throughput_rps"]] + [row[p] for p in PERCENTILES]
            vs = row.get("vs")
            writer.writerow([row["variant"], row["runs"], row["kept"],
                             " ".join("%s: %s" % (run, reason) for run, reason in row["excluded"]),
                             " ".join(row["features"]), row["accelerated"]]
                            + [("%.1f" % v if f else "") for f in figures for v in (f or (0, 0, 0))]
                            + [row["reference"]]
                            + (["%.4f" % v for v in vs["throughput_ratio"]] + ["%.4f" % v for v in vs["latency_change"]]
                               + [vs["verdict"]] if vs else [""] * 7))


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
        excluded = [r["result"]["throughput_rps"] for r in runs
                    if r["variant"] == row["variant"] and not is_valid(r) and r.get("result")]
        if excluded:
            left.scatter([i] * len(excluded), excluded, color="red", marker="x", s=24, zorder=3)
        if not row["throughput_rps"]:
            continue
        med, low, high = row["throughput_rps"]
        left.bar(i, med, color=colors[i % len(colors)], yerr=[[med - low], [high - med]], capsize=6)
        left.scatter([i] * len(row["throughput"]), row["throughput"], color="black", s=12, zorder=3)
        left.annotate("%.0f" % med, (i, med), xytext=(8, 4), textcoords="offset points", fontsize=9)
    left.set_xticks(range(len(names)))
    labels = []
    for row in summary:
        flags = " ".join(row["features"]) or "no flags"
        labels.append("%s\n%s\n%s" % (row["variant"], flags, "handler" if row["accelerated"] else "no handler"))
    left.set_xticklabels(labels, fontsize=8)
    left.set_ylabel("throughput (requests/s)")
    tops = [row["throughput_rps"][2] for row in summary if row["throughput_rps"]]
    tops += [r["result"]["throughput_rps"] for r in runs if r.get("result")]
    left.set_ylim(0, max(tops or [1]) * 1.15)
    left.set_title("Throughput: median, 95% interval, dots = kept runs, x = excluded", fontsize=10)

    width = 0.8 / max(len(summary), 1)
    for i, row in enumerate(summary):
        if not row["throughput_rps"]:
            continue
        xs = [j + (i - (len(summary) - 1) / 2.0) * width for j in range(len(PERCENTILES))]
        meds = [row[p][0] for p in PERCENTILES]
        errs = [[row[p][0] - row[p][1] for p in PERCENTILES], [row[p][2] - row[p][0] for p in PERCENTILES]]
        right.bar(xs, meds, width, yerr=errs, capsize=4, color=colors[i % len(colors)], label=row["variant"])
    right.set_xticks(range(len(PERCENTILES)))
    right.set_xticklabels(["median", "90th", "95th", "99th"])
    right.set_xlabel("latency percentile")
    # A log axis when the tail is ten times the fastest figure or more; within one decade a log
    # axis has one or two labelled ticks and shortens the bars' differences: a linear one from 0.
    latencies = [v for row in summary if row[PERCENTILES[0]] for p in PERCENTILES for v in row[p]]
    if latencies and min(latencies) > 0 and max(latencies) / min(latencies) >= 10:
        right.set_ylabel("latency (us, log scale)")
        right.set_yscale("log")
        right.yaxis.set_major_formatter(plain)
        right.yaxis.set_minor_formatter(NullFormatter())
    else:
        right.set_ylabel("latency (us)")
        right.set_ylim(0, max(latencies or [1]) * 1.15)
    right.set_title("Latency percentiles: median of kept runs, 95% interval", fontsize=10)
    right.legend(fontsize=8, loc="upper left")
    requests = sorted(set(str(r.get("requests_per_thread", first["parameters"]["requests"])) for r in runs))
    fig.suptitle("%s: f=%s, %d client(s), %s requests per client thread, %d repetitions"
                 % (first["name"], first["f"], len(first["clients"]), "/".join(requests),
                    first["parameters"]["repetitions"]))
    fig.tight_layout()
    fig.savefig(os.path.join(results, "bench.png"), dpi=120)
    plt.close(fig)

    fig, axis = plt.subplots(figsize=(7, 4.8))
    drawn = False
    for i, name in enumerate(names):
        samples = []
        for run in runs:
            if run["variant"] == name and is_valid(run):
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
    axis.set_title("Latency CDF, the kept runs of each variant")
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
