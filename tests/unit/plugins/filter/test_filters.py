# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters are thin wrappers: check that each is registered under its documented name and
turns ValueError into AnsibleFilterError where it raises."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.filter import (
    cluster_model,
    cluster_shape_problems,
    experiment_interface,
    lab_network_problems,
    lab_nodes,
    normalize_mac,
)


def filter_named(module, name):
    filters = module.FilterModule().filters()
    assert list(filters) == [name]
    return filters[name]


def test_normalize_mac_filter():
    normalize = filter_named(normalize_mac, "normalize_mac")
    assert normalize("02A0C9000101") == "02:a0:c9:00:01:01"
    with pytest.raises(AnsibleFilterError, match="normalize_mac: 'nope' is not a MAC address"):
        normalize("nope")


def test_lab_nodes_filter():
    nodes = filter_named(lab_nodes, "lab_nodes")
    assert [n["name"] for n in nodes("10.10.1.0/24", 5, 1)] == [
        "replica0", "replica1", "replica2", "replica3", "replica4", "client0"]
    with pytest.raises(AnsibleFilterError, match="lab_nodes: 5 nodes do not fit"):
        nodes("10.10.1.0/30", 3, 2)


def test_experiment_interface_filter_keyword_arguments():
    find = filter_named(experiment_interface, "experiment_interface")
    facts = {"interfaces": ["host0"], "host0": {"macaddress": "02:00:00:00:00:01", "mtu": 3000,
                                                "ipv4": {"address": "10.10.1.1"}}}
    found = find(facts, subnet="10.10.1.0/24", host="replica0")
    assert (found["interface"], found["problems"]) == ("host0", [])


def test_cluster_model_filter():
    model = filter_named(cluster_model, "cluster_model")
    nodes = {h: {"address": "10.10.1.%d" % i, "mac": "02:00:00:00:00:0%d" % i, "interface": "host0"}
             for i, h in enumerate(["a", "b", "c", "d"], 1)}
    assert model(nodes, ["a", "b", "c"], ["d"])["cluster_size"] == 3


def test_lab_network_problems_filter():
    check = filter_named(lab_network_problems, "lab_network_problems")
    assert check("10.10.1.0/24", "elab0", [], []) == []


def test_cluster_shape_problems_filter():
    check = filter_named(cluster_shape_problems, "cluster_shape_problems")
    assert check("3", "1", "lab_replica_count", "lab_client_count") == []
    assert check(2, 1, "lab_replica_count", "lab_client_count")[0].startswith("lab_replica_count gives 2 replica(s)")
