# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters are thin wrappers: check that each is registered under its documented name and
turns ValueError into AnsibleFilterError where it raises."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.filter import (
    bench_order,
    client_summary,
    cloudlab_inventory,
    cluster_group_problems,
    cluster_model,
    electrode_build_plan,
    experiment_interface,
    grub_default,
    lab_console_causes,
    lab_network_problems,
    lab_node_paths,
    lab_plan,
    mainline_debs,
    normalize_mac,
    replica_restart_plan,
    sha256_list,
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


def test_sha256_list_and_grub_default_filters():
    sums = filter_named(sha256_list, "sha256_list")
    assert sums("a" * 64 + "  linux-6.1.tar.xz\n") == {"linux-6.1.tar.xz": "a" * 64}
    with pytest.raises(AnsibleFilterError, match="sha256_list: x is listed twice"):
        sums("a" * 64 + "  x\n" + "b" * 64 + "  x\n")
    default = filter_named(grub_default, "grub_default")
    menu = ("submenu 'Advanced options for Ubuntu' $menuentry_id_option 'gnulinux-advanced-u' {\n"
            "\tmenuentry 'Ubuntu, with Linux 6.0.0-060000-generic' $menuentry_id_option 'gnulinux-6.0.0-060000-generic-advanced-u' {\n")
    assert default(menu, "6.0.0-060000-generic") == "gnulinux-advanced-u>gnulinux-6.0.0-060000-generic-advanced-u"
    with pytest.raises(AnsibleFilterError, match="grub_default: grub.cfg has no entry for linux 6.1"):
        default(menu, "6.1")


def test_electrode_build_plan_filter():
    plan = filter_named(electrode_build_plan, "electrode_build_plan")
    source = {"sha256": "a" * 64, "files": {
        "xdp-handler/fast_common.h": "#define CLUSTER_SIZE 3\n#define FAST_REPLICA_MAX 8\n",
        "xdp-handler/fast_user.c": 'const char *eths[FAST_REPLICA_MAX] = {"", ""};\n'}}
    cluster = {"f": 1, "cluster_size": 3, "port": 12345, "addresses": ["10.0.0.1", "10.0.0.2", "10.0.0.3"],
               "macs": ["02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"]}
    result = plan(source, cluster, ["FAST_REPLY"], "/k")
    assert result["problems"] == [] and result["name"].startswith("FAST_REPLY-")
    assert result["config_txt"].startswith("f 1\nreplica 10.0.0.1:12345\n")
    with pytest.raises(AnsibleFilterError, match="the cluster model has no macs"):
        plan(source, dict(cluster, macs=None) and {k: v for k, v in cluster.items() if k != "macs"}, [], "")


def test_client_summary_filter():
    summary = filter_named(client_summary, "client_summary")
    text = ("x (benchmark.cc:156): Completed 100 requests in 0.5 seconds\n"
            "x (benchmark.cc:96): Median latency is 10 ns (0 us)\n"
            "x (benchmark.cc:100): 90th percentile latency is 20 ns (0 us)\n"
            "x (benchmark.cc:104): 95th percentile latency is 30 ns (0 us)\n"
            "x (benchmark.cc:108): 99th percentile latency is 40 ns (0 us)\n"
            "x (client.cc:249): All clients done.\n")
    assert summary(text)["throughput_rps"] == 200.0
    with pytest.raises(AnsibleFilterError, match="client_summary: no 'All clients done.' line"):
        summary(text.rsplit("x (client", 1)[0])


def test_bench_order_filter():
    order = filter_named(bench_order, "bench_order")
    assert [o["variant"] for o in order(["a", "b"], 2)] == ["a", "b", "b", "a"]
    assert [(o["variant"], o["threads"]) for o in order(["a", "b"], 1, threads=[1, 4])] == [
        ("a", 1), ("b", 1), ("a", 4), ("b", 4)]


def test_replica_restart_plan_filter():
    plan = filter_named(replica_restart_plan, "replica_restart_plan")
    records = {"r0": {"r0": "a", "r1": "b", "r2": "c"}, "r1": None, "r2": None}
    assert plan(records, {"r0": "a", "r1": "b2", "r2": "c"}, ["r0", "r1", "r2"])["restarted"] == ["r1"]
    every = {"r0": "a2", "r1": "b2", "r2": "c2"}
    assert not plan(records, every, ["r0", "r1", "r2"])["in_step"]
    assert plan(records, every, ["r0", "r1", "r2"], ["r0", "r1", "r2"])["in_step"]
    with pytest.raises(AnsibleFilterError, match="no InvocationID for r2"):
        plan(records, {"r0": "a", "r1": "b"}, ["r0", "r1", "r2"])


def test_bench_target_met_and_bench_requests_for():
    from ansible_collections.electrode.cluster.plugins.filter.bench_requests_for import _bench_requests_for
    from ansible_collections.electrode.cluster.plugins.filter.bench_target_met import _bench_target_met

    runs = [{"cell": "a", "throughput": v} for v in (1000, 1010, 990, 1005, 995, 1002)]
    assert _bench_target_met(runs, 0.05) is True
    assert _bench_target_met(runs + [{"cell": "b", "throughput": 5}], 0.05) is False
    assert _bench_target_met([], 0.05) is False
    # 8,000 requests a second over 2 threads, for 2 s: 8,000 a thread; never below the minimum.
    assert _bench_requests_for(8000, 2, 2.0) == 8000 and _bench_requests_for(10, 1, 1.0) == 100


def test_cloudlab_inventory_filter():
    import os
    inventory = filter_named(cloudlab_inventory, "cloudlab_inventory")
    fixture = os.path.join(os.path.dirname(__file__), "..", "inventory", "fixtures", "cloudlab-utah-m510-manifest.xml")
    with open(fixture) as handle:
        manifest = handle.read()
    result = inventory(manifest, "arjunsh")
    # Five nodes: the largest 2f+1 that leaves a client (3) replicas, the rest clients.
    assert (result["replicas"], result["clients"]) == (["node0", "node1", "node2"], ["node3", "node4"])
    assert [result["hosts"][name]["group"] for name in ("node0", "node3")] == ["replicas", "clients"]
    assert result["hosts"]["node0"]["cloudlab_aggregate"] == "urn:publicid:IDN+utah.cloudlab.us+authority+cm"
    with pytest.raises(AnsibleFilterError, match="^cloudlab_inventory: node0: no <login> for user 'alice'"):
        inventory(manifest, "alice")


def test_lab_console_causes_filter():
    causes = filter_named(lab_console_causes, "lab_console_causes")
    assert causes(None) == []
    assert causes("Failed to add new veth interfaces (vb-replica0:host0): File exists\n")[0].startswith(
        "its veth vb-replica0 is still held")
