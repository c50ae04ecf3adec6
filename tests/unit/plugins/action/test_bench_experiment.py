# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench_experiment action on a results folder: a plan recorded, an experiment stopped on a
lost node finished as incomplete, resumed with only the runs it lacks, and refused where the
settings differ."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

from ansible_collections.electrode.cluster.plugins.action.bench_experiment import ActionModule, read_record
from ansible_collections.electrode.cluster.plugins.module_utils.bench import cell_order, load_points

VARIANTS = [{"name": "baseline", "features": [], "accelerated": False},
            {"name": "electrode", "features": ["FAST_REPLY"], "accelerated": True}]
SETTINGS = {"bench_name": "demo", "bench_variants": VARIANTS, "bench_repetitions": 2}
CLUSTER = {"replicas": ["replica0", "replica1", "replica2"], "f": 1, "protocol": "vr"}


def act(**args):
    task = mock.MagicMock()
    task.args = args
    task.check_mode = False
    task.async_val = 0
    action = ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


def write_run(results, planned, valid=True):
    run = {"run": "%02d" % planned["order"], "variant": planned["variant"], "threads": planned["threads"],
           "client_nodes": planned["clients"], "repetition": planned["repetition"], "order": planned["order"],
           "valid": valid, "result": {"throughput_rps": 1.0} if valid else None}
    (results / "runs" / ("%02d.json" % planned["order"])).write_text(json.dumps(run))


def test_plan_stop_finish_and_resume(tmp_path):
    (tmp_path / "runs").mkdir()
    order = cell_order(["baseline", "electrode"], load_points(1, 1), 2)
    planned = act(results=str(tmp_path), state="planned", settings=SETTINGS, order=order, **CLUSTER)
    assert planned["invocation_number"] == 1 and [r["order"] for r in planned["order"]] == [1, 2, 3, 4]
    assert read_record(str(tmp_path))["status"] == "running"
    # Run 1 kept, run 2 lost its node (kept, excluded); then the bench stopped.
    write_run(tmp_path, planned["order"][0])
    write_run(tmp_path, planned["order"][1], valid=False)
    finished = act(results=str(tmp_path), state="finished", incomplete="replica2 did not answer again")
    assert finished["status"] == "incomplete: replica2 did not answer again"
    assert finished["not_done"] == ["electrode 1x1 r2", "baseline 1x1 r2"]
    resumed = act(results=str(tmp_path), state="resumed", settings=SETTINGS, loads=[[1, 1]], **CLUSTER)
    assert resumed["invocation_number"] == 2
    assert [(r["variant"], r["repetition"], r["order"]) for r in resumed["order"]] == [
        ("electrode", 1, 3), ("electrode", 2, 4), ("baseline", 2, 5)]
    for run in resumed["order"]:
        write_run(tmp_path, run)
    assert act(results=str(tmp_path), state="finished")["status"] == "complete"
    refused = act(results=str(tmp_path), state="resumed", settings=SETTINGS, loads=[[1, 1]], **CLUSTER)
    assert refused["failed"] is True and "is a complete experiment" in refused["msg"]


def test_resume_of_other_settings_or_no_experiment_is_refused_before_any_run(tmp_path):
    (tmp_path / "runs").mkdir()
    order = cell_order(["baseline", "electrode"], load_points(1, 1), 2)
    act(results=str(tmp_path), state="planned", settings=SETTINGS, order=order, **CLUSTER)
    other = dict(SETTINGS, bench_variants=[VARIANTS[0], dict(VARIANTS[1], features=["TC_BROADCAST"])])
    refused = act(results=str(tmp_path), state="resumed", settings=other, loads=[[1, 1]], **CLUSTER)
    assert refused["failed"] is True and "variant electrode ran with flags ['FAST_REPLY']" in refused["msg"]
    assert read_record(str(tmp_path))["invocations"] == read_record(str(tmp_path))["invocations"][:1]
    nothing = act(results=str(tmp_path / "nope"), state="resumed", settings=SETTINGS, loads=[[1, 1]], **CLUSTER)
    assert nothing["failed"] is True and "has no experiment.json" in nothing["msg"]
