# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When the replicas must all restart: after one of them restarted alone, or all of them but not
all by the role's run; never after a common start, and never in a steady cluster."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.services import replica_restart_plan

REPLICAS = ["replica0", "replica1", "replica2"]
START = {"replica0": "a0", "replica1": "b0", "replica2": "c0"}


def every_node_has(record):
    return dict((r, dict(record)) for r in REPLICAS)


def test_steady_cluster_is_in_step_and_keeps_its_record():
    plan = replica_restart_plan(every_node_has(START), START, REPLICAS)
    assert plan == {"in_step": True, "restarted": [], "record": START,
                    "reason": "no replica restarted since the last common start"}


def test_one_replica_restarted_by_systemd_needs_a_common_restart():
    now = dict(START, replica0="a1")
    plan = replica_restart_plan(every_node_has(START), now, REPLICAS)
    assert (plan["in_step"], plan["restarted"], plan["record"]) == (False, ["replica0"], now)
    assert plan["reason"] == ("replica0 restarted alone since the last common start, while replica1, "
                              "replica2 kept running")


def test_every_replica_started_by_this_run_is_one_start():
    now = {"replica0": "a1", "replica1": "b1", "replica2": "c1"}
    plan = replica_restart_plan(every_node_has(START), now, REPLICAS, REPLICAS)
    assert (plan["in_step"], plan["restarted"], plan["record"]) == (True, REPLICAS, now)
    assert plan["reason"] == "this run started every replica"


def test_every_replica_restarted_on_its_own_is_not_one_start():
    # Each replica crashed and systemd restarted it, at its own moment: no run started them.
    now = {"replica0": "a1", "replica1": "b1", "replica2": "c1"}
    plan = replica_restart_plan(every_node_has(START), now, REPLICAS)
    assert (plan["in_step"], plan["restarted"], plan["record"]) == (False, REPLICAS, now)
    assert plan["reason"] == ("every replica started since the last common start, but not together: "
                              "replica0, replica1, replica2 restarted on their own")


def test_a_replica_started_by_the_run_while_the_others_crashed_is_not_one_start():
    # Measured with Electrode_io: the run starts replica2 again; it asks its peers for a state
    # transfer, they abort sending it and systemd restarts them a second later.
    now = {"replica0": "a1", "replica1": "b1", "replica2": "c1"}
    plan = replica_restart_plan(every_node_has(START), now, REPLICAS, ["replica2"])
    assert (plan["in_step"], plan["restarted"]) == (False, REPLICAS)
    assert plan["reason"] == ("every replica started since the last common start, but not together: "
                              "replica0, replica1 restarted on their own, replica2 in this run")
    plan = replica_restart_plan(every_node_has(START), now, REPLICAS, ["replica0", "replica2"])
    assert plan["reason"].endswith("not together: replica1 restarted on its own, replica0, replica2 in this run")


def test_a_run_that_starts_some_replicas_only_needs_a_common_restart():
    now = dict(START, replica2="c1")
    plan = replica_restart_plan(every_node_has(START), now, REPLICAS, ["replica2"])
    assert (plan["in_step"], plan["restarted"]) == (False, ["replica2"])
    assert plan["reason"].startswith("replica2 restarted alone since the last common start")


def test_a_start_by_this_run_that_changed_nothing_keeps_the_cluster_in_step():
    # The run's start task reported a change but every InvocationID is the recorded one.
    assert replica_restart_plan(every_node_has(START), START, REPLICAS, REPLICAS)["in_step"]


def test_a_rebooted_node_has_no_record_and_is_caught_by_the_others():
    now = dict(START, replica1="b1")
    records = every_node_has(START)
    records["replica1"] = None
    plan = replica_restart_plan(records, now, REPLICAS)
    assert (plan["in_step"], plan["restarted"]) == (False, ["replica1"])


def test_without_any_record_the_replicas_are_one_start():
    plan = replica_restart_plan(dict((r, None) for r in REPLICAS), START, REPLICAS)
    assert (plan["in_step"], plan["record"]) == (True, START)
    assert "no replica has a record" in plan["reason"]
    assert replica_restart_plan({}, START, REPLICAS)["in_step"]


def test_records_that_differ_mean_a_common_restart():
    records = every_node_has(START)
    records["replica2"] = dict(START, replica0="a9")
    plan = replica_restart_plan(records, START, REPLICAS)
    assert not plan["in_step"] and plan["restarted"] == REPLICAS
    assert "differ" in plan["reason"]


def test_a_grown_cluster_counts_new_replicas_as_started():
    replicas = REPLICAS + ["replica3", "replica4"]
    records = dict((r, START if r in START else None) for r in replicas)
    now = {"replica0": "a1", "replica1": "b1", "replica2": "c1", "replica3": "d0", "replica4": "e0"}
    assert replica_restart_plan(records, now, replicas, replicas)["in_step"]
    now["replica0"] = "a0"
    assert replica_restart_plan(records, now, replicas, replicas)["restarted"] == ["replica1", "replica2", "replica3", "replica4"]


def test_an_inactive_replica_is_an_error_naming_it():
    with pytest.raises(ValueError, match="no InvocationID for replica1"):
        replica_restart_plan(every_node_has(START), dict(START, replica1=""), REPLICAS)
