# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.cloudlab_manifest import (
    ManifestError,
    build_inventory,
    parse_manifest,
)
from ansible_collections.electrode.cluster.tests.unit.plugins.inventory import manifests as m


def inventory(text, user="alice", **options):
    nodes, links = parse_manifest(text)
    return build_inventory(nodes, links, user, **options)


def test_parse_reads_nodes_logins_interfaces_and_links():
    nodes, links = parse_manifest(m.lan(4))
    assert [n["client_id"] for n in nodes] == ["node0", "node1", "node2", "node3"]
    assert nodes[0]["logins"] == [
        {"username": "alice", "hostname": "hp001.example.cloudlab.us", "port": 22},
        {"username": "bob", "hostname": "hp001.example.cloudlab.us", "port": 22},
    ]
    assert nodes[0]["interfaces"] == [
        {"client_id": "node0:eth1", "mac": "02a0c9000101", "address": "10.10.1.1", "netmask": "255.255.255.0"}
    ]
    assert (nodes[0]["hardware_type"], nodes[0]["public_ipv4"]) == ("xl170", "198.51.100.11")
    assert links == [{"client_id": "link-1", "interfaces": ["node0:eth1", "node1:eth1", "node2:eth1", "node3:eth1"]}]


def test_four_nodes_give_three_replicas_and_a_client():
    result = inventory(m.lan(4))
    assert (result["f"], result["replicas"], result["clients"]) == (1, ["node0", "node1", "node2"], ["node3"])
    assert result["hosts"]["node1"] == {
        "ansible_host": "hp002.example.cloudlab.us",
        "ansible_user": "alice",
        "ansible_port": 22,
        "electrode_experiment_ip": "10.10.1.2",
        "electrode_experiment_mac": "02:a0:c9:00:01:02",
        "electrode_experiment_subnet": "10.10.1.0/24",
        "cloudlab_node_id": "node1",
        "cloudlab_hardware_type": "xl170",
        "cloudlab_public_ipv4": "198.51.100.12",
        "cloudlab_aggregate": None,
    }


def test_six_nodes_give_f_two_by_default_and_f_one_on_request():
    assert inventory(m.lan(6))["replicas"] == ["node0", "node1", "node2", "node3", "node4"]
    result = inventory(m.lan(6), f=1)
    assert (result["replicas"], result["clients"]) == (["node0", "node1", "node2"], ["node3", "node4", "node5"])


def test_explicit_replicas_keep_their_order_and_the_rest_are_clients():
    result = inventory(m.lan(5), replicas=["node4", "node0", "node2"])
    assert (result["replicas"], result["clients"]) == (["node4", "node0", "node2"], ["node1", "node3"])


def test_another_login_and_its_port():
    result = inventory(m.lan(4, users=("alice", "carol")), user="carol")
    assert (result["hosts"]["node0"]["ansible_user"], result["hosts"]["node0"]["ansible_port"]) == ("carol", 2222)


def test_a_user_without_login_names_the_node_and_the_logins():
    with pytest.raises(ManifestError, match=r"node0: no <login> for user 'dave' \(the manifest has: alice, bob\): set the user option"):
        inventory(m.lan(4), user="dave")


def test_two_links_need_the_network_option():
    with pytest.raises(ManifestError, match=r"several links \(link-1, link-2\): set the network option"):
        inventory(m.two_links(4))
    by_name = inventory(m.two_links(4), network="link-2")
    assert by_name["hosts"]["node0"]["electrode_experiment_ip"] == "10.10.2.1"
    assert by_name["hosts"]["node0"]["electrode_experiment_mac"] == "02:a0:c9:00:02:01"
    by_subnet = inventory(m.two_links(4), network="10.10.1.0/24")
    assert by_subnet["hosts"]["node3"]["electrode_experiment_ip"] == "10.10.1.4"


def test_unknown_link_lists_the_links():
    with pytest.raises(ManifestError, match=r"no link 'link-9' \(the network option\); its links: link-1, link-2"):
        inventory(m.two_links(4), network="link-9")


def test_missing_mac_names_the_node():
    nodes = [m.node(0), m.node(1), m.node(2, mac=None), m.node(3)]
    text = m.manifest(nodes, [m.link("link-1", ["node%d:eth1" % i for i in range(4)])])
    with pytest.raises(ManifestError, match=r"^node2: interface node2:eth1 has no mac_address in the manifest$"):
        inventory(text)


def test_missing_ip_names_the_node():
    nodes = [m.node(0), m.node(1, ip=None), m.node(2), m.node(3)]
    text = m.manifest(nodes, [m.link("link-1", ["node%d:eth1" % i for i in range(4)])])
    with pytest.raises(ManifestError, match=r"^node1: interface node1:eth1 has no IP address in the manifest$"):
        inventory(text)


def test_malformed_mac_names_the_node():
    nodes = [m.node(0, mac="02a0c9"), m.node(1), m.node(2), m.node(3)]
    text = m.manifest(nodes, [m.link("link-1", ["node%d:eth1" % i for i in range(4)])])
    with pytest.raises(ManifestError, match=r"^node0: interface node0:eth1: '02a0c9' is not a MAC address$"):
        inventory(text)


def test_node_off_the_experiment_link_is_named():
    text = m.manifest([m.node(i) for i in range(4)], [m.link("link-1", ["node%d:eth1" % i for i in range(3)])])
    with pytest.raises(ManifestError, match=r"^node3 has no interface on the experiment network$"):
        inventory(text)


@pytest.mark.parametrize(
    "count, options, message",
    [
        (3, {}, r"the manifest has 3 node\(s\): Electrode needs at least 4"),
        (4, {"f": 2}, r"f=2 needs 5 replicas and a client, but the manifest has 4 node\(s\)"),
        (5, {"replicas": ["node0", "node1"]}, r"the replicas option lists 2 node\(s\): Electrode needs an odd number"),
        (4, {"replicas": ["node0", "node1", "node7"]}, r"nodes the manifest does not have: node7"),
        (4, {"replicas": ["node0", "node1", "node2"], "clients": ["node2"]}, r"node2 in both the replicas and the clients"),
        (3, {"replicas": ["node0", "node1", "node2"]}, r"no node is left for the client"),
    ],
)
def test_bad_shapes(count, options, message):
    with pytest.raises(ManifestError, match=message):
        inventory(m.lan(count), **options)


@pytest.mark.parametrize(
    "text, message",
    [
        (m.BILLION_LAUGHS, "declares a DTD or entities, which are refused"),
        ("<rspec><node", "is not well-formed XML"),
        ('<?xml version="1.0"?><html/>', r"is not an RSpec \(its root element is <html>\)"),
        (m.HEAD + "<node/></rspec>", "has a <node> without a client_id"),
    ],
)
def test_bad_documents(text, message):
    with pytest.raises(ManifestError, match=message):
        parse_manifest(text)


REAL_MANIFEST = os.path.join(os.path.dirname(__file__), "fixtures", "cloudlab-utah-m510-manifest.xml")


def with_root_type(text, value):
    """The same document with its root's type attribute set to value (None: no attribute)."""
    text = text.replace(' type="manifest"', "", 1).replace(' type="request"', "", 1)
    attribute = ' type="%s"' % value if value else ""
    return text.replace("<rspec ", "<rspec%s " % attribute, 1)


def request(count=4, ip=False):
    """A request RSpec as a profile or Jacks writes it: nodes, a LAN, maybe addresses; no slivers, logins or MACs."""
    nodes = "".join(
        '<node client_id="node-%d" exclusive="true"><sliver_type name="raw-pc"/><hardware_type name="c6525-25g"/>'
        '<interface client_id="interface-%d">%s</interface></node>'
        % (n, n, '<ip address="10.10.1.%d" type="ipv4" netmask="255.255.255.0"/>' % (n + 1) if ip else "")
        for n in range(count)
    )
    refs = "".join('<interface_ref client_id="interface-%d"/>' % n for n in range(count))
    return '<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request">%s<link client_id="link-0">%s</link></rspec>' % (
        nodes,
        refs,
    )


def test_a_real_manifest_saved_with_type_request_is_read_into_its_hosts():
    # Written by no one here: a CloudLab experiment's manifest as published, root type="request".
    with open(REAL_MANIFEST, "rb") as handle:
        text = handle.read()
    assert b'type="request"' in text.split(b"<node", 1)[0]
    result = inventory(text, user="arjunsh")
    assert (result["f"], result["replicas"], result["clients"]) == (1, ["node0", "node1", "node2"], ["node3", "node4"])
    assert result["hosts"]["node0"] == {
        "ansible_host": "ms1041.utah.cloudlab.us",
        "ansible_user": "arjunsh",
        "ansible_port": 22,
        "electrode_experiment_ip": "10.10.1.1",
        "electrode_experiment_mac": "14:58:d0:58:cf:c3",
        "electrode_experiment_subnet": "10.10.1.0/24",
        "cloudlab_node_id": "node0",
        "cloudlab_hardware_type": "m510",
        "cloudlab_public_ipv4": "128.110.217.156",
        "cloudlab_aggregate": "urn:publicid:IDN+utah.cloudlab.us+authority+cm",
    }
    assert [result["hosts"][n]["electrode_experiment_mac"] for n in ("node1", "node4")] == [
        "ec:b1:d7:85:6a:c3",
        "14:58:d0:58:cf:b3",
    ]


@pytest.mark.parametrize("root_type", ["request", "manifest", None])
def test_a_manifest_is_judged_by_its_content_whatever_its_root_says(root_type):
    result = inventory(with_root_type(m.lan(4), root_type))
    assert result["replicas"] == ["node0", "node1", "node2"]


@pytest.mark.parametrize("root_type", ["request", "manifest", None])
@pytest.mark.parametrize("ip", [False, True])
def test_a_request_is_named_as_one_whatever_its_root_says(root_type, ip):
    with pytest.raises(ManifestError) as error:
        parse_manifest(with_root_type(request(ip=ip), root_type), source="profile.xml")
    message = str(error.value)
    assert message.startswith("profile.xml is a request RSpec")
    assert "no <login>" not in message and "\"Manifest\" tab" in message


@pytest.mark.parametrize(
    "evidence",
    [
        ' sliver_id="urn:publicid:IDN+utah.cloudlab.us+sliver+1"',
        "login",
        "mac",
    ],
)
def test_one_sign_of_made_machines_is_enough_for_a_manifest(evidence):
    text = request(ip=True)
    if evidence == "login":
        text = text.replace('<hardware_type name="c6525-25g"/>', '<hardware_type name="c6525-25g"/><services>'
                            '<login authentication="ssh-keys" hostname="amd1.example" port="22" username="alice"/></services>', 1)
    elif evidence == "mac":
        text = text.replace('<interface client_id="interface-0">', '<interface client_id="interface-0" mac_address="043f72accabf">', 1)
    else:
        text = text.replace('<node client_id="node-0"', '<node client_id="node-0"%s' % evidence, 1)
    nodes, _links = parse_manifest(text)
    assert len(nodes) == 4
    # A manifest whose other nodes lack what build_inventory needs is named node by node, not as a request.
    with pytest.raises(ManifestError) as error:
        build_inventory(nodes, _links, "alice")
    assert "request RSpec" not in str(error.value)


def test_a_manifest_without_a_login_for_the_user_names_the_user_not_a_request():
    text = with_root_type(m.lan(4, users=("bob",)), "request")
    with pytest.raises(ManifestError, match=r"^node0: no <login> for user 'alice' \(the manifest has: bob\)"):
        inventory(text)


def test_a_manifest_with_a_node_off_the_experiment_network_names_the_node_not_a_request():
    text = m.manifest([m.node(i) for i in range(4)], [m.link("link-1", ["node%d:eth1" % i for i in range(3)])])
    with pytest.raises(ManifestError, match=r"^node3 has no interface on the experiment network$"):
        inventory(with_root_type(text, "request"))


def test_an_rspec_without_nodes_says_so():
    with pytest.raises(ManifestError, match=r"^empty.xml has no <node>$"):
        parse_manifest('<rspec xmlns="http://www.geni.net/resources/rspec/3" type="manifest"/>', source="empty.xml")
