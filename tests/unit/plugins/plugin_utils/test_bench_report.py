# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's report (plugins/plugin_utils/bench_report.py, bench_plots.py, the bench_report
action and its page template): cells and paired comparisons from run records, intervals that say
what they cover, a table within 92 columns (the width left by Ansible's indent of 8 in a
100-column terminal) whatever the figures, and every file written from one results folder."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import json
import os
import re
import struct

import pytest

from ansible_collections.electrode.cluster.plugins.action.bench_report import write_report
from ansible_collections.electrode.cluster.plugins.plugin_utils import bench_compare
from ansible_collections.electrode.cluster.plugins.plugin_utils import bench_report as report

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
TEMPLATE = os.path.join(ROOT, "roles", "bench", "templates", "report.html.j2")


def _runs(scale=1.0, reference="baseline", repetitions=2, gain=1.0, excluded=(), source="/src/electrode"):
    """Two variants interleaved; latencies and CPU grow with ``scale``; the other variant's
    throughput is ``gain`` times the reference's in each repetition, with a little noise."""
    provenance = {"name": "width", "f": 1, "replicas": ["replica0", "replica1", "replica2"], "clients": ["client0"],
                  "parameters": {"requests": 1000, "repetitions": repetitions, "threads": [1], "warmup": 1},
                  "variants": [reference, "electrode"]}
    runs = []
    pairs = [(v, r) for r in range(1, repetitions + 1) for v in provenance["variants"]]
    for order, (variant, repetition) in enumerate(pairs, 1):
        factor = scale * (1 + 0.01 * repetition)  # latencies and CPU: the same in both runs of a pair
        throughput = 1234.5 * scale * (1 + 0.01 * ((order * 7) % 5)) * (gain if variant == "electrode" else 1.0)
        run_id = "%02d-%s-r%d" % (order, variant, repetition)
        runs.append({
            "run": run_id, "order": order, "variant": variant, "threads": 1, "client_nodes": 1, "repetition": repetition,
            "features": [], "accelerated": variant == "electrode", "provenance": provenance, "build": {"source": source},
            "valid": run_id not in excluded, "invalid_reasons": ["replica2 restarted during the run"] if run_id in excluded else [],
            "result": {"throughput_rps": throughput, "requests": 1000, "seconds": 1.0, "max_latency_ns": 9e6 * factor,
                       "latency_ns": dict((p, 1000.0 * 123.4567 * factor * (i + 1)) for i, p in enumerate(report.PERCENTILES))},
            "cpu": {"leader_us_per_request": 23.456 * factor, "followers_us_per_request": 12.3 * factor,
                    "leader_bpf_us_per_request": 0.4, "shared_kernel": True, "leader": "replica0",
                    "replicas": {"replica0": {"role": "leader", "units_us": {"electrode-replica.service": 23.0 * factor},
                                              "bpf": {"xdp": {"us": 0.4, "runs": 3.0}}, "node_softirq_us": 5.0,
                                              "node_busy_us": 50.0, "bpf_stats": "node"}}},
            "steadiness": {"steady": order != 3, "flags": [] if order != 3 else ["stall 0.60 s"], "longest_stall_s": 0.6},
            "xdp_counters": {"replica0": {"xdp_packets": 10 * order}},
        })
    return runs


def _table(scale, reference="baseline"):
    runs = _runs(scale, reference)
    return report.table(report.summarise(runs, confidence=0.5), runs)


def test_the_table_fits_in_92_columns_with_small_figures_in_one_piece():
    text = _table(0.001)
    assert max(len(line) for line in text.splitlines()) <= 92
    assert any(line.startswith("variant ") and "req/s" in line for line in text.splitlines())


def test_a_long_variant_name_is_shown_whole_up_to_24_characters():
    text = _table(0.001, reference="baseline-with-long-name")
    assert max(len(line) for line in text.splitlines()) <= 92
    assert any(line.startswith("baseline-with-long-name  1x1") for line in text.splitlines())


def test_wide_figures_split_the_table_and_every_column_is_still_shown():
    text = _table(1000.0, reference="baseline-with-long-name")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 92, [line for line in lines if len(line) > 92]
    headers = [line for line in lines if line.startswith("variant ")]
    assert len(headers) >= 2
    shown = " ".join(headers)
    for column in ("load", "kept", "req/s", "median us", "p99 us", "CPU us/req leader", "followers", "steady"):
        assert column in shown
    # Each part repeats the variant and the load, so a row can be read on its own.
    assert all("load" in header for header in headers)
    assert len([line for line in lines if re.match(r"^electrode +1x1  ", line)]) == len(headers)


def test_columns_keep_their_keys_in_each_part():
    lines = report.columns(["a", "b", "c", "d"], [["1", "2", "x" * 50, "y" * 50]], width=60)
    assert lines == ["a  b  c", "1  2  " + "x" * 50, "", "a  b  d", "1  2  " + "y" * 50]


@pytest.mark.parametrize("values, text", [
    ([1000.0, 1100.0, 900.0, 1050.0, 950.0, 1020.0], "1010 [900-1100]"),
    ([1000.0, 1100.0, 900.0, 1050.0], "1025 (range 900-1100, 87.5%)"),
    ([1000.0, 1100.0, 900.0], "1000 (range 900-1100, 75%)"),
    ([1234.0], "1234 (1 run)"),
])
def test_an_interval_says_what_it_covers_never_95_percent_it_does_not_hold(values, text):
    from ansible_collections.electrode.cluster.plugins.module_utils.bench_stats import median_interval
    assert report.interval_text(median_interval(values)) == text


def test_seven_repetitions_give_intervals_and_a_verdict_and_an_excluded_run_breaks_its_pair():
    runs = _runs(repetitions=7, gain=1.3, excluded=("04-electrode-r2",))
    summary = report.summarise(runs)
    reference, other = summary["cells"]
    assert (reference["kept"], other["kept"]) == (7, 6)
    assert reference["throughput_rps"]["holds"] and reference["throughput_rps"]["coverage"] >= 0.95
    assert other["excluded"] == [("04-electrode-r2", "replica2 restarted during the run")]
    (compared,) = summary["comparisons"]
    assert compared["verdict"] == "faster" and compared["throughput"]["pairs"] == 6
    assert compared["throughput"]["ratio"] == pytest.approx(1.3, rel=0.02)
    assert compared["latency"]["verdict"] == "same within 2%"
    # The unsteady run is counted and named.
    assert reference["unsteady"] == [("03-baseline-r2", "stall 0.60 s")] and reference["steady_known"] == 7


def test_too_few_repetitions_say_so_in_the_verdict():
    summary = report.summarise(_runs(repetitions=3, gain=1.3))
    assert summary["comparisons"][0]["verdict"] == "too few runs (3 pairs, needs 6)"
    assert report.interval_text(summary["cells"][0]["throughput_rps"]).endswith("75%)")


def test_comparisons_of_an_experiment_are_corrected_together_and_chosen_by_the_experiment():
    runs = _runs(repetitions=8, gain=1.3)
    for run in list(runs):
        runs.append(dict(run, variant="other", run=run["run"].replace("electrode", "other"), order=run["order"] + 100))
    runs[0]["provenance"]["variants"] = ["baseline", "electrode", "other"]
    summary = report.summarise(runs)
    assert [(c["variant"], c["reference"]) for c in summary["comparisons"]] == [("electrode", "baseline"), ("other", "baseline")]
    assert summary["comparisons"][0]["confidence"] == pytest.approx(0.975)
    chosen = report.summarise(runs, comparisons=[["other", "electrode"]])
    assert [(c["variant"], c["reference"], c["confidence"]) for c in chosen["comparisons"]] == [("other", "electrode", 0.95)]


def test_the_whole_report_is_written_from_a_results_folder(tmp_path):
    results = tmp_path / "20261204T000000Z-demo"
    (results / "runs").mkdir(parents=True)
    for run in _runs(repetitions=6, gain=1.2, source="/x/tests/fixtures/electrode"):
        run["logs"] = {"client": {"client0": "client <log>"}, "services": {"replica0": "ok"}}
        (results / "runs" / (run["run"] + ".json")).write_text(json.dumps(run))
        folder = results / "runs" / run["run"]
        folder.mkdir()
        (folder / "client0-latency.raw").write_bytes(struct.pack("<3Q", 50000, 60000, 70000))
    (results / "floor.json").write_text(json.dumps(_floor()))
    text, summary = write_report(str(results), TEMPLATE, incomplete="2 runs not done: replica2 unreachable")
    for name in ("runs.csv", "summary.csv", "comparisons.csv", "summary.txt", "summary.json", "bench.png", "curve.png",
                 "latency-cdf.png", "report.html", "runs/01-baseline-r1/client0-client.log"):
        assert (results / name).exists(), name
    assert [line for line in text.splitlines() if line.startswith("INCOMPLETE: ")] == [
        "INCOMPLETE: 2 runs not done: replica2 unreachable"]
    page = (results / "report.html").read_text()
    # Autoescaped, the fixture named, the incomplete experiment named, every plot embedded.
    assert "client &lt;log&gt;" not in page and "TEST FIXTURE, NOT ELECTRODE" in page
    assert 'id="incomplete"' in page and page.count("data:image/png;base64,") == 3
    assert json.loads((results / "summary.json").read_text())["comparisons"][0]["verdict"] == summary["comparisons"][0]["verdict"]
    rows = list(csv.DictReader(open(str(results / "comparisons.csv"))))
    assert rows[0]["variant"] == "electrode" and rows[0]["verdict"] == "faster"
    cells = list(csv.DictReader(open(str(results / "summary.csv"))))
    assert float(cells[0]["throughput_rps_coverage"]) >= 0.95
    # The floor: in the table, the page, the summary's data and CSV.
    assert "network floor: UDP round trips" in text and 'id="floor"' in page and "client0 -&gt; replica1" in page
    assert summary["floor"]["leader_median"]["median"] == 44.5
    assert float(cells[0]["p50_floor_round_trips_median"]) == pytest.approx(summary["cells"][0]["p50_floors"]["median"], rel=1e-3)


def test_two_results_folders_are_compared(tmp_path, capsys):
    folders = []
    for name, source in (("a", "/src/one"), ("b", "/src/two")):
        folder = tmp_path / name
        (folder / "runs").mkdir(parents=True)
        for run in _runs(repetitions=2, source=source):
            (folder / "runs" / (run["run"] + ".json")).write_text(json.dumps(run))
        folders.append(str(folder))
    bench_compare.main(folders + ["--out", str(tmp_path / "out")])
    printed = capsys.readouterr().out
    assert "provenance that differs (2):" in printed
    assert "variants.baseline.source: a=/src/one; b=/src/two" in printed
    assert (tmp_path / "out" / "compare.png").exists() and (tmp_path / "out" / "compare.csv").exists()
    assert re.search(r"^a +baseline +1x1 +2/2", printed, re.M)


def _floor(leader_us=40.0, other_us=60.0, lost=0):
    return {"bytes": 100, "round_trips": 200, "leader": "replica0", "pairs": [
        {"client": "client0", "replica": "replica0", "bytes": 100, "round_trips": 200, "lost": lost,
         "rtt_ns": [1000 * (leader_us + (i % 10)) for i in range(200)]},
        {"client": "client0", "replica": "replica1", "bytes": 100, "round_trips": 200, "lost": 0,
         "rtt_ns": [1000 * (other_us + (i % 10)) for i in range(200)]}]}


def test_the_floor_gives_each_pair_and_each_cell_in_round_trips_of_the_leaders():
    runs = _runs(repetitions=7)
    summary = report.summarise(runs, confidence=0.95, floor=_floor(lost=2))
    pairs = summary["floor"]["pairs"]
    assert [(p["replica"], p["median"]["median"], p["p99_us"], p["lost"]) for p in pairs] == [
        ("replica0", 44.5, 49.0, 2), ("replica1", 64.5, 69.0, 0)]
    assert summary["floor"]["leader_median"]["median"] == 44.5
    cell = summary["cells"][0]
    assert cell["p50_floors"]["median"] == pytest.approx(cell["p50"]["median"] / 44.5)
    assert cell["p50_floors"]["holds"] and cell["p50_floors"]["low"] < cell["p50_floors"]["median"] < cell["p50_floors"]["high"]
    text = report.table(summary, runs)
    assert "  client0 -> replica0: 44.5 [" in text and ", p99 49.0, 2 lost" in text
    assert "median latency in round trips of the floor (client -> leader replica0, 44.5 us;" in text
    assert max(len(line) for line in text.splitlines()) <= report.WIDTH
    data = report.summary_data(summary)
    assert "leader_samples_us" not in data["floor"] and data["cells"][0]["p50_floors"]["median"] > 1


def test_without_a_floor_the_report_has_no_floor_section_and_a_bad_floor_is_refused(tmp_path):
    runs = _runs(repetitions=2)
    summary = report.summarise(runs, confidence=0.5)
    assert summary["floor"] is None and summary["cells"][0]["p50_floors"] is None
    assert "network floor" not in report.table(summary, runs)
    assert report.load_floor(str(tmp_path)) is None
    (tmp_path / "floor.json").write_text(json.dumps({"pairs": [{"client": "client0", "rtt_ns": [1]}]}))
    with pytest.raises(report.ReportError, match="lacks client, replica or round trips"):
        report.load_floor(str(tmp_path))


def test_the_unreplicated_bound_reads_every_other_cell_as_a_fraction_and_is_compared_with_nothing():
    runs = _runs(repetitions=7)
    for run in runs:
        run["replicas"] = ["replica0", "replica1", "replica2"]
    bound = []
    for run in [r for r in runs if r["variant"] == "baseline"]:
        copy = json.loads(json.dumps(run))
        copy.update(variant="bound", unreplicated=True, replicas=["replica0"], order=run["order"] + 100,
                    run=run["run"].replace("baseline", "bound"))
        copy["result"]["throughput_rps"] = run["result"]["throughput_rps"] * 2.0
        bound.append(copy)
    runs = runs + bound
    summary = report.summarise(runs, confidence=0.95)
    # The default comparison leaves the bound out; the bound section has both other cells.
    assert [(c["variant"], c["reference"]) for c in summary["comparisons"]] == [("electrode", "baseline")]
    assert [(b["variant"], b["bound"]) for b in summary["bound"]] == [("baseline", "bound"), ("electrode", "bound")]
    baseline = summary["bound"][0]["throughput"]
    assert baseline["ratio"] == pytest.approx(0.5) and baseline["low"] <= 0.5 <= baseline["high"]
    assert summary["bound"][0]["confidence"] == pytest.approx(0.975)
    cells = dict((c["variant"], c) for c in summary["cells"])
    assert cells["bound"]["replicas"] == 1 and cells["bound"]["unreplicated"] and cells["baseline"]["replicas"] == 3
    assert cells["baseline"]["bound_throughput"]["median"] == pytest.approx(0.5)
    text = report.table(summary, runs)
    assert "distance to the unreplicated bound (bound: one server, f=0, on the leader's node;" in text
    # Every bound run excluded: no pair, no fraction, and the report is still written.
    for run in bound:
        run.update(valid=False, invalid_reasons=["client0 resent 1 request(s) after a timeout"])
    lost = report.summarise(runs, confidence=0.95)
    assert [b["throughput"]["ratio"] for b in lost["bound"]] == [None, None]
    assert [c.get("bound_throughput") for c in lost["cells"]] == [None, None, None]
    assert "  baseline 1x1: throughput - of the bound's, median latency -" in report.table(lost, runs)
    assert "  baseline 1x1: throughput 0.50 [" in text and "1 (bound)" in text
    assert max(len(line) for line in text.splitlines()) <= report.WIDTH


def test_profiles_are_in_the_table_and_the_page_with_their_flame_graph_or_why_missing(tmp_path):
    results = tmp_path / "20261205T000000Z-profiled"
    (results / "runs").mkdir(parents=True)
    (results / "profiles").mkdir()
    for run in _runs(repetitions=2):
        (results / "runs" / (run["run"] + ".json")).write_text(json.dumps(run))
    top_self = [{"symbol": "__sys_sendto", "object": "[kernel.kallsyms]", "samples": 40, "share": 0.4},
                {"symbol": "VRReplica::HandleRequest(<msg>&)", "object": "replica", "samples": 10, "share": 0.1}]
    top_total = [{"symbol": "main", "object": "replica", "samples": 100, "share": 1.0},
                 {"symbol": "VRReplica::HandleRequest(<msg>&)", "object": "replica", "samples": 60, "share": 0.6}]
    (results / "profiles" / "profiles.json").write_text(json.dumps([
        {"variant": "electrode", "host": "replica1", "role": "follower", "where": None, "frequency": 499,
         "throughput_rps": 1200.0, "reason": "perf on replica1: perf: command not found", "samples": 0,
         "top_self": [], "top_total": [], "profile": None, "loader": None},
        {"variant": "baseline", "host": "replica0", "role": "leader", "where": "node", "frequency": 499,
         "throughput_rps": 1000.0, "reason": None, "samples": 10, "top_self": top_self[:1], "top_total": [],
         "profile": "baseline-replica0.perf.txt", "loader": "baseline-replica0.js"},
        {"variant": "electrode", "host": "replica0", "role": "leader", "where": "host", "frequency": 499,
         "throughput_rps": 1200.0, "reason": None, "samples": 100, "top_self": top_self, "top_total": top_total,
         "profile": "electrode-replica0.perf.txt", "loader": "electrode-replica0.js"},
        {"host": "no variant: left out"}]))
    text, summary = write_report(str(results), TEMPLATE)
    # In the experiment's variant order, each variant's leader first.
    assert [(p["variant"], p["host"]) for p in summary["profiles"]] == [
        ("baseline", "replica0"), ("electrode", "replica0"), ("electrode", "replica1")]
    assert "profiles: one extra run per variant, not counted" in text
    assert ("  electrode replica0 (leader, perf on the lab's host, 100 samples, 1200 req/s under perf): "
            "40.0% __sys_sendto (kernel), 10.0% VRReplica::HandleRequest(<msg>&) (replica)") in text.replace("\n    ", " ")
    assert "  electrode replica1 (follower): no profile: perf on replica1: perf: command not found" in text
    assert max(len(line) for line in text.splitlines()) <= report.WIDTH
    page = (results / "report.html").read_text()
    assert '<a href="profiles/electrode-replica0.html">flame graph</a>' in page
    # Each symbol's share where samples were taken and under it (from the total's list); escaped.
    assert "<td>VRReplica::HandleRequest(&lt;msg&gt;&amp;)</td><td>replica</td><td>10.0%</td><td>60.0%</td>" in page
    assert "<td>__sys_sendto</td><td>[kernel.kallsyms]</td><td>40.0%</td><td>40.0%</td>" in page
    assert "No profile: perf on replica1: perf: command not found" in page
    assert json.loads((results / "summary.json").read_text())["profiles"][1]["samples"] == 100
    assert "  baseline replica0 (leader, perf on the node, 10 samples, 1000 req/s under perf): 40.0% __sys_sendto" in text.replace("\n    ", " ")
    assert report.load_profiles(str(tmp_path)) == []
