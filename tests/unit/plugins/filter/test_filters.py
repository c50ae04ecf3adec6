# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters are thin wrappers: check that each is registered under its documented name and
turns ValueError into AnsibleFilterError where it raises."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.filter import (
    cluster_group_problems,
    cluster_model,
    experiment_interface,
    lab_network_problems,
    lab_node_paths,
    lab_plan,
    mainline_debs,
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


def test_lab_plan_filter():
    plan = filter_named(lab_plan, "lab_plan")
    assert [n["name"] for n in plan("10.10.1.0/24", 5, 1, "/s", "/r")["nodes"]] == [
        "replica0", "replica1", "replica2", "replica3", "replica4", "client0"]
    assert plan("10.10.1.0/30", 3, 2, "/s", "/r")["problems"] == [
        "lab_subnet 10.10.1.0/30 has room for 1 node(s), and the lab has 5: use a larger lab_subnet."]


def test_lab_node_paths_filter():
    paths = filter_named(lab_node_paths, "lab_node_paths")
    assert paths("client1", "/s", "/r")["launcher"] == "/s/nodes/client1/launcher.sh"


def test_experiment_interface_filter_keyword_arguments():
    find = filter_named(experiment_interface, "experiment_interface")
    facts = {"interfaces": ["host0"], "host0": {"macaddress": "02:00:00:00:00:01", "mtu": 3000,
                                                "ipv4": {"address": "10.10.1.1"}}}
    found = find(facts, subnet="10.10.1.0/24", host="replica0")
    assert (found["interface"], found["problems"]) == ("host0", [])


def test_cluster_model_filter():
    model = filter_named(cluster_model, "cluster_model")
    hostvars = {h: {"electrode_node": {"address": "10.10.1.%d" % i, "mac": "02:00:00:00:00:0%d" % i, "interface": "host0"}}
                for i, h in enumerate(["a", "b", "c", "d"], 1)}
    assert model(hostvars, {"replicas": ["a", "b", "c"], "clients": ["d"]})["cluster_size"] == 3
    assert model(hostvars, {"r": ["a", "b", "c"], "c": ["d"]}, "r", "c")["cluster_size"] == 3


def test_lab_network_problems_filter():
    check = filter_named(lab_network_problems, "lab_network_problems")
    assert check("10.10.1.0/24", "elab0", [], []) == []
    assert "a name server of the host (/etc/resolv.conf)" in check(
        "10.10.1.0/24", "elab0", [], [], {"/etc/resolv.conf": "nameserver 10.10.1.53\n"}, "")[0]


def test_cluster_group_problems_filter():
    check = filter_named(cluster_group_problems, "cluster_group_problems")
    assert check({"replicas": ["a", "b", "c"], "clients": ["d"]}) == []
    assert check({"r": ["a", "b"], "c": ["d"]}, "r", "c")[0].startswith("The inventory group 'r' gives 2 replica(s)")


def test_mainline_debs_filter():
    debs = filter_named(mainline_debs, "mainline_debs")
    checksums = "# Checksums-Sha256:\n" + "".join(
        "%s  %s_6.0.0-060000.1_%s.deb\n" % (c * 64, name, arch)
        for c, name, arch in [("a", "linux-headers-6.0.0-060000", "all"),
                              ("b", "linux-headers-6.0.0-060000-generic", "amd64"),
                              ("c", "linux-modules-6.0.0-060000-generic", "amd64"),
                              ("d", "linux-image-unsigned-6.0.0-060000-generic", "amd64")])
    assert [d["sha256"][0] for d in debs(checksums, "6.0.0")] == ["a", "b", "c", "d"]
    with pytest.raises(AnsibleFilterError, match="mainline_debs: CHECKSUMS lists no"):
        debs(checksums, "6.1.0")
