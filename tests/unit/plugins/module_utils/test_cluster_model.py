# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import (
    cluster_model,
    cluster_model_from_hostvars,
    cluster_shape_problems,
    experiment_interface,
    group_problems,
    normalize_mac,
)


def facts(*interfaces):
    """Gathered facts in the shape of the setup module's network subset."""
    result = {"interfaces": ["lo"] + [i["device"] for i in interfaces], "lo": {"device": "lo"}}
    for iface in interfaces:
        result[iface["device"].replace("-", "_")] = iface
    return result


def iface(name, address, mac, mtu=3000, secondaries=()):
    data = {"device": name, "macaddress": mac, "mtu": mtu, "ipv4": {"address": address, "netmask": "255.255.255.0"}}
    if secondaries:
        data["ipv4_secondaries"] = [{"address": a} for a in secondaries]
    return data


CLOUDLAB_LIKE = facts(
    iface("eno1", "198.51.100.11", "02:a0:c9:00:00:01", mtu=1500),
    iface("enp94s0f0", "10.10.1.1", "02:A0:C9:00:01:01"),
)


@pytest.mark.parametrize(
    "spelling",
    ["02a0c9000101", "02:A0:C9:00:01:01", "02-a0-c9-00-01-01", "02a0.c900.0101", " 02:a0:c9:00:01:01 "],
)
def test_normalize_mac_accepts_common_spellings(spelling):
    assert normalize_mac(spelling) == "02:a0:c9:00:01:01"


@pytest.mark.parametrize("bad", ["", "02:a0:c9:00:01", "zz:a0:c9:00:01:01", "02a0c900010101", None, 12])
def test_normalize_mac_rejects_non_macs(bad):
    with pytest.raises(ValueError):
        normalize_mac(bad)


def test_interface_found_by_subnet_with_mac_from_facts():
    found = experiment_interface(CLOUDLAB_LIKE, subnet="10.10.1.0/24", host="node0")
    assert found == {
        "interface": "enp94s0f0",
        "address": "10.10.1.1",
        "mac": "02:a0:c9:00:01:01",
        "mtu": 3000,
        "problems": [],
    }


def test_interface_found_by_given_address_and_secondary_address():
    host = facts(iface("eth1", "10.10.2.7", "02:00:00:00:00:07", secondaries=["10.10.1.7"]))
    found = experiment_interface(host, subnet="10.10.1.0/24", address="10.10.1.7")
    assert found["interface"] == "eth1" and found["address"] == "10.10.1.7"


def test_interface_names_with_dashes_are_looked_up_like_the_setup_module_stores_them():
    host = facts(iface("vb-x", "10.10.1.5", "02:00:00:00:00:05"))
    assert experiment_interface(host, subnet="10.10.1.0/24")["interface"] == "vb-x"


def test_expected_mac_must_match_the_facts():
    found = experiment_interface(CLOUDLAB_LIKE, subnet="10.10.1.0/24", mac="02a0c9000199", host="node0")
    assert found["interface"] is None
    assert found["problems"] == [
        "node0: electrode_experiment_mac is 02:a0:c9:00:01:99 but interface enp94s0f0 (10.10.1.1) has MAC "
        "02:a0:c9:00:01:01: the inventory describes another machine or NIC; fix electrode_experiment_mac "
        "or the address."
    ]


def test_malformed_mac_names_the_variable():
    found = experiment_interface(CLOUDLAB_LIKE, subnet="10.10.1.0/24", mac="02:a0:c9", host="node0")
    assert found["problems"] == ["node0: electrode_experiment_mac: '02:a0:c9' is not a MAC address."]


def test_unknown_interface_lists_the_real_ones():
    found = experiment_interface(CLOUDLAB_LIKE, subnet="10.10.1.0/24", interface="eth1", host="node0")
    assert found["problems"] == [
        "node0: electrode_experiment_interface 'eth1' does not exist on the host (it has: eno1, enp94s0f0)."
    ]


def test_no_address_in_subnet_says_what_the_host_has():
    found = experiment_interface(CLOUDLAB_LIKE, subnet="10.10.9.0/24", host="node0")
    assert len(found["problems"]) == 1
    assert "node0: no interface has an address in 10.10.9.0/24" in found["problems"][0]
    assert "enp94s0f0 10.10.1.1" in found["problems"][0]


def test_ip_outside_subnet_is_refused():
    found = experiment_interface(CLOUDLAB_LIKE, subnet="10.10.1.0/24", address="10.10.2.1", host="node0")
    assert found["problems"] == [
        "node0: electrode_experiment_ip 10.10.2.1 is outside electrode_experiment_subnet 10.10.1.0/24: fix one of them."
    ]


@pytest.mark.parametrize("subnet", ["10.10.1.0", "10.10.1.0/33", "banana", "fd00::/64"])
def test_bad_subnet_is_refused(subnet):
    found = experiment_interface(CLOUDLAB_LIKE, subnet=subnet, host="node0")
    assert found["problems"][0].startswith("node0: electrode_experiment_subnet: ")


def test_neither_subnet_nor_address():
    found = experiment_interface(CLOUDLAB_LIKE, host="node0")
    assert "neither electrode_experiment_ip nor electrode_experiment_subnet is set" in found["problems"][0]


def test_two_interfaces_in_the_subnet_need_a_pin():
    host = facts(iface("eth1", "10.10.1.1", "02:00:00:00:00:01"), iface("eth2", "10.10.1.2", "02:00:00:00:00:02"))
    found = experiment_interface(host, subnet="10.10.1.0/24", host="node0")
    assert "set electrode_experiment_interface" in found["problems"][0]
    pinned = experiment_interface(host, subnet="10.10.1.0/24", interface="eth2")
    assert pinned["address"] == "10.10.1.2" and pinned["problems"] == []


def test_missing_facts_are_reported():
    found = experiment_interface({}, subnet="10.10.1.0/24", host="node0")
    assert "gather the 'network' subset" in found["problems"][0]


def node(number, **extra):
    data = {"address": "10.10.1.%d" % number, "mac": "02:00:00:00:00:%02x" % number, "interface": "eth1"}
    data.update(extra)
    return data


def test_model_of_three_replicas_and_one_client():
    nodes = {"r0": node(1), "r1": node(2), "r2": node(3), "c0": node(4)}
    model = cluster_model(nodes, ["r0", "r1", "r2"], ["c0"])
    assert model["problems"] == []
    assert (model["f"], model["cluster_size"], model["port"]) == (1, 3, 12345)
    assert [r["host"] for r in model["replicas"]] == ["r0", "r1", "r2"]
    assert [r["index"] for r in model["replicas"]] == [0, 1, 2]
    assert model["addresses"] == ["10.10.1.1", "10.10.1.2", "10.10.1.3"]
    assert model["macs"] == ["02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"]
    assert model["clients"] == [{"host": "c0", "address": "10.10.1.4", "mac": "02:00:00:00:00:04", "interface": "eth1"}]


def test_five_replicas_give_f_two():
    nodes = dict(("r%d" % i, node(i + 1)) for i in range(5))
    nodes["c0"] = node(9)
    model = cluster_model(nodes, ["r%d" % i for i in range(5)], ["c0"])
    assert (model["f"], model["cluster_size"]) == (2, 5)


def test_replica_index_override_orders_config_and_macs():
    nodes = {"a": node(1, replica_index=2), "b": node(2, replica_index=0), "c": node(3, replica_index=1), "k": node(4)}
    model = cluster_model(nodes, ["a", "b", "c"], ["k"])
    assert model["problems"] == []
    assert [r["host"] for r in model["replicas"]] == ["b", "c", "a"]
    assert model["macs"] == ["02:00:00:00:00:02", "02:00:00:00:00:03", "02:00:00:00:00:01"]


@pytest.mark.parametrize(
    "indexes, message",
    [
        ((0, 1, None), "electrode_replica_index is set on a, b but not on c"),
        ((0, 1, 1), "must number the replicas 0..2 once each"),
        ((0, 1, 3), "must number the replicas 0..2 once each"),
        ((0, 1, "x"), "c: electrode_replica_index 'x' is not a whole number."),
    ],
)
def test_bad_replica_indexes(indexes, message):
    nodes = {h: node(n + 1, replica_index=i) for n, (h, i) in enumerate(zip("abc", indexes))}
    nodes["k"] = node(9)
    model = cluster_model(nodes, ["a", "b", "c"], ["k"])
    assert any(message in p for p in model["problems"]), model["problems"]
    assert model["replicas"] == [] and model["f"] is None


@pytest.mark.parametrize("count", [0, 1, 2, 4, 6])
def test_replica_counts_that_are_not_2f_plus_1(count):
    nodes = dict(("r%d" % i, node(i + 1)) for i in range(count))
    nodes["c0"] = node(20)
    model = cluster_model(nodes, ["r%d" % i for i in range(count)], ["c0"])
    assert model["problems"] == [
        "The inventory group 'replicas' gives %d replica(s): Electrode needs an odd number of replicas, at least 3 "
        "(2f+1: 3, 5, 7 ...)." % count
    ]


def test_cluster_shape_problems_name_where_the_counts_come_from():
    assert cluster_shape_problems(4, 0, "lab_replica_count", "lab_client_count") == [
        "lab_replica_count gives 4 replica(s): Electrode needs an odd number of replicas, at least 3 (2f+1: 3, 5, 7 ...).",
        "lab_client_count gives no client: add at least one host that runs the benchmark client.",
    ]
    assert cluster_shape_problems(7, 1, "r", "c") == []


def test_no_clients_and_overlapping_groups():
    nodes = {"r0": node(1), "r1": node(2), "r2": node(3)}
    problems = cluster_model(nodes, ["r0", "r1", "r2"], [])["problems"]
    assert problems == [
        "The inventory group 'clients' gives no client: add at least one host that runs the benchmark client."
    ]
    problems = cluster_model(nodes, ["r0", "r1", "r2"], ["r2"])["problems"]
    assert "r2 is in both groups 'replicas' and 'clients': put it in one of them." in problems


def test_duplicate_addresses_and_macs_name_the_hosts():
    nodes = {"r0": node(1), "r1": node(1), "r2": node(3), "c0": node(4, mac="02:00:00:00:00:03")}
    problems = cluster_model(nodes, ["r0", "r1", "r2"], ["c0"])["problems"]
    assert "r0, r1: electrode_experiment_ip 10.10.1.1 is shared by several hosts: every node needs its own." in problems
    assert "r2, c0: electrode_experiment_mac 02:00:00:00:00:03 is shared by several hosts: every node needs its own." in problems


def test_hosts_without_an_interface_are_named():
    nodes = {"r0": node(1), "r1": {"address": None}, "r2": node(3), "c0": node(4)}
    problems = cluster_model(nodes, ["r0", "r1", "r2"], ["c0"])["problems"]
    assert problems == ["r1: no experiment interface was found for this host (see the problems above)."]


def test_problems_name_the_groups_the_model_was_called_with():
    nodes = {"r0": node(1), "r1": node(2), "k": node(3)}
    problems = cluster_model(nodes, ["r0", "r1"], ["r1"], "paxos", "load")["problems"]
    assert "The inventory group 'paxos' gives 2 replica(s): Electrode needs an odd number of replicas, at least 3 " \
        "(2f+1: 3, 5, 7 ...)." in problems
    assert "r1 is in both groups 'paxos' and 'load': put it in one of them." in problems
    assert not any("'replicas'" in p or "'clients'" in p for p in problems)


def test_group_problems_before_any_fact():
    groups = {"all": ["a", "b", "c", "d"], "paxos": ["a", "b", "c"], "load": ["d"]}
    assert group_problems(groups, "paxos", "load") == []
    assert group_problems(groups) == [
        "The inventory group 'replicas' gives 0 replica(s): Electrode needs an odd number of replicas, at least 3 "
        "(2f+1: 3, 5, 7 ...).",
        "The inventory group 'clients' gives no client: add at least one host that runs the benchmark client.",
    ]


def test_model_from_hostvars_reads_each_hosts_node_and_index():
    hostvars = {
        "a": {"electrode_node": node(1), "electrode_replica_index": 1},
        "b": {"electrode_node": node(2), "electrode_replica_index": 2},
        "c": {"electrode_node": node(3), "electrode_replica_index": 0},
        "d": {"electrode_node": node(4)},
        "elsewhere": {"electrode_node": node(9)},
    }
    groups = {"paxos": ["a", "b", "c"], "load": ["d"]}
    model = cluster_model_from_hostvars(hostvars, groups, "paxos", "load")
    assert model["problems"] == []
    assert [r["host"] for r in model["replicas"]] == ["c", "a", "b"]
    assert [c["host"] for c in model["clients"]] == ["d"]


def test_model_from_hostvars_names_a_host_without_facts():
    hostvars = {"a": {"electrode_node": node(1)}, "b": {"electrode_node": node(2)}, "d": {"electrode_node": node(4)}}
    model = cluster_model_from_hostvars(hostvars, {"replicas": ["a", "b", "c"], "clients": ["d"]})
    assert model["problems"] == ["c: no experiment interface was found for this host (see the problems above)."]


def test_the_build_host_defaults_to_replica_zero_and_must_be_in_the_cluster():
    nodes = {"a": node(1, replica_index=1), "b": node(2, replica_index=0), "c": node(3, replica_index=2), "k": node(4)}
    assert cluster_model(nodes, ["a", "b", "c"], ["k"])["build_host"] == "b"
    assert cluster_model(nodes, ["a", "b", "c"], ["k"], build_host="k")["build_host"] == "k"
    problems = cluster_model(nodes, ["a", "b", "c"], ["k"], build_host="builder")["problems"]
    assert problems == [
        "electrode_build_host 'builder' is neither a replica nor a client of this inventory: set it to one of "
        "a, b, c, k, or leave it unset for the first replica."
    ]
    hostvars = dict((h, {"electrode_node": n, "electrode_build_host": "c"}) for h, n in nodes.items())
    assert cluster_model_from_hostvars(hostvars, {"replicas": ["a", "b", "c"], "clients": ["k"]})["build_host"] == "c"
