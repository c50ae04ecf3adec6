# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resuming an incomplete experiment (module_utils/bench_resume.py): which runs remain, and which
settings or clusters cannot resume it, named."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.bench import cell_order, load_points
from ansible_collections.electrode.cluster.plugins.module_utils.bench_resume import (
    experiment_record,
    not_done,
    remaining_runs,
    resume_problems,
)

VARIANTS = [{"name": "baseline", "features": [], "accelerated": False},
            {"name": "electrode", "features": ["FAST_REPLY"], "accelerated": True, "source_path": "/src/E"}]
SETTINGS = {"bench_name": "demo", "bench_variants": VARIANTS, "bench_repetitions": 3}
REPLICAS = ["replica0", "replica1", "replica2"]


def record():
    order = cell_order(["baseline", "electrode"], load_points([1, 2], 1), 3)
    return experiment_record(SETTINGS, REPLICAS, 1, order, "vr")


def run(planned, valid=True):
    return {"variant": planned["variant"], "threads": planned["threads"], "client_nodes": planned["clients"],
            "repetition": planned["repetition"], "order": planned["order"], "valid": valid, "result": {} if valid else None}


def test_the_record_numbers_the_plan():
    planned = record()
    assert len(planned["order"]) == 12 and [r["order"] for r in planned["order"]] == list(range(1, 13))
    assert planned["loads"] == [(1, 1), (2, 1)] and planned["status"] == "running"
    assert planned["variants"][1] == {"name": "electrode", "features": ["FAST_REPLY"], "accelerated": True,
                                      "source": {"source_path": "/src/E"}}


def test_what_remains_after_a_stop_and_an_excluded_run():
    planned = record()
    # Runs 1-5 done, run 3 excluded; the node was lost during run 6, which is kept but excluded.
    runs = [run(p, valid=p["order"] not in (3, 6)) for p in planned["order"][:6]]
    remaining = remaining_runs(planned, runs)
    # Run 3 and 6 again (their repetitions pair with the others'), then every run not done, in the plan's order.
    assert [(r["variant"], r["threads"], r["repetition"]) for r in remaining] == [
        (p["variant"], p["threads"], p["repetition"]) for p in planned["order"] if p["order"] in (3, 6) or p["order"] > 6]
    assert [r["order"] for r in remaining] == list(range(7, 7 + 8))
    assert len(not_done(planned, runs)) == 6
    # Everything kept: nothing remains.
    assert remaining_runs(planned, [run(p) for p in planned["order"]]) == []


def test_a_folder_of_other_settings_or_another_cluster_is_named():
    planned = record()
    other = dict(SETTINGS, bench_repetitions=5, bench_variants=[
        VARIANTS[0], dict(VARIANTS[1], features=["FAST_REPLY", "TC_BROADCAST"], source_path="/src/other")])
    problems = resume_problems(planned, other, ["replica0", "replica1", "replica3"], 1, "vr", [(1, 1)], "results/x")
    assert problems == [
        "bench_resume: variant electrode ran with flags ['FAST_REPLY'] in results/x, not ['FAST_REPLY', 'TC_BROADCAST']: "
        "resume it with the same bench_variants.",
        "bench_resume: variant electrode ran with source {'source_path': '/src/E'} in results/x, not "
        "{'source_path': '/src/other'}: resume it with the same bench_variants.",
        "bench_resume: results/x asked for bench_repetitions 3, not 5.",
        "bench_resume: results/x ran the load points (threads x client nodes) 1x1, 2x1, not 1x1: set bench_threads and "
        "bench_clients as it did.",
        "bench_resume: results/x ran on replicas replica0, replica1, replica2 (f=1), this cluster has replica0, replica1, "
        "replica3 (f=1): resume it on the same cluster."]
    assert resume_problems(planned, SETTINGS, REPLICAS, 1, "vr", [(1, 1), (2, 1)]) == []
    assert resume_problems(planned, dict(SETTINGS, bench_variants=VARIANTS[:1]), REPLICAS, 1, "vr", [(1, 1), (2, 1)], "r") == [
        "bench_resume: r ran bench_variants baseline, electrode; this run asks for baseline: resume it with the same variants."]


def test_a_folder_without_a_record_or_complete_is_named():
    assert resume_problems(None, SETTINGS, REPLICAS, 1, "vr", [(1, 1)], "results/y")[0].startswith(
        "bench_resume: results/y is not a results folder of bench.yml (it has no experiment.json)")
    done = dict(record(), status="complete")
    assert resume_problems(done, SETTINGS, REPLICAS, 1, "vr", [(1, 1), (2, 1)], "results/z") == [
        "bench_resume: results/z is a complete experiment: every cell has its runs, nothing is left to run."]
