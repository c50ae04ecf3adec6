# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plots of one benchmark (matplotlib, on the controller): bench.png (throughput and latency
percentiles per cell), curve.png (throughput against latency per variant over its load points)
and latency-cdf.png (every kept run's pooled requests). Each shows the medians of the kept runs
with their intervals (bench_report.summarise); a test fixture's plots say so in their titles."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import struct

from ansible_collections.electrode.cluster.plugins.plugin_utils.bench_report import (
    FIXTURE_NOTE,
    PERCENTILES,
    SHORT_FLAGS,
    cell_of,
    is_fixture,
    is_valid,
)


def raw_samples(results, run_id):
    """A run's latency samples in ns: every client's ``<host>-latency.raw`` beside its JSON."""
    import glob

    samples = []
    for path in sorted(glob.glob(os.path.join(results, "runs", run_id, "*-latency.raw"))):
        with open(path, "rb") as handle:
            data = handle.read()
        usable = len(data) - len(data) % 8
        samples.extend(v[0] for v in struct.iter_unpack("<Q", data[:usable]))
    return samples


def _bounds(interval):
    """(median, below, above) for an error bar; a single run has none."""
    if interval is None:
        return None
    if interval["low"] is None:
        return interval["median"], 0.0, 0.0
    return interval["median"], interval["median"] - interval["low"], interval["high"] - interval["median"]


def draw(results, summary, runs):
    """Write bench.png, curve.png and latency-cdf.png; returns their names."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    cells = summary["cells"]
    first = runs[0]["provenance"]
    fixture = (" - %s" % FIXTURE_NOTE.upper()) if is_fixture(runs) else ""
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    variants = []
    for row in cells:
        if row["variant"] not in variants:
            variants.append(row["variant"])
    color = dict((name, colors[i % len(colors)]) for i, name in enumerate(variants))
    plain = FuncFormatter(lambda value, _: "%g" % value)
    several_loads = len(set(row["load"] for row in cells)) > 1
    interval_name = "%g%% interval" % (100 * summary["confidence"])

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2))
    for i, row in enumerate(cells):
        excluded = [r["result"]["throughput_rps"] for r in runs
                    if cell_of(r) == (row["variant"], row["threads"], row["clients"]) and not is_valid(r) and r.get("result")]
        if excluded:
            left.scatter([i] * len(excluded), excluded, color="red", marker="x", s=24, zorder=3)
        bounds = _bounds(row["throughput_rps"])
        if bounds is None:
            continue
        left.bar(i, bounds[0], color=color[row["variant"]], yerr=[[bounds[1]], [bounds[2]]], capsize=6)
        left.scatter([i] * len(row["throughput"]), row["throughput"], color="black", s=12, zorder=3)
        left.annotate("%.0f" % bounds[0], (i, bounds[0]), xytext=(8, 4), textcoords="offset points", fontsize=9)
    left.set_xticks(range(len(cells)))
    labels = []
    for row in cells:
        flags = "+".join(SHORT_FLAGS.get(f, f) for f in row["features"]) or "no flags"
        labels.append("%s\n%s%s\n%s" % (row["variant"], flags, "" if row["accelerated"] else ", no handler",
                                        ("load " + row["load"]) if several_loads else ""))
    left.set_xticklabels(labels, fontsize=7 if len(cells) > 4 else 8)
    left.set_ylabel("throughput (requests/s)")
    tops = [row["throughput_rps"]["high"] or row["throughput_rps"]["median"] for row in cells if row["throughput_rps"]]
    tops += [r["result"]["throughput_rps"] for r in runs if r.get("result")]
    left.set_ylim(0, max(tops or [1]) * 1.15)
    left.set_title("Throughput: median, %s (range where too few runs), dots = kept runs, x = excluded" % interval_name,
                   fontsize=9)

    width = 0.8 / max(len(cells), 1)
    for i, row in enumerate(cells):
        if not row["throughput_rps"] or row[PERCENTILES[0]] is None:
            continue
        xs = [j + (i - (len(cells) - 1) / 2.0) * width for j in range(len(PERCENTILES))]
        bars = [_bounds(row[p]) for p in PERCENTILES]
        right.bar(xs, [b[0] for b in bars], width, yerr=[[b[1] for b in bars], [b[2] for b in bars]], capsize=4,
                  color=color[row["variant"]],
                  alpha=1.0 if not several_loads else 0.5 + 0.5 * (row["threads"] * row["clients"]) / max(
                      r["threads"] * r["clients"] for r in cells),
                  label="%s %s" % (row["variant"], row["load"]) if several_loads else row["variant"])
    right.set_xticks(range(len(PERCENTILES)))
    right.set_xticklabels(["median", "90th", "95th", "99th"])
    right.set_xlabel("latency percentile of the pooled requests of each run")
    # A log axis when the tail is ten times the fastest figure or more; within one decade a log
    # axis has one or two labelled ticks and shortens the bars' differences: a linear one from 0.
    latencies = [v for row in cells if row[PERCENTILES[0]] for p in PERCENTILES
                 for v in (row[p]["median"], row[p]["low"], row[p]["high"]) if v is not None]
    if latencies and min(latencies) > 0 and max(latencies) / min(latencies) >= 10:
        right.set_ylabel("latency (us, log scale)")
        right.set_yscale("log")
        right.yaxis.set_major_formatter(plain)
        right.yaxis.set_minor_formatter(NullFormatter())
    else:
        right.set_ylabel("latency (us)")
        right.set_ylim(0, max(latencies or [1]) * 1.15)
    right.set_title("Latency percentiles: median of kept runs, %s" % interval_name, fontsize=10)
    right.legend(fontsize=7, loc="upper left")
    fig.suptitle("%s%s: f=%s, %s repetitions" % (first["name"], fixture, first["f"], (first.get("parameters") or {}).get("repetitions")))
    fig.tight_layout()
    fig.savefig(os.path.join(results, "bench.png"), dpi=120)
    plt.close(fig)

    curve(results, summary, first, fixture, color, plain)

    fig, axis = plt.subplots(figsize=(7, 4.8))
    drawn = False
    for row in cells:
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
                      r["threads"] * r["clients"] for r in cells), label=label)
        drawn = True
    axis.set_xscale("log")
    axis.xaxis.set_major_formatter(plain)
    axis.set_xlabel("latency (us, log scale)")
    axis.set_ylabel("fraction of requests")
    axis.set_ylim(0, 1.01)
    axis.grid(True, which="both", alpha=0.3)
    axis.set_title("Latency CDF, the kept runs of each cell pooled%s" % fixture, fontsize=10)
    if drawn:
        axis.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(results, "latency-cdf.png"), dpi=120)
    plt.close(fig)
    return ["bench.png", "curve.png", "latency-cdf.png"]


def curve(results, summary, first, fixture, color, plain):
    """Throughput against latency, a line per variant through its load points (median solid,
    p99 dashed), each point labelled with its load, intervals as whiskers."""
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(8, 5.4))
    positive = []
    for name in color:
        points = [row for row in summary["cells"] if row["variant"] == name and row["throughput_rps"] and row["p50"]]
        points.sort(key=lambda row: row["throughput_rps"]["median"])
        if not points:
            continue
        xs = [_bounds(row["throughput_rps"]) for row in points]
        for key, style, label in (("p50", "-", "median"), ("p99", "--", "p99")):
            ys = [_bounds(row[key]) for row in points]
            axis.errorbar([x[0] for x in xs], [y[0] for y in ys], xerr=[[x[1] for x in xs], [x[2] for x in xs]],
                          yerr=[[y[1] for y in ys], [y[2] for y in ys]], fmt="o" + style, color=color[name], capsize=3,
                          markersize=4, label="%s %s" % (name, label))
            positive += [y[0] for y in ys if y[0] > 0]
            if key == "p50":
                for row, x, y in zip(points, xs, ys):
                    axis.annotate(row["load"], (x[0], y[0]), xytext=(4, 4), textcoords="offset points", fontsize=7)
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
