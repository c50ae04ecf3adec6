# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of one benchmark: reads RESULTS/runs/*.json (and the clients' latency .raw files)
and writes RESULTS/runs.csv, RESULTS/summary.csv, RESULTS/summary.txt, RESULTS/bench.png,
RESULTS/curve.png, RESULTS/latency-cdf.png and RESULTS/report.html; prints the summary table.

A cell is a variant at a load point (client threads per client node x client nodes). A run judged
invalid (its JSON's ``valid``) is kept in runs.csv with its reason and left out of everything else.
The logs that each run's JSON carries (each client's output, each replica's services log) are
written beside the run's latency files, as RESULTS/runs/<run>/<host>-client.log and
<host>-services.log.

    bench_report.py RESULTS_DIR
"""
import csv
import glob
import json
import os
import struct
import sys
import textwrap

PERCENTILES = ("p50", "p90", "p95", "p99")
FIXTURE_NOTE = "test fixture, not Electrode"
# The table's width: 100 columns of a terminal, less the 8 that Ansible's output indents it by.
WIDTH = 92
SHORT_FLAGS = {"TC_BROADCAST": "broadcast", "FAST_QUORUM_PRUNE": "prune", "FAST_REPLY": "reply"}


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


def threads_of(run):
    threads = run.get("threads")
    if threads is None:
        threads = run["provenance"]["parameters"]["threads"]
        threads = threads[0] if isinstance(threads, list) else threads
    return int(threads)


def client_nodes_of(run):
    return int(run.get("client_nodes") or len(run.get("clients") or {}) or len(run["provenance"]["clients"]))


def load_label(threads, clients):
    return "%dx%d" % (threads, clients)


def cell_of(run):
    return (run["variant"], threads_of(run), client_nodes_of(run))


def is_fixture(runs):
    """Whether the runs built the collection's test fixture project rather than Electrode."""
    sources = [str((r.get("build") or {}).get("source") or "") for r in runs]
    return any(s.rstrip("/").endswith("tests/fixtures/electrode") for s in sources)


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


def is_valid(run):
    return bool(run.get("valid", True)) and run.get("result") is not None


def reasons_of(run):
    return "; ".join(run.get("invalid_reasons") or ([] if run.get("result") else ["no complete client summary"]))


def max_latency_us(results, run):
    """The run's worst latency: the raw samples' when fetched, else the clients' LATENCY line."""
    samples = raw_samples(results, run["run"])
    if samples:
        return max(samples) / 1000.0
    values = [c.get("max_latency_ns") for c in (run.get("clients") or {}).values() if c.get("max_latency_ns") is not None]
    return max(values) / 1000.0 if values else None


def replica_cpu(run):
    """CPU microseconds per request per replica (handler and replica units), or None."""
    return (run.get("cpu") or {}).get("replica_us_per_request")


def client_cpu(run):
    """CPU microseconds per request of the clients together, or None."""
    values = ((run.get("cpu") or {}).get("client_us_per_request") or {}).values()
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def _fmt(value, digits=1):
    return "" if value is None else ("%." + str(digits) + "f") % value


def write_runs_csv(results, runs):
    fields = ["run", "order", "variant", "threads", "client_nodes", "repetition", "valid", "invalid_reason", "features",
              "accelerated", "replica_cpus", "requests", "seconds", "throughput_rps", "p50_us", "p90_us", "p95_us",
              "p99_us", "max_latency_us", "resends", "replica_cpu_us_per_request", "client_cpu_us_per_request", "source",
              "build", "commit", "evidence"]
    with open(os.path.join(results, "runs.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for run in runs:
            result = run.get("result") or {}
            build = run.get("build") or {}
            row = {
                "run": run["run"], "order": run["order"], "variant": run["variant"], "threads": threads_of(run),
                "client_nodes": client_nodes_of(run), "repetition": run["repetition"],
                "valid": "true" if is_valid(run) else "false", "invalid_reason": reasons_of(run),
                "features": " ".join(run["features"]), "accelerated": run["accelerated"],
                "replica_cpus": run.get("replica_cpus", ""), "requests": result.get("requests", ""),
                "seconds": "%.6f" % result["seconds"] if result else "",
                "throughput_rps": _fmt(result.get("throughput_rps")),
                "max_latency_us": _fmt(max_latency_us(results, run)),
                "resends": sum(int(c.get("resends") or 0) for c in (run.get("clients") or {}).values()),
                "replica_cpu_us_per_request": _fmt(replica_cpu(run), 2), "client_cpu_us_per_request": _fmt(client_cpu(run), 2),
                "source": build.get("source") or "", "build": build.get("name", ""), "commit": build.get("commit") or "",
                "evidence": evidence(run),
            }
            for p in PERCENTILES:
                row["%s_us" % p] = "%.1f" % (result["latency_ns"][p] / 1000.0) if result else ""
            writer.writerow(row)


def summarise(runs):
    """Per cell (the variants in their experiment's order, at each load point): the kept runs'
    medians with 95% bootstrap intervals, the excluded runs with their reasons, and against the
    first variant at the same load point (the reference) the throughput ratio and the median
    latency's change with their intervals and a verdict."""
    variants = list(runs[0]["provenance"].get("variants") or [])
    for run in runs:
        if run["variant"] not in variants:
            variants.append(run["variant"])
    loads = sorted(set((threads_of(r), client_nodes_of(r)) for r in runs), key=lambda tc: (tc[1], tc[0]))
    summary = []
    for threads, clients in loads:
        for name in variants:
            mine = [r for r in runs if cell_of(r) == (name, threads, clients)]
            if not mine:
                continue
            kept = [r for r in mine if is_valid(r)]
            row = {"variant": name, "threads": threads, "clients": clients, "load": load_label(threads, clients),
                   "runs": len(mine), "kept": len(kept), "features": mine[0]["features"],
                   "accelerated": mine[0]["accelerated"], "source": (mine[0].get("build") or {}).get("source") or "",
                   "commit": (mine[0].get("build") or {}).get("commit") or "",
                   "excluded": [(r["run"], reasons_of(r)) for r in mine if not is_valid(r)],
                   "throughput": [r["result"]["throughput_rps"] for r in kept]}
            row["throughput_rps"] = stats.median_interval(row["throughput"]) if kept else None
            for p in PERCENTILES:
                values = [r["result"]["latency_ns"][p] / 1000.0 for r in kept]
                row[p + "_values"] = values
                row[p] = stats.median_interval(values) if kept else None
            cpu = [replica_cpu(r) for r in kept if replica_cpu(r) is not None]
            row["cpu"] = stats.median_interval(cpu) if cpu else None
            client = [client_cpu(r) for r in kept if client_cpu(r) is not None]
            row["client_cpu"] = stats.median_interval(client) if client else None
            row["last_run"] = kept[-1] if kept else mine[-1]
            row["evidence"] = evidence(row["last_run"])
            summary.append(row)
    for row in summary:
        reference = next(r for r in summary if (r["threads"], r["clients"]) == (row["threads"], row["clients"]))
        row["reference"] = reference["variant"]
        if row is reference or not row["kept"] or not reference["kept"]:
            row["vs"] = None
            continue
        ratio = stats.ratio_interval(reference["throughput"], row["throughput"])
        latency = stats.ratio_interval(reference["p50_values"], row["p50_values"])
        row["vs"] = {"throughput_ratio": ratio, "latency_change": tuple(v - 1.0 for v in latency),
                     "verdict": stats.verdict(ratio, min(row["kept"], reference["kept"]))}
    return summary


def _number(value):
    return "%.0f" % value if abs(value) >= 100 else "%.1f" % value


def _interval(triple):
    if triple is None:
        return "-"
    return "%s [%s-%s]" % tuple(_number(v) for v in triple)


def _columns(header, rows, width=WIDTH, keys=2):
    """Aligned columns. When they do not fit in ``width`` (wide intervals on a slow machine), the
    columns after the first ``keys`` go into as many tables as needed, each repeating the keys; a
    column wider than ``width`` on its own keeps its table to itself."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    groups = [[]]
    used = sum(widths[:keys]) + 2 * keys
    for index in range(keys, len(header)):
        if groups[-1] and used + widths[index] > width:
            groups.append([])
            used = sum(widths[:keys]) + 2 * keys
        groups[-1].append(index)
        used += widths[index] + 2
    lines = []
    for group in groups:
        if lines:
            lines.append("")
        chosen = list(range(keys)) + group
        for cells in [header] + rows:
            lines.append("  ".join(str(cells[i]).ljust(widths[i]) for i in chosen).rstrip())
    return lines


def table(summary, runs):
    """Plain text, aligned, at most WIDTH columns wide (the widest row sets each column)."""
    first = runs[0]["provenance"]
    requests = sorted(set(int(r.get("requests_per_thread", first["parameters"]["requests"])) for r in runs))
    title = first["name"] + (" (%s)" % FIXTURE_NOTE if is_fixture(runs) else "")
    lines = [
        "%s: f=%s, replicas %s, clients %s" % (title, first["f"], ", ".join(first["replicas"]), ", ".join(first["clients"])),
    ]
    if first.get("question"):
        lines += textwrap.wrap("question: %s" % first["question"], WIDTH, subsequent_indent="  ")
    lines += [
        "load: closed-loop clients per client node (-t) x client nodes",
        "requests per client (-n) and run: %s" % (
            str(requests[0]) if len(requests) == 1 else "%d to %d (sized per cell)" % (requests[0], requests[-1])),
        "figures: median of the kept runs [95% bootstrap interval over runs]",
        "reference: the first variant at each load",
        "",
    ]
    header = ["variant", "load", "kept", "req/s", "median us", "p99 us", "CPU us/req"]
    rows = [[row["variant"][:24], row["load"], "%d/%d" % (row["kept"], row["runs"]), _interval(row["throughput_rps"]),
             _interval(row["p50"]), _interval(row["p99"]), _interval(row["cpu"])] for row in summary]
    table_rows = _columns(header, rows)
    lines += table_rows
    compared = [row for row in summary if row.get("vs")]
    if compared:
        lines += [""]
        for row in compared:
            vs = row["vs"]
            lines.append("%s vs %s at %s: %s" % (row["variant"], row["reference"], row["load"], vs["verdict"]))
            lines.append("  throughput x%.3f [%.3f-%.3f], median latency %s" % (
                vs["throughput_ratio"][0], vs["throughput_ratio"][1], vs["throughput_ratio"][2],
                "%+.1f%% [%+.1f%% to %+.1f%%]" % tuple(100 * v for v in vs["latency_change"])))
    excluded = [(run, reason) for row in summary for run, reason in row["excluded"]]
    lines += ["", "excluded runs: %s" % ("none" if not excluded else len(excluded))]
    for run, reason in excluded:
        lines.append("  %s: %s" % (run.split("-")[0], reason))
    lines += ["", "fast path (the replicas' XDP counters, the last kept run of each cell):"]
    for row in summary:
        lines.append("  %s %s: %s" % (row["variant"], row["load"], short_evidence(row["last_run"])))
    cpu = runs[-1].get("cpu") or {}
    lines += ["", "CPU us/req: per replica, its handler's and replica's CPU time per request (not the XDP and",
              "TC programs: they run in the kernel's softirq time)"
              + ("; the lab's nodes share one kernel" if cpu.get("shared_kernel") else "")]
    wrapped = []
    for line in lines:
        line = line.rstrip()
        if len(line) <= WIDTH or line in table_rows:
            wrapped.append(line)
        else:
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            wrapped += textwrap.wrap(line, WIDTH, subsequent_indent=indent)
    return "\n".join(wrapped) + "\n"


def write_summary_csv(results, summary):
    with open(os.path.join(results, "summary.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "threads", "client_nodes", "runs", "kept", "excluded", "features", "accelerated", "source"]
                        + ["throughput_rps_median", "throughput_rps_ci_low", "throughput_rps_ci_high"]
                        + ["%s_us_%s" % (p, s) for p in PERCENTILES for s in ("median", "ci_low", "ci_high")]
                        + ["replica_cpu_us_per_request_%s" % s for s in ("median", "ci_low", "ci_high")]
                        + ["client_cpu_us_per_request_%s" % s for s in ("median", "ci_low", "ci_high")]
                        + ["reference", "throughput_ratio", "throughput_ratio_ci_low", "throughput_ratio_ci_high",
                           "p50_change", "p50_change_ci_low", "p50_change_ci_high", "verdict"])
        for row in summary:
            figures = [row["throughput_rps"]] + [row[p] for p in PERCENTILES] + [row["cpu"], row["client_cpu"]]
            vs = row.get("vs")
            writer.writerow([row["variant"], row["threads"], row["clients"], row["runs"], row["kept"],
                             " ".join("%s: %s" % (run, reason) for run, reason in row["excluded"]),
                             " ".join(row["features"]), row["accelerated"], row["source"]]
                            + [("%.2f" % v if f else "") for f in figures for v in (f or (0, 0, 0))]
                            + [row["reference"]]
                            + (["%.4f" % v for v in vs["throughput_ratio"]] + ["%.4f" % v for v in vs["latency_change"]]
                               + [vs["verdict"]] if vs else [""] * 7))


def plots(results, summary, runs):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    first = runs[0]["provenance"]
    fixture = (" - %s" % FIXTURE_NOTE.upper()) if is_fixture(runs) else ""
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    variants = []
    for row in summary:
        if row["variant"] not in variants:
            variants.append(row["variant"])
    color = dict((name, colors[i % len(colors)]) for i, name in enumerate(variants))
    plain = FuncFormatter(lambda value, _: "%g" % value)
    several_loads = len(set(row["load"] for row in summary)) > 1

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2))
    for i, row in enumerate(summary):
        excluded = [r["result"]["throughput_rps"] for r in runs
                    if cell_of(r) == (row["variant"], row["threads"], row["clients"]) and not is_valid(r) and r.get("result")]
        if excluded:
            left.scatter([i] * len(excluded), excluded, color="red", marker="x", s=24, zorder=3)
        if not row["throughput_rps"]:
            continue
        med, low, high = row["throughput_rps"]
        left.bar(i, med, color=color[row["variant"]], yerr=[[med - low], [high - med]], capsize=6)
        left.scatter([i] * len(row["throughput"]), row["throughput"], color="black", s=12, zorder=3)
        left.annotate("%.0f" % med, (i, med), xytext=(8, 4), textcoords="offset points", fontsize=9)
    left.set_xticks(range(len(summary)))
    labels = []
    for row in summary:
        flags = "+".join(SHORT_FLAGS.get(f, f) for f in row["features"]) or "no flags"
        labels.append("%s\n%s%s\n%s" % (row["variant"], flags, "" if row["accelerated"] else ", no handler",
                                        ("load " + row["load"]) if several_loads else ""))
    left.set_xticklabels(labels, fontsize=7 if len(summary) > 4 else 8)
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
        right.bar(xs, meds, width, yerr=errs, capsize=4, color=color[row["variant"]],
                  alpha=1.0 if not several_loads else 0.5 + 0.5 * (row["threads"] * row["clients"]) / max(
                      r["threads"] * r["clients"] for r in summary),
                  label="%s %s" % (row["variant"], row["load"]) if several_loads else row["variant"])
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
    right.legend(fontsize=7, loc="upper left")
    requests = sorted(set(int(r.get("requests_per_thread", first["parameters"]["requests"])) for r in runs))
    fig.suptitle("%s%s: f=%s, %s requests per client, %d repetitions"
                 % (first["name"], fixture, first["f"], "-".join(str(n) for n in sorted(set([requests[0], requests[-1]]))),
                    first["parameters"]["repetitions"]))
    fig.tight_layout()
    fig.savefig(os.path.join(results, "bench.png"), dpi=120)
    plt.close(fig)

    curve(results, summary, first, fixture, color, plain)

    fig, axis = plt.subplots(figsize=(7, 4.8))
    drawn = False
    for row in summary:
        samples = []
        for run in runs:
            if cell_of(run) == (row["variant"], row["threads"], row["clients"]) and is_valid(run):
                samples.extend(raw_samples(results, run["run"]))
        if not samples:
            continue
        samples.sort()
        n = len(samples)
        label = "%s%s (%d samples)" % (row["variant"], (" " + row["load"]) if several_loads else "", n)
        axis.plot([s / 1000.0 for s in samples], [(k + 1) / float(n) for k in range(n)], color=color[row["variant"]],
                  alpha=1.0 if not several_loads else 0.4 + 0.6 * row["threads"] * row["clients"] / max(
                      r["threads"] * r["clients"] for r in summary), label=label)
        drawn = True
    axis.set_xscale("log")
    axis.xaxis.set_major_formatter(plain)
    axis.set_xlabel("latency (us, log scale)")
    axis.set_ylabel("fraction of requests")
    axis.set_ylim(0, 1.01)
    axis.grid(True, which="both", alpha=0.3)
    axis.set_title("Latency CDF, the kept runs of each cell%s" % fixture, fontsize=10)
    if drawn:
        axis.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(results, "latency-cdf.png"), dpi=120)
    plt.close(fig)


def curve(results, summary, first, fixture, color, plain):
    """Throughput against latency, a line per variant through its load points (median solid,
    p99 dashed), each point labelled with its load, intervals as whiskers."""
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(8, 5.4))
    positive = []
    for name in color:
        points = [row for row in summary if row["variant"] == name and row["throughput_rps"]]
        points.sort(key=lambda row: row["throughput_rps"][0])
        if not points:
            continue
        xs = [row["throughput_rps"][0] for row in points]
        xerr = [[row["throughput_rps"][0] - row["throughput_rps"][1] for row in points],
                [row["throughput_rps"][2] - row["throughput_rps"][0] for row in points]]
        for key, style, label in (("p50", "-", "median"), ("p99", "--", "p99")):
            ys = [row[key][0] for row in points]
            yerr = [[row[key][0] - row[key][1] for row in points], [row[key][2] - row[key][0] for row in points]]
            axis.errorbar(xs, ys, xerr=xerr, yerr=yerr, fmt="o" + style, color=color[name], capsize=3, markersize=4,
                          label="%s %s" % (name, label))
            positive += [y for y in ys if y > 0]
            for row, x, y in zip(points, xs, ys):
                if key == "p50":
                    axis.annotate(row["load"], (x, y), xytext=(4, 4), textcoords="offset points", fontsize=7)
    if positive and max(positive) / min(positive) >= 10:
        axis.set_yscale("log")
        axis.yaxis.set_major_formatter(plain)
        axis.set_ylabel("latency (us, log scale)")
    else:
        axis.set_ylabel("latency (us)")
        axis.set_ylim(bottom=0)
    axis.set_xlim(left=0)
    axis.set_xlabel("throughput (requests/s), median of kept runs")
    axis.grid(True, alpha=0.3)
    axis.legend(fontsize=8)
    axis.set_title("%s%s: load curve\nmedian solid, p99 dashed; labels: clients per node (-t) x client nodes (closed loop)"
                   % (first["name"], fixture), fontsize=10)
    fig.tight_layout()
    fig.savefig(os.path.join(results, "curve.png"), dpi=120)
    plt.close(fig)


def _nic_text(nic):
    """A node's NIC settings as short values: channels and rings in force, the coalescing the
    driver reports (what it does not support left out)."""
    if not isinstance(nic, dict):
        return "-", "-", "-"
    channels = ", ".join("%s %s" % (k, v) for k, v in sorted(((nic.get("channels") or {}).get("current") or {}).items())
                         if v is not None) or "not supported"
    coalesce = ", ".join("%s %s" % (k, ("on" if v else "off") if isinstance(v, bool) else v)
                         for k, v in sorted((nic.get("coalesce") or {}).items()) if v is not None) or "not supported"
    rings = ", ".join("%s %s" % (k, v) for k, v in sorted(((nic.get("ring") or {}).get("current") or {}).items())
                      if v is not None) or "not supported"
    return channels, coalesce, rings


def html_report(results, summary, runs, text):
    """RESULTS/report.html: one page with the question, the table, the verdicts, the excluded runs,
    the plots (embedded), the fast-path evidence, each node's provenance and each variant's build,
    and links to every run's JSON and logs. Nothing on it is fetched from the network."""
    import base64
    from html import escape

    first = runs[0]["provenance"]
    fixture = is_fixture(runs)
    title = "%s%s" % (first["name"], (" - " + FIXTURE_NOTE.upper()) if fixture else "")

    def cells(values, tag="td"):
        return "<tr>%s</tr>" % "".join("<%s>%s</%s>" % (tag, escape(str(v)), tag) for v in values)

    def image(name, alt):
        path = os.path.join(results, name)
        if not os.path.exists(path):
            return ""
        with open(path, "rb") as handle:
            data = base64.b64encode(handle.read()).decode("ascii")
        return '<figure><img src="data:image/png;base64,%s" alt="%s"><figcaption>%s</figcaption></figure>' % (
            data, escape(alt), escape(alt))

    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', "<title>%s</title>" % escape(title),
             "<style>body{font-family:sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;margin:1em 0}"
             "td,th{border:1px solid #bbb;padding:3px 8px;text-align:left;font-size:90%}th{background:#eee}"
             "img{max-width:100%}.fixture{background:#fee;border:2px solid #c00;padding:0.5em;font-weight:bold}"
             "pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style></head><body>",
             "<h1>%s</h1>" % escape(title)]
    if fixture:
        parts.append('<p class="fixture">These runs built the collection\'s test fixture project (tests/fixtures/electrode), '
                     "not Electrode: its figures say that the bench works, nothing about Electrode.</p>")
    parts.append("<p><b>Question:</b> %s</p>" % escape(first.get("question") or "(none given)"))
    parts.append("<p>f=%s; replicas %s; clients %s; %s repetitions per cell; load = closed-loop clients per client node "
                 "(-t) x client nodes. Figures: median of the kept runs with a 95%% bootstrap interval over runs.</p>" % (
                     escape(str(first["f"])), escape(", ".join(first["replicas"])), escape(", ".join(first["clients"])),
                     escape(str(first["parameters"]["repetitions"]))))
    parts.append('<h2>Results</h2><table id="summary">')
    parts.append(cells(["variant", "load", "kept", "throughput (req/s)", "median latency (us)", "p99 latency (us)",
                        "CPU us/request/replica", "verdict vs the first variant"], "th"))
    for row in summary:
        vs = row.get("vs")
        verdict = ("%s (x%.3f [%.3f-%.3f])" % ((vs["verdict"],) + tuple(vs["throughput_ratio"]))) if vs else "reference"
        parts.append(cells([row["variant"], row["load"], "%d/%d" % (row["kept"], row["runs"]), _interval(row["throughput_rps"]),
                            _interval(row["p50"]), _interval(row["p99"]), _interval(row["cpu"]), verdict]))
    parts.append("</table>")
    excluded = [(run, reason) for row in summary for run, reason in row["excluded"]]
    parts.append("<h2>Excluded runs</h2>")
    if excluded:
        parts.append('<table id="excluded">' + cells(["run", "why"], "th")
                     + "".join(cells([run, reason]) for run, reason in excluded) + "</table>")
    else:
        parts.append("<p>None: every run counted.</p>")
    parts.append("<h2>Plots</h2>")
    parts += [image("bench.png", "Throughput and latency percentiles per cell" + (" (test fixture, not Electrode)" if fixture else "")),
              image("curve.png", "Load curve: throughput against latency" + (" (test fixture, not Electrode)" if fixture else "")),
              image("latency-cdf.png", "Latency CDF of the kept runs" + (" (test fixture, not Electrode)" if fixture else ""))]
    parts.append('<h2>Fast path</h2><table id="evidence">' + cells(["variant", "load", "XDP counters over the last kept run"], "th"))
    parts += [cells([row["variant"], row["load"], row["evidence"]]) for row in summary]
    parts.append("</table>")
    parts.append('<h2>Where it ran</h2><table id="nodes">' + cells(
        ["node", "role", "kernel", "OS", "CPUs", "hardware", "NIC driver", "MTU", "channels", "coalescing", "rings"], "th"))
    for host, node in sorted((first.get("nodes") or {}).items()):
        nic = node.get("nic") or {}
        channels, coalesce, rings = _nic_text(nic)
        index = node.get("index")
        parts.append(cells([host, "%s %s" % (node.get("role"), "" if index is None else index), node.get("kernel"), node.get("os"),
                            node.get("cpus"), node.get("hardware_type"), ((nic.get("driver") or {}).get("driver")) or "-",
                            nic.get("mtu", "-"), channels, coalesce, rings]))
    parts.append("</table>")
    parts.append('<table id="builds">' + cells(["variant", "flags", "handler", "source", "commit", "local changes", "build"], "th"))
    seen = set()
    for run in runs:
        if run["variant"] in seen:
            continue
        seen.add(run["variant"])
        build = run.get("build") or {}
        parts.append(cells([run["variant"], " ".join(run["features"]) or "none", "yes" if run["accelerated"] else "no",
                            build.get("source") or "-", build.get("commit") or "-", "yes" if build.get("dirty") else "no",
                            build.get("name") or "-"]))
    parts.append("</table>")
    parts.append('<h2>Runs</h2><table id="runs">' + cells(["run", "valid", "req/s", "files"], "th"))
    for run in runs:
        folder = os.path.join("runs", run["run"])
        links = ['<a href="runs/%s.json">JSON</a>' % escape(run["run"])]
        for kind in ("client", "services"):
            for host in sorted((run.get("logs", {}).get(kind) or {})):
                links.append('<a href="%s/%s-%s.log">%s %s log</a>' % (escape(folder), escape(host), kind, escape(host), kind))
        result = run.get("result") or {}
        parts.append("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>" % (
            escape(run["run"]), "yes" if is_valid(run) else "no: " + escape(reasons_of(run)),
            _fmt(result.get("throughput_rps"), 0), " ".join(links)))
    parts.append("</table>")
    parts.append("<h2>The table as printed</h2><pre>%s</pre>" % escape(text))
    parts.append("</body></html>")
    with open(os.path.join(results, "report.html"), "w") as handle:
        handle.write("\n".join(parts) + "\n")


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
    html_report(results, summary, runs, text)
    sys.stdout.write(text)
    sys.stdout.write("\nresults: %s (runs.csv, summary.csv, bench.png, curve.png, latency-cdf.png, runs/)\n" % results)
    sys.stdout.write("report: %s\n" % os.path.abspath(os.path.join(results, "report.html")))


if __name__ == "__main__":
    main()
