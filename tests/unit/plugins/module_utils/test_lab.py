# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.lab import (
    BRIDGE_ALIAS,
    connection_peers,
    lab_network_problems,
    lab_nodes,
    lab_plan,
    node_paths,
    resolver_addresses,
)

STATE, RUN = "/var/lib/electrode-lab", "/run/electrode-lab"


def test_lab_nodes_replicas_first_then_clients():
    nodes = lab_nodes(3, 1, "10.10.1.0/24", STATE, RUN)
    assert [(n["name"], n["group"], n["address"], n["prefix"]) for n in nodes] == [
        ("replica0", "replicas", "10.10.1.1", 24),
        ("replica1", "replicas", "10.10.1.2", 24),
        ("replica2", "replicas", "10.10.1.3", 24),
        ("client0", "clients", "10.10.1.4", 24),
    ]


def test_each_node_carries_its_paths_and_process_patterns():
    client = lab_nodes(3, 1, "10.10.1.0/24", STATE + "/", RUN)[3]
    assert client == dict(node_paths("client0", STATE, RUN), group="clients", address="10.10.1.4", prefix=24)
    assert client["root"] == "/var/lib/electrode-lab/nodes/client0/root"
    assert client["bpffs"] == "/run/electrode-lab/client0/bpffs"
    assert client["veth"] == "vb-client0"
    assert client["launcher_pattern"] == "/bin/bash /var/lib/electrode-lab/nodes/client0/launcher.sh"
    assert client["nspawn_pattern"] == "systemd-nspawn .*--directory=/var/lib/electrode-lab/nodes/client0/root "


def test_lab_nodes_must_fit_the_subnet():
    assert len(lab_nodes(3, 2, "10.10.1.0/29", STATE, RUN)) == 5
    with pytest.raises(ValueError, match=r"lab_subnet 10.10.1.0/29 has room for 5 node\(s\), and the lab has 6"):
        lab_nodes(5, 1, "10.10.1.0/29", STATE, RUN)


def test_plan_gives_the_host_the_last_usable_address():
    plan = lab_plan("10.10.1.0/24", 3, 1, STATE, RUN)
    assert plan["problems"] == []
    assert (plan["network"], plan["prefix"], plan["host_address"]) == ("10.10.1.0/24", 24, "10.10.1.254")
    assert plan["bridge_alias"] == BRIDGE_ALIAS
    assert [n["name"] for n in plan["nodes"]] == ["replica0", "replica1", "replica2", "client0"]
    assert lab_plan("10.9.0.7/16", 3, 1, STATE, RUN)["network"] == "10.9.0.0/16"


@pytest.mark.parametrize(
    "subnet, replicas, clients, message",
    [
        ("10.10.1.0/24", 4, 1, "lab_replica_count gives 4 replica(s): Electrode needs an odd number"),
        ("10.10.1.0/24", 3, 0, "lab_client_count gives no client"),
        ("10.10.1.0/30", 3, 1, "lab_subnet 10.10.1.0/30 has room for 1 node(s), and the lab has 4: use a larger lab_subnet."),
        ("10.10.1.0", 3, 1, "lab_subnet: '10.10.1.0' is not an IPv4 subnet in CIDR form"),
        ("10.10.1.0/24", "three", 1, "lab_replica_count='three' and lab_client_count=1 must be whole numbers."),
    ],
)
def test_plan_problems_name_the_variable(subnet, replicas, clients, message):
    plan = lab_plan(subnet, replicas, clients, STATE, RUN)
    assert any(message in p for p in plan["problems"]), plan["problems"]
    assert plan["nodes"] == []


def link(name, addresses=(), kind=None, alias=None):
    data = {"ifname": name, "addr_info": [{"family": "inet", "local": a, "prefixlen": p} for a, p in addresses]}
    if kind:
        data["linkinfo"] = {"info_kind": kind}
    if alias:
        data["ifalias"] = alias
    return data


HOST_LINKS = [link("lo", [("127.0.0.1", 8)]), link("eth0", [("192.0.2.2", 24)])]
HOST_ROUTES = [
    {"dst": "default", "gateway": "192.0.2.1", "dev": "eth0"},
    {"dst": "192.0.2.0/24", "dev": "eth0"},
    {"type": "local", "dst": "127.0.0.1", "dev": "lo", "table": "local"},
]


def test_lab_network_free():
    assert lab_network_problems("10.10.1.0/24", "elab0", HOST_LINKS, HOST_ROUTES) == []


def test_lab_network_reuses_its_own_bridge():
    links = HOST_LINKS + [link("elab0", [("10.10.1.254", 24)], kind="bridge", alias="electrode-lab")]
    routes = HOST_ROUTES + [{"dst": "10.10.1.0/24", "dev": "elab0"}]
    assert lab_network_problems("10.10.1.0/24", "elab0", links, routes) == []


def test_a_previous_lab_bridge_under_another_name_is_the_labs_own():
    links = HOST_LINKS + [link("elab9", [("10.10.1.254", 24)], kind="bridge", alias="electrode-lab")]
    routes = HOST_ROUTES + [{"dst": "10.10.1.0/24", "dev": "elab9"}]
    assert lab_network_problems("10.10.1.0/24", "elab0", links, routes) == []


def test_lab_network_refuses_a_foreign_link_of_the_same_name():
    links = HOST_LINKS + [link("elab0", kind="dummy")]
    problems = lab_network_problems("10.10.1.0/24", "elab0", links, HOST_ROUTES)
    assert problems == ["lab_bridge elab0 already exists on this host and is not the lab's (dummy): choose another lab_bridge."]
    links = HOST_LINKS + [link("elab0", kind="bridge")]
    assert "is not the lab's (bridge)" in lab_network_problems("10.10.1.0/24", "elab0", links, HOST_ROUTES)[0]


def test_lab_network_refuses_overlapping_addresses_and_routes():
    problems = lab_network_problems("192.0.2.0/25", "elab0", HOST_LINKS, HOST_ROUTES)
    assert "lab_subnet 192.0.2.0/25 overlaps 192.0.2.2/24 on the host's interface eth0: choose another lab_subnet." in problems
    assert "lab_subnet 192.0.2.0/25 overlaps the host's route to 192.0.2.0/24 via eth0: choose another lab_subnet." in problems
    routes = HOST_ROUTES + [{"dst": "10.0.0.0/8", "gateway": "192.0.2.9", "dev": "eth0"}]
    assert lab_network_problems("10.10.1.0/24", "elab0", HOST_LINKS, routes) == [
        "lab_subnet 10.10.1.0/24 overlaps the host's route to 10.0.0.0/8 via eth0: choose another lab_subnet."
    ]


def test_a_gateway_reached_through_the_default_route_is_refused():
    # A gateway on a point-to-point or onlink route need not sit in any subnet of the host's.
    routes = [{"dst": "default", "gateway": "100.64.7.1", "dev": "eth0", "flags": ["onlink"]},
              {"dst": "203.0.113.0/24", "nexthops": [{"gateway": "100.64.9.1", "dev": "eth0"}]}]
    problems = lab_network_problems("100.64.0.0/16", "elab0", HOST_LINKS, routes)
    assert "lab_subnet 100.64.0.0/16 contains 100.64.7.1, the host's gateway for default (dev eth0): the host " \
        "would lose it behind the lab bridge; choose another lab_subnet." in problems
    assert any("contains 100.64.9.1, the host's gateway for 203.0.113.0/24" in p for p in problems)


RESOLV_CONF = """# Generated
search example.org
nameserver 10.255.255.53
nameserver fd00::53
; old
nameserver fe80::1%eth0
options edns0
"""


def test_resolver_addresses_from_resolv_conf_resolved_and_dnsmasq():
    assert resolver_addresses(RESOLV_CONF) == ["10.255.255.53", "fd00::53", "fe80::1"]
    assert resolver_addresses("nameserver 127.0.0.53\noptions trust-ad\n") == ["127.0.0.53"]
    dnsmasq = "# upstreams\nserver=10.20.0.1\nserver=/corp.example/10.20.0.2#5353\nserver=/local/\nno-resolv\n"
    assert resolver_addresses(dnsmasq) == ["10.20.0.1", "10.20.0.2"]
    assert resolver_addresses("") == [] and resolver_addresses(None) == []


def test_a_name_server_in_the_subnet_is_refused_and_named():
    # The case that cut a host off: its name server sits behind the default route.
    problems = lab_network_problems(
        "10.255.255.0/24", "elab0", HOST_LINKS, HOST_ROUTES, {"/etc/resolv.conf": RESOLV_CONF}
    )
    assert problems == [
        "lab_subnet 10.255.255.0/24 contains 10.255.255.53, a name server of the host (/etc/resolv.conf): the host "
        "would lose it behind the lab bridge; choose another lab_subnet."
    ]
    upstream = {"/etc/resolv.conf": "nameserver 127.0.0.53\n", "/run/systemd/resolve/resolv.conf": "nameserver 10.9.8.7\n"}
    problems = lab_network_problems("10.9.8.0/29", "elab0", HOST_LINKS, HOST_ROUTES, upstream)
    assert [p.split(":")[0] for p in problems] == [
        "lab_subnet 10.9.8.0/29 contains 10.9.8.7, a name server of the host (/run/systemd/resolve/resolv.conf)"
    ]


SS_OUTPUT = """tcp   0      0           192.0.2.2:22          198.18.4.20:51822
tcp   0      36     [::ffff:192.0.2.2]:22   [::ffff:198.18.9.9]:40000
tcp   0      0          10.10.1.254:41234          10.10.1.1:22
udp   0      0           192.0.2.2%eth0:68          192.0.2.1:67
tcp   0      0               [::1]:631              [::1]:50000
"""


def test_connection_peers_from_ss():
    assert connection_peers(SS_OUTPUT) == [
        ("192.0.2.2", "198.18.4.20"),
        ("192.0.2.2", "198.18.9.9"),
        ("10.10.1.254", "10.10.1.1"),
        ("192.0.2.2", "192.0.2.1"),
    ]
    assert connection_peers("") == [] and connection_peers("garbage line\n") == []


def test_the_peer_of_an_open_connection_is_refused_but_not_the_labs_own_nodes():
    links = HOST_LINKS + [link("elab0", [("10.10.1.254", 24)], kind="bridge", alias="electrode-lab")]
    problems = lab_network_problems("198.18.4.0/24", "elab0", links, HOST_ROUTES, None, SS_OUTPUT)
    assert problems == [
        "lab_subnet 198.18.4.0/24 contains 198.18.4.20, the peer of an open connection of the host (from "
        "192.0.2.2; e.g. the controller's ssh session): the host would lose it behind the lab bridge; choose "
        "another lab_subnet."
    ]
    # ssh sessions from the host to the lab's nodes are the lab's own traffic.
    assert lab_network_problems("10.10.1.0/24", "elab0", links, HOST_ROUTES, None, SS_OUTPUT) == []
    # So are sockets left from a lab that is gone: their local address is on no interface now.
    assert lab_network_problems("10.10.1.0/24", "elab0", HOST_LINKS, HOST_ROUTES, None, SS_OUTPUT) == []


@pytest.mark.parametrize("bridge", ["", "a-name-that-is-too-long", "br/0", 7])
def test_lab_network_refuses_bad_bridge_names(bridge):
    assert "is not a valid interface name" in lab_network_problems("10.10.1.0/24", bridge, HOST_LINKS, HOST_ROUTES)[0]
