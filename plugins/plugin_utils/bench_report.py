# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report of one benchmark, on the controller: from RESULTS/runs/*.json to the summary, the
table, the CSVs and the data of report.html (the ``bench_report`` action writes them; the plots
are bench_plots.py, the page roles/bench/templates/report.html.j2).

A cell is a variant at a load point (client threads per client node x client nodes). A run judged
invalid (its JSON's ``valid``) is kept in runs.csv with its reason and left out of everything
else. A cell's figures are the medians of its kept runs with distribution-free intervals; a
comparison pairs a variant's runs with its reference's of the same repetition and load point
(module_utils/bench_stats.py).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import glob
import json
import os
import textwrap

from ansible_collections.electrode.cluster.plugins.module_utils import bench_stats as stats
from ansible_collections.electrode.cluster.plugins.module_utils.bench import percentile

PERCENTILES = ("p50", "p90", "p95", "p99")
FIXTURE_NOTE = "test fixture, not Electrode"
# The table's width: 100 columns of a terminal, less the 8 that Ansible's output indents it by.
WIDTH = 92
SHORT_FLAGS = {"TC_BROADCAST": "broadcast", "FAST_QUORUM_PRUNE": "prune", "FAST_REPLY": "reply"}


class ReportError(ValueError):
    """A results folder that cannot be reported on."""


def load_runs(results):
    runs = []
    for path in sorted(glob.glob(os.path.join(results, "runs", "*.json"))):
        with open(path) as handle:
            runs.append(json.load(handle))
    if not runs:
        raise ReportError("no runs in %s/runs" % results)
    return sorted(runs, key=lambda r: int(r["order"]))


def load_floor(results):
    """The experiment's network floor (floor.json, written before its runs with bench_floor), or None."""
    path = os.path.join(results, "floor.json")
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        floor = json.load(handle)
    if not isinstance(floor, dict) or not isinstance(floor.get("pairs"), list) or not floor["pairs"]:
        raise ReportError("%s holds no round trips (a list 'pairs' of client -> replica measurements)" % path)
    for pair in floor["pairs"]:
        if not all(k in pair for k in ("client", "replica", "rtt_ns")) or not pair["rtt_ns"]:
            raise ReportError("%s: a pair lacks client, replica or round trips: %s" % (path, sorted(pair)))
    return floor


def load_profiles(results):
    """The profiles of the experiment (profiles/profiles.json, written with bench_profile), or []."""
    path = os.path.join(results, "profiles", "profiles.json")
    if not os.path.isfile(path):
        return []
    with open(path) as handle:
        profiles = json.load(handle)
    return [p for p in profiles if isinstance(p, dict) and p.get("variant") and p.get("host")] if isinstance(profiles, list) else []


def profile_where(profile):
    return {"node": "perf on the node", "host": "perf on the lab's host"}.get(profile.get("where"), "not taken")


def profile_symbols(profile, count=5, key="top_self"):
    """A profile's first symbols as text: ``41.2% __sys_sendto (kernel), 3.1% main (replica), ...``."""
    return ", ".join("%.1f%% %s (%s)" % (100 * float(s["share"]), s["symbol"], _object_name(s["object"]))
                     for s in (profile.get(key) or [])[:count])


def _object_name(name):
    return "kernel" if name == "[kernel.kallsyms]" else name


def profile_lines(summary):
    """The profiles' section of the table: each variant's leader and follower, their samples and the
    symbols where most samples were taken, or why a profile is missing."""
    profiles = summary.get("profiles") or []
    if not profiles:
        return []
    frequency = sorted(set(str(p.get("frequency")) for p in profiles))
    lines = ["", "profiles: one extra run per variant, not counted, its replica processes sampled with stacks "
             "(perf record -g, %s Hz; report.html links each flame graph); where samples were taken:" % "/".join(frequency)]
    for profile in profiles:
        if profile.get("reason") or not profile.get("samples"):
            lines.append("  %s %s (%s): no profile: %s" % (
                profile["variant"], profile["host"], profile.get("role"), profile.get("reason") or "no samples"))
            continue
        lines.append("  %s %s (%s, %s, %s samples, %s req/s under perf): %s" % (
            profile["variant"], profile["host"], profile.get("role"), profile_where(profile), profile["samples"],
            _number(profile.get("throughput_rps")), profile_symbols(profile)))
    return lines


def profile_page(profile):
    """What report.html shows of a profile: where it was taken, the page that opens its flame graph
    in the viewer, and each top symbol's share where samples were taken and under it."""
    under = dict(((u["symbol"], u["object"]), u["share"]) for u in profile.get("top_total") or [])
    top = [{"symbol": t["symbol"], "object": t["object"], "share": "%.1f%%" % (100 * float(t["share"])),
            "under": "%.1f%%" % (100 * float(under.get((t["symbol"], t["object"]), t["share"])))}
           for t in profile.get("top_self") or []]
    viewer = "profiles/%s.html" % os.path.splitext(profile["loader"])[0] if profile.get("loader") else None
    return dict(profile, where_text=profile_where(profile), viewer=viewer, top=top)


def floor_summary(floor, confidence=0.95):
    """Each client -> replica pair's round trips (us): median with its distribution-free interval,
    p99 (by the client's percentile rule), and lost ones; and the floor that latencies are measured
    against: every client's round trips to the leader, pooled (``leader_samples_us``)."""
    if not floor:
        return None
    pairs = []
    for pair in floor["pairs"]:
        samples = sorted(v / 1000.0 for v in pair["rtt_ns"])
        pairs.append({"client": pair["client"], "replica": pair["replica"], "n": len(samples),
                      "lost": int(pair.get("lost") or 0), "median": stats.median_interval(samples, confidence),
                      "p99_us": percentile(tuple(samples), 0.99)})
    leader = floor.get("leader")
    to_leader = sorted(v / 1000.0 for pair in floor["pairs"] if pair["replica"] == leader for v in pair["rtt_ns"])
    return {"bytes": floor.get("bytes"), "round_trips": floor.get("round_trips"), "leader": leader, "pairs": pairs,
            "leader_median": stats.median_interval(to_leader, confidence) if to_leader else None,
            "leader_samples_us": to_leader}


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


def is_valid(run):
    return bool(run.get("valid", True)) and run.get("result") is not None


def reasons_of(run):
    return "; ".join(run.get("invalid_reasons") or ([] if run.get("result") else ["no complete client summary"]))


def latency_us(run, key):
    value = ((run.get("result") or {}).get("latency_ns") or {}).get(key)
    return None if value is None else value / 1000.0


def max_latency_us(run):
    """The run's worst latency: the pooled samples' where they were fetched, else the clients' LATENCY line."""
    value = (run.get("result") or {}).get("max_latency_ns")
    if value is None:
        values = [c.get("max_latency_ns") for c in (run.get("clients") or {}).values() if c.get("max_latency_ns") is not None]
        value = max(values) if values else None
    return None if value is None else value / 1000.0


def cpu_of(run, key):
    return (run.get("cpu") or {}).get(key)


def client_cpu(run):
    values = [v for v in ((run.get("cpu") or {}).get("client_us_per_request") or {}).values() if v is not None]
    return sum(values) if values else None


def steady_of(run):
    return (run.get("steadiness") or {}).get("steady")


def evidence(run):
    """What the NIC counters say about the fast path, in words."""
    counters = run.get("xdp_counters") or {}
    shown = dict((host, c) for host, c in counters.items() if c)
    if not shown:
        return "no XDP counters on these NICs (ethtool -S shows none): no evidence either way"
    moved = dict((host, dict((k, v) for k, v in c.items() if v > 0)) for host, c in shown.items())
    moved = dict((host, c) for host, c in moved.items() if c)
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
        grown = dict((k, v) for k, v in (counters[host] or {}).items() if v > 0 and "bytes" not in k)
        if grown:
            name, value = max(grown.items(), key=lambda kv: kv[1])
            moved.append("%s +%d" % (host, value))
    if not moved:
        return "XDP counters did not move (no traffic through the fast path)"
    return "XDP packets " + ", ".join(moved)


def variant_order(runs):
    """The experiment's variants in its order (then any other a run names)."""
    return _variants(runs)


def _variants(runs):
    variants = list(runs[0]["provenance"].get("variants") or [])
    for run in runs:
        if run["variant"] not in variants:
            variants.append(run["variant"])
    return variants


def _loads(runs):
    return sorted(set((threads_of(r), client_nodes_of(r)) for r in runs), key=lambda tc: (tc[1], tc[0]))


def _by_repetition(runs, value):
    """{repetition: value of the run} for the kept runs (None for an excluded one)."""
    return dict((int(r["repetition"]), value(r) if is_valid(r) else None) for r in runs)


def _interval(values, confidence):
    values = [v for v in values if v is not None]
    return stats.median_interval(values, confidence) if values else None


def summarise(runs, confidence=0.95, margin=0.02, comparisons=None, ci_target=None, floor=None):
    """The experiment's cells and comparisons.

    Per cell (the variants in their experiment's order, at each load point): the kept runs'
    medians with distribution-free intervals at ``confidence`` (stats.median_interval), the
    excluded runs with their reasons, the unsteady runs, and each repetition's figures.
    ``comparisons``: [variant, reference] pairs (default each variant against the first), made at
    every load point by stats.compare from the runs of the same repetition, each at the
    Bonferroni-corrected confidence of the experiment's comparisons, with the equivalence
    ``margin``. ``ci_target``: whether each cell's throughput interval lies within it. ``floor``
    (floor.json's data): each cell's median latency also as a multiple of the client -> leader
    round trip (stats.floor_multiple).
    """
    floor = floor_summary(floor, confidence)
    variants = _variants(runs)
    loads = _loads(runs)
    cells = []
    for threads, clients in loads:
        for name in variants:
            mine = [r for r in runs if cell_of(r) == (name, threads, clients)]
            if not mine:
                continue
            kept = [r for r in mine if is_valid(r)]
            build = mine[0].get("build") or {}
            row = {"variant": name, "threads": threads, "clients": clients, "load": load_label(threads, clients),
                   "runs": len(mine), "kept": len(kept), "features": mine[0]["features"],
                   "replicas": len(mine[0].get("replicas") or []), "unreplicated": bool(mine[0].get("unreplicated")),
                   "accelerated": mine[0]["accelerated"], "source": build.get("source") or "",
                   "commit": build.get("commit") or "",
                   "excluded": [(r["run"], reasons_of(r)) for r in mine if not is_valid(r)],
                   "unsteady": [(r["run"], ", ".join((r.get("steadiness") or {}).get("flags") or []))
                                for r in kept if steady_of(r) is False],
                   "steady_known": len([r for r in kept if steady_of(r) is not None]),
                   "longest_stall_s": max([(r.get("steadiness") or {}).get("longest_stall_s") or 0.0 for r in kept] or [0.0]),
                   "throughput_by_repetition": _by_repetition(mine, lambda r: r["result"]["throughput_rps"]),
                   "p50_by_repetition": _by_repetition(mine, lambda r: latency_us(r, "p50"))}
            row["throughput"] = [r["result"]["throughput_rps"] for r in kept]
            row["throughput_rps"] = _interval(row["throughput"], confidence)
            for p in PERCENTILES:
                row[p] = _interval([latency_us(r, p) for r in kept], confidence)
            for key, label in (("leader_us_per_request", "cpu_leader"), ("followers_us_per_request", "cpu_followers"),
                               ("leader_bpf_us_per_request", "bpf_leader"),
                               ("followers_bpf_us_per_request", "bpf_followers")):
                row[label] = _interval([cpu_of(r, key) for r in kept], confidence)
            row["client_cpu"] = _interval([client_cpu(r) for r in kept], confidence)
            row["p50_floors"] = stats.floor_multiple([latency_us(r, "p50") for r in kept],
                                                     floor["leader_samples_us"], confidence) if floor else None
            row["cpu_split"] = cpu_split(kept, confidence)
            row["last_run"] = kept[-1] if kept else mine[-1]
            row["evidence"] = evidence(row["last_run"])
            if ci_target is not None:
                interval = row["throughput_rps"]
                row["target_reached"] = bool(interval and interval["holds"] and
                                             interval["low"] >= interval["median"] * (1 - ci_target) and
                                             interval["high"] <= interval["median"] * (1 + ci_target))
            cells.append(row)
    bounds = [c["variant"] for c in cells if c["unreplicated"]]
    return {"cells": cells, "comparisons": compare_cells(cells, variants, confidence, margin, comparisons, bounds),
            "bound": bound_fractions(cells, confidence, margin),
            "confidence": confidence, "margin": margin, "ci_target": ci_target, "floor": floor}


def cpu_split(kept, confidence):
    """A cell's CPU per request by part (us, median over its kept runs): for the leader and the
    followers' mean, the units' own time, each eBPF program type's run time and runs, and the
    node's softirq and busy time; and how the eBPF statistics were on."""
    def median_of(values):
        values = [v for v in values if v is not None]
        return stats.median_interval(values, confidence)["median"] if values else None

    split = {"leader": {}, "followers": {}, "bpf_stats": sorted(set(
        str(f.get("bpf_stats")) for r in kept for f in ((r.get("cpu") or {}).get("replicas") or {}).values()))}
    for role in ("leader", "followers"):
        def figures(run, pick, role=role):
            replicas = [f for f in ((run.get("cpu") or {}).get("replicas") or {}).values()
                        if (f.get("role") == "leader") == (role == "leader")]
            values = [pick(f) for f in replicas]
            return (sum(values) / len(values)) if values and None not in values else None

        split[role]["units"] = median_of([figures(r, lambda f: sum(f["units_us"].values())
                                                  if f.get("units_us") and None not in f["units_us"].values() else None)
                                          for r in kept])
        kinds = sorted(set(k for r in kept for f in ((r.get("cpu") or {}).get("replicas") or {}).values()
                           for k in (f.get("bpf") or {})))
        split[role]["bpf"] = {}
        for kind in kinds:
            split[role]["bpf"][kind] = dict(
                (part, median_of([figures(r, lambda f, k=kind, p=part: ((f.get("bpf") or {}).get(k) or {}).get(p)) for r in kept]))
                for part in ("us", "runs"))
        split[role]["softirq"] = median_of([figures(r, lambda f: f.get("node_softirq_us")) for r in kept])
        split[role]["busy"] = median_of([figures(r, lambda f: f.get("node_busy_us")) for r in kept])
    split["shared_kernel"] = any((r.get("cpu") or {}).get("shared_kernel") for r in kept)
    return split


def comparison_pairs(variants, comparisons=None, bounds=()):
    """bench_comparisons, or each variant against the first; the unreplicated bound (``bounds``)
    is not one of them by default: every cell is read against it apart (:func:`bound_fractions`)."""
    if comparisons:
        return [list(pair) for pair in comparisons]
    others = [name for name in variants if name not in bounds]
    return [[name, others[0]] for name in others[1:]]


def bound_fractions(cells, confidence, margin):
    """Each cell against the unreplicated bound's at its load point, paired by repetition
    (stats.compare, Bonferroni-corrected over these comparisons): its throughput as a fraction of
    the bound's and its median latency as a multiple of the bound's. Each cell gets its throughput
    fraction as ``bound_throughput``."""
    planned = []
    for bound in [c for c in cells if c["unreplicated"]]:
        for cell in cells:
            if not cell["unreplicated"] and (cell["threads"], cell["clients"]) == (bound["threads"], bound["clients"]):
                planned.append((cell, bound))
    each = stats.adjusted_confidence(confidence, len(planned)) if planned else confidence
    results = []
    for cell, bound in planned:
        repetitions = sorted(set(cell["throughput_by_repetition"]) | set(bound["throughput_by_repetition"]))
        throughput = stats.compare([bound["throughput_by_repetition"].get(k) for k in repetitions],
                                   [cell["throughput_by_repetition"].get(k) for k in repetitions],
                                   confidence=each, margin=margin)
        latency = stats.compare([bound["p50_by_repetition"].get(k) for k in repetitions],
                                [cell["p50_by_repetition"].get(k) for k in repetitions],
                                confidence=each, margin=margin, better="lower")
        # No kept pair (every run of one of them excluded): no fraction.
        cell["bound_throughput"] = None if throughput["ratio"] is None else {
            "median": throughput["ratio"], "low": throughput["low"], "high": throughput["high"],
            "coverage": throughput["coverage"], "holds": throughput["low"] is not None}
        results.append({"variant": cell["variant"], "bound": bound["variant"], "load": cell["load"],
                        "threads": cell["threads"], "clients": cell["clients"], "throughput": throughput,
                        "latency": latency, "confidence": each})
    return results


def compare_cells(cells, variants, confidence, margin, comparisons=None, bounds=()):
    """Every comparison at every load point where both cells ran, Bonferroni-corrected together."""
    pairs = comparison_pairs(variants, comparisons, bounds)
    planned = []
    for variant, reference in pairs:
        for load in sorted(set((c["threads"], c["clients"]) for c in cells), key=lambda tc: (tc[1], tc[0])):
            mine = next((c for c in cells if c["variant"] == variant and (c["threads"], c["clients"]) == load), None)
            theirs = next((c for c in cells if c["variant"] == reference and (c["threads"], c["clients"]) == load), None)
            if mine is not None and theirs is not None:
                planned.append((mine, theirs))
    each = stats.adjusted_confidence(confidence, len(planned)) if planned else confidence
    results = []
    for mine, theirs in planned:
        repetitions = sorted(set(mine["throughput_by_repetition"]) | set(theirs["throughput_by_repetition"]))
        reference = [theirs["throughput_by_repetition"].get(k) for k in repetitions]
        other = [mine["throughput_by_repetition"].get(k) for k in repetitions]
        throughput = stats.compare(reference, other, confidence=each, margin=margin)
        latency = stats.compare([theirs["p50_by_repetition"].get(k) for k in repetitions],
                                [mine["p50_by_repetition"].get(k) for k in repetitions],
                                confidence=each, margin=margin, better="lower")
        results.append({"variant": mine["variant"], "reference": theirs["variant"], "load": mine["load"],
                        "threads": mine["threads"], "clients": mine["clients"], "throughput": throughput,
                        "latency": latency, "verdict": throughput["verdict"], "confidence": each})
    return results


def _number(value):
    return "%.0f" % value if abs(value) >= 100 else ("%.1f" % value if abs(value) >= 1 else "%.2f" % value)


def interval_text(interval):
    """A median with its interval: ``M [L-H]`` where the interval holds its confidence; ``M (range
    L-H, C%)`` where too few runs gave only the range, with what it covers; ``M (1 run)``."""
    if interval is None:
        return "-"
    if interval["low"] is None:
        return "%s (1 run)" % _number(interval["median"])
    if interval["holds"]:
        return "%s [%s-%s]" % (_number(interval["median"]), _number(interval["low"]), _number(interval["high"]))
    coverage = ("%.1f" % (100 * interval["coverage"])).rstrip("0").rstrip(".")
    return "%s (range %s-%s, %s%%)" % (_number(interval["median"]), _number(interval["low"]), _number(interval["high"]), coverage)


def ratio_text(compared, latency=False):
    if compared["ratio"] is None:
        return "-"
    if latency:
        head = "%+.1f%%" % (100 * (compared["ratio"] - 1))
        if compared["low"] is None:
            return head
        return "%s [%+.1f%% to %+.1f%%]" % (head, 100 * (compared["low"] - 1), 100 * (compared["high"] - 1))
    if compared["low"] is None:
        return "x%.3f" % compared["ratio"]
    return "x%.3f [%.3f-%.3f]" % (compared["ratio"], compared["low"], compared["high"])


def columns(header, rows, width=WIDTH, keys=2):
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


def steady_text(row):
    """Steady runs of the kept runs whose window was long enough to say, and how many were not."""
    short = row["kept"] - row["steady_known"]
    if not row["steady_known"]:
        return "-" if not short else "%d short" % short
    return "%d/%d%s" % (row["steady_known"] - len(row["unsteady"]), row["steady_known"], " +%d short" % short if short else "")


def table_rows(summary):
    header = ["variant", "load", "replicas", "kept", "req/s", "median us", "p99 us", "CPU us/req leader", "followers",
              "steady"]
    rows = [[row["variant"][:24], row["load"], "1 (bound)" if row["unreplicated"] else str(row["replicas"] or "-"),
             "%d/%d" % (row["kept"], row["runs"]), interval_text(row["throughput_rps"]),
             interval_text(row["p50"]), interval_text(row["p99"]), interval_text(row["cpu_leader"]),
             interval_text(row["cpu_followers"]), steady_text(row)] for row in summary["cells"]]
    return header, rows


def _split_line(row):
    split = row["cpu_split"]
    parts = []
    for role in ("leader", "followers"):
        figures = split[role]
        bpf = ", ".join("%s %s (%s runs)" % (k, _number(v["us"]), _number(v["runs"])) for k, v in sorted(figures["bpf"].items())
                        if v["us"] is not None)
        text = "units %s" % ("-" if figures["units"] is None else _number(figures["units"]))
        if bpf:
            text += ", eBPF %s" % bpf
        if figures["softirq"] is not None:
            text += ", softirq %s%s" % (_number(figures["softirq"]), " (machine)" if split["shared_kernel"] else "")
        parts.append("%s %s" % (role, text))
    return "  %s %s: %s" % (row["variant"], row["load"], "; ".join(parts))


def bound_lines(summary):
    """The unreplicated bound's section of the table: each cell against it at its load point."""
    if not summary.get("bound"):
        return []
    each = summary["bound"][0]["confidence"]
    lines = [""] + textwrap.wrap(
        "distance to the unreplicated bound (%s: one server, f=0, on the leader's node; paired by repetition, "
        "Hodges-Lehmann estimate, Wilcoxon signed-rank interval%s):" % (
            summary["bound"][0]["bound"], ", each at %.4g%% so that all %d hold together at %g%%" % (
                100 * each, len(summary["bound"]), 100 * summary["confidence"]) if len(summary["bound"]) > 1
            else " at %g%%" % (100 * summary["confidence"])), WIDTH)
    for item in summary["bound"]:
        lines.append("  %s %s: throughput %s of the bound's, median latency %s (%d pairs)" % (
            item["variant"], item["load"], fraction_text(item["throughput"]), ratio_text(item["latency"], latency=True),
            item["throughput"]["pairs"]))
    return lines


def fraction_text(compared):
    """A ratio as a fraction with its interval: ``0.62 [0.55-0.70]``, or what is missing."""
    if compared["ratio"] is None:
        return "-"
    if compared["low"] is None:
        return "%.2f (%s)" % (compared["ratio"], compared["verdict"])
    return "%.2f [%.2f-%.2f]" % (compared["ratio"], compared["low"], compared["high"])


def floor_lines(summary):
    """The network floor's section of the table: each pair's round trips, and each cell's median
    latency in round trips of the floor (client -> leader)."""
    floor = summary.get("floor")
    if not floor:
        return []
    lines = ["", "network floor: UDP round trips on the experiment interface, %s bytes, %s per pair, one at a time "
             "(us: median [interval], p99):" % (floor["bytes"], floor["round_trips"])]
    for pair in floor["pairs"]:
        lost = ", %d lost" % pair["lost"] if pair["lost"] else ""
        lines.append("  %s -> %s: %s, p99 %s%s" % (pair["client"], pair["replica"], interval_text(pair["median"]),
                                                   _number(pair["p99_us"]), lost))
    if floor["leader_median"]:
        lines += ["median latency in round trips of the floor (client -> leader %s, %s us; VR's critical path is "
                  "two round trips):" % (floor["leader"], _number(floor["leader_median"]["median"]))]
        for row in summary["cells"]:
            lines.append("  %s %s: %s" % (row["variant"], row["load"], interval_text(row.get("p50_floors"))))
    return lines


def table(summary, runs, incomplete=None):
    """Plain text, aligned, at most WIDTH columns wide (the widest row sets each column)."""
    first = runs[0]["provenance"]
    parameters = first.get("parameters") or {}
    requests = sorted(set(int(r.get("requests_per_thread", parameters.get("requests", 0))) for r in runs))
    title = first["name"] + (" (%s)" % FIXTURE_NOTE if is_fixture(runs) else "")
    confidence = summary["confidence"]
    lines = ["%s: f=%s, replicas %s, clients %s" % (title, first["f"], ", ".join(first["replicas"]), ", ".join(first["clients"]))]
    if incomplete:
        lines += textwrap.wrap("INCOMPLETE: %s" % incomplete, WIDTH, subsequent_indent="  ")
    if first.get("question"):
        lines += textwrap.wrap("question: %s" % first["question"], WIDTH, subsequent_indent="  ")
    lines += [
        "load: closed-loop clients per client node (-t) x client nodes",
        "steady: kept runs whose traffic was steady, of those long enough to say (+N short: under 0.7 s)",
        "requests per client thread (-n) and run: %s; warm-up and cool-down %s s" % (
            str(requests[0]) if len(requests) == 1 else "%d to %d (sized per client)" % (requests[0], requests[-1]),
            parameters.get("warmup", "?")),
        "each run: the replicas restarted together, then the warm-up",
        "figures: median of the kept runs [distribution-free %g%% interval]; (range, N%%): too few" % (100 * confidence),
        "  runs for %g%%, the runs' range and how often such a range holds the median" % (100 * confidence),
        "",
    ]
    header, rows = table_rows(summary)
    printed = columns(header, rows)
    lines += printed
    if summary["ci_target"] is not None:
        reached = [c for c in summary["cells"] if c.get("target_reached")]
        lines += ["", "bench_ci_target %g: after %d repetitions, %d of %d cells' throughput intervals within it%s" % (
            summary["ci_target"], max(int(r["repetition"]) for r in runs), len(reached), len(summary["cells"]),
            "" if len(reached) == len(summary["cells"]) else " (not: %s)" % ", ".join(
                "%s %s" % (c["variant"], c["load"]) for c in summary["cells"] if not c.get("target_reached")))]
    if summary["comparisons"]:
        each = summary["comparisons"][0]["confidence"]
        count = len(summary["comparisons"])
        lines += [""] + textwrap.wrap(
            "comparisons: paired by repetition; Hodges-Lehmann estimate, Wilcoxon signed-rank interval; "
            "%s; verdict on throughput, beyond a margin of %g%%:" % (
                ("each at %.4g%% so that all %d hold together at %g%% (Bonferroni)" % (100 * each, count, 100 * confidence))
                if count > 1 else "at %g%%" % (100 * confidence), 100 * summary["margin"]), WIDTH)
        for item in summary["comparisons"]:
            lines.append("%s vs %s at %s: %s" % (item["variant"], item["reference"], item["load"], item["verdict"]))
            lines.append("  throughput %s, median latency %s (%d pairs)" % (
                ratio_text(item["throughput"]), ratio_text(item["latency"], latency=True), item["throughput"]["pairs"]))
    excluded = [(run, reason) for row in summary["cells"] for run, reason in row["excluded"]]
    lines += ["", "excluded runs: %s" % ("none" if not excluded else len(excluded))]
    for run, reason in excluded:
        lines.append("  %s: %s" % (run.split("-")[0], reason))
    unsteady = [(run, flags) for row in summary["cells"] for run, flags in row["unsteady"]]
    if unsteady:
        lines += ["unsteady runs (kept and counted; bench_exclude_unsteady excludes them): %d" % len(unsteady)]
        for run, flags in unsteady:
            lines.append("  %s: %s" % (run.split("-")[0], flags))
    lines += floor_lines(summary) + bound_lines(summary) + profile_lines(summary)
    lines += ["", "fast path (the replicas' XDP counters, the last kept run of each cell):"]
    for row in summary["cells"]:
        lines.append("  %s %s: %s" % (row["variant"], row["load"], short_evidence(row["last_run"])))
    shared = any(row["cpu_split"]["shared_kernel"] for row in summary["cells"])
    leader = runs[-1].get("cpu", {}).get("leader") or "replica index 0"
    lines += ["", "CPU us per request over the measured window (median of kept runs); leader: %s;" % leader,
              "the nodes share one kernel: a replica's figure is its units' time plus its eBPF programs' run time, "
              "softirq is the machine's" if shared else
              "a replica's figure is its node's busy time (user, system, irq, softirq), which holds its eBPF programs' run time"]
    lines += [_split_line(row) for row in summary["cells"]]
    short = sorted(set(run["run"].split("-")[0] for run in runs if is_valid(run) and any(
        "shorter than" in str(f.get("error") or "") for f in ((run.get("cpu") or {}).get("replicas") or {}).values())))
    if short:
        lines.append("  no CPU figures for runs %s: their measured window was under 1 s (lengthen bench_duration)"
                     % ", ".join(short))
    wrapped = []
    for line in lines:
        line = line.rstrip()
        if len(line) <= WIDTH or line in printed:
            wrapped.append(line)
        else:
            indent = " " * (len(line) - len(line.lstrip()) + 2)
            wrapped += textwrap.wrap(line, WIDTH, subsequent_indent=indent)
    return "\n".join(wrapped) + "\n"


def _fmt(value, digits=1):
    return "" if value is None else ("%." + str(digits) + "f") % value


def write_runs_csv(results, runs):
    fields = ["run", "order", "variant", "threads", "client_nodes", "repetition", "valid", "invalid_reason", "features",
              "accelerated", "replica_cpus", "requests", "seconds", "throughput_rps", "p50_us", "p90_us", "p95_us",
              "p99_us", "max_latency_us", "latency_source", "resends", "leader_cpu_us_per_request",
              "followers_cpu_us_per_request", "leader_bpf_us_per_request", "client_cpu_us_per_request", "steady",
              "unsteady_flags", "longest_stall_s", "invocation", "source", "build", "commit", "evidence"]
    with open(os.path.join(results, "runs.csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for run in runs:
            result = run.get("result") or {}
            build = run.get("build") or {}
            steadiness = run.get("steadiness") or {}
            row = {
                "run": run["run"], "order": run["order"], "variant": run["variant"], "threads": threads_of(run),
                "client_nodes": client_nodes_of(run), "repetition": run["repetition"],
                "valid": "true" if is_valid(run) else "false", "invalid_reason": reasons_of(run),
                "features": " ".join(run["features"]), "accelerated": run["accelerated"],
                "replica_cpus": run.get("replica_cpus", ""), "requests": result.get("requests", ""),
                "seconds": "%.6f" % result["seconds"] if result else "",
                "throughput_rps": _fmt(result.get("throughput_rps")),
                "max_latency_us": _fmt(max_latency_us(run)), "latency_source": result.get("latency_source") or "",
                "resends": sum(int(c.get("resends") or 0) for c in (run.get("clients") or {}).values()),
                "leader_cpu_us_per_request": _fmt(cpu_of(run, "leader_us_per_request"), 2),
                "followers_cpu_us_per_request": _fmt(cpu_of(run, "followers_us_per_request"), 2),
                "leader_bpf_us_per_request": _fmt(cpu_of(run, "leader_bpf_us_per_request"), 3),
                "client_cpu_us_per_request": _fmt(client_cpu(run), 2),
                "steady": "" if steadiness.get("steady") is None else str(steadiness["steady"]).lower(),
                "unsteady_flags": ", ".join(steadiness.get("flags") or []),
                "longest_stall_s": _fmt(steadiness.get("longest_stall_s"), 2),
                "invocation": run.get("invocation", ""),
                "source": build.get("source") or "", "build": build.get("name", ""), "commit": build.get("commit") or "",
                "evidence": evidence(run),
            }
            for p in PERCENTILES:
                row["%s_us" % p] = _fmt(latency_us(run, p))
            writer.writerow(row)


def _triple(interval):
    if interval is None:
        return ["", "", "", ""]
    return ["%.4f" % interval["median"]] + [("" if interval[k] is None else "%.4f" % interval[k]) for k in ("low", "high", "coverage")]


def write_summary_csv(results, summary):
    figures = [("throughput_rps", "throughput_rps")] + [(p, "%s_us" % p) for p in PERCENTILES] + [
        ("cpu_leader", "leader_cpu_us_per_request"), ("cpu_followers", "followers_cpu_us_per_request"),
        ("bpf_leader", "leader_bpf_us_per_request"), ("client_cpu", "client_cpu_us_per_request"),
        ("p50_floors", "p50_floor_round_trips"), ("bound_throughput", "throughput_fraction_of_bound")]
    with open(os.path.join(results, "summary.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "threads", "client_nodes", "runs", "kept", "excluded", "unsteady", "features",
                         "accelerated", "source", "replicas", "unreplicated"]
                        + ["%s_%s" % (name, s) for key, name in figures for s in ("median", "ci_low", "ci_high", "coverage")]
                        + ["target_reached"])
        for row in summary["cells"]:
            writer.writerow([row["variant"], row["threads"], row["clients"], row["runs"], row["kept"],
                             " ".join("%s: %s" % (run, reason) for run, reason in row["excluded"]),
                             " ".join("%s: %s" % (run, flags) for run, flags in row["unsteady"]),
                             " ".join(row["features"]), row["accelerated"], row["source"], row["replicas"],
                             str(row["unreplicated"]).lower()]
                            + [v for key, name in figures for v in _triple(row.get(key))]
                            + ["" if row.get("target_reached") is None else str(row["target_reached"]).lower()])
    with open(os.path.join(results, "comparisons.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variant", "reference", "threads", "client_nodes", "pairs", "confidence", "margin",
                         "throughput_ratio", "throughput_ratio_ci_low", "throughput_ratio_ci_high",
                         "p50_ratio", "p50_ratio_ci_low", "p50_ratio_ci_high", "verdict"])
        for item in summary["comparisons"]:
            writer.writerow([item["variant"], item["reference"], item["threads"], item["clients"],
                             item["throughput"]["pairs"], "%.6f" % item["confidence"], summary["margin"]]
                            + [("" if item[k][x] is None else "%.4f" % item[k][x]) for k in ("throughput", "latency")
                               for x in ("ratio", "low", "high")]
                            + [item["verdict"]])


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


def _hardware_text(node):
    """A node's hardware type, and the CloudLab cluster that made it where known."""
    cluster = str(node.get("cluster") or "")
    site = cluster.split("+")[1] if cluster.startswith("urn:publicid:IDN+") and cluster.count("+") >= 2 else cluster
    return "%s%s" % (node.get("hardware_type") or "-", (" at " + site) if site else "")


def page(summary, runs, text, images, incomplete=None):
    """What report.html shows, as plain data for its template."""
    first = runs[0]["provenance"]
    fixture = is_fixture(runs)
    header, rows = table_rows(summary)
    nodes = []
    for host, node in sorted((first.get("nodes") or {}).items()):
        nic = node.get("nic") or {}
        channels, coalesce, rings = _nic_text(nic)
        index = node.get("index")
        nodes.append([host, "%s %s" % (node.get("role"), "" if index is None else index), node.get("kernel"), node.get("os"),
                      node.get("cpus"), _hardware_text(node), ((nic.get("driver") or {}).get("driver")) or "-",
                      nic.get("mtu", "-"), channels, coalesce, rings])
    builds, seen = [], set()
    for run in runs:
        if run["variant"] in seen:
            continue
        seen.add(run["variant"])
        build = run.get("build") or {}
        builds.append([run["variant"], " ".join(run["features"]) or "none", "yes" if run["accelerated"] else "no",
                       build.get("source") or "-", build.get("commit") or "-", "yes" if build.get("dirty") else "no",
                       build.get("name") or "-"])
    run_rows = []
    for run in runs:
        links = [{"href": "runs/%s.json" % run["run"], "text": "JSON"}]
        for kind in ("client", "services"):
            for host in sorted((run.get("logs", {}).get(kind) or {})):
                links.append({"href": "runs/%s/%s-%s.log" % (run["run"], host, kind), "text": "%s %s log" % (host, kind)})
        result = run.get("result") or {}
        run_rows.append({"run": run["run"], "valid": "yes" if is_valid(run) else "no: " + reasons_of(run),
                         "throughput": _fmt(result.get("throughput_rps"), 0),
                         "steady": ", ".join((run.get("steadiness") or {}).get("flags") or []) or (
                             "yes" if steady_of(run) else "-"),
                         "invocation": run.get("invocation", ""), "links": links})
    return {
        "title": "%s%s" % (first["name"], (" - " + FIXTURE_NOTE.upper()) if fixture else ""),
        "fixture": fixture,
        "incomplete": incomplete,
        "question": first.get("question") or "(none given)",
        "f": first["f"], "replicas": ", ".join(first["replicas"]), "clients": ", ".join(first["clients"]),
        "repetitions": (first.get("parameters") or {}).get("repetitions"),
        "confidence": summary["confidence"],
        "header": header + ["verdict"],
        "rows": [r + [_verdict_cell(summary, cell)] for r, cell in zip(rows, summary["cells"])],
        "comparisons": [{"text": "%s vs %s at %s: %s" % (i["variant"], i["reference"], i["load"], i["verdict"]),
                         "detail": "throughput %s, median latency %s (%d pairs, each verdict at %.4g%%)" % (
                             ratio_text(i["throughput"]), ratio_text(i["latency"], True), i["throughput"]["pairs"],
                             100 * i["confidence"])} for i in summary["comparisons"]],
        "excluded": [[run, reason] for row in summary["cells"] for run, reason in row["excluded"]],
        "unsteady": [[run, flags] for row in summary["cells"] for run, flags in row["unsteady"]],
        "cpu": [_split_line(row).strip() for row in summary["cells"]],
        "floor": [line.strip() for line in floor_lines(summary)[1:]],
        "bound": [line.strip() for line in bound_lines(summary)[1:]],
        "profiles": [profile_page(p) for p in summary.get("profiles") or []],
        "evidence": [[row["variant"], row["load"], row["evidence"]] for row in summary["cells"]],
        "nodes": nodes,
        "builds": builds,
        "runs": run_rows,
        "images": images,
        "text": text,
    }


def _verdict_cell(summary, cell):
    verdicts = ["%s vs %s" % (i["verdict"], i["reference"]) for i in summary["comparisons"]
                if i["variant"] == cell["variant"] and i["load"] == cell["load"]]
    return "; ".join(verdicts) or "-"


def summary_data(summary):
    """The summary as JSON data (what the action returns and tests read)."""
    cells = []
    for row in summary["cells"]:
        cells.append(dict((k, v) for k, v in row.items() if k not in ("last_run",)))
    floor = summary.get("floor")
    if floor:
        floor = dict((k, v) for k, v in floor.items() if k != "leader_samples_us")
    return {"cells": cells, "comparisons": summary["comparisons"], "confidence": summary["confidence"],
            "margin": summary["margin"], "ci_target": summary["ci_target"], "floor": floor,
            "bound": summary.get("bound") or [], "profiles": summary.get("profiles") or []}
