# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/settings.py: each rule, table-driven; every problem of a role named at once."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.settings import role_problems, variant_problems

MAINLINE = {"mainline_kernel_version": "6.0.0", "mainline_kernel_method": "ubuntu_mainline",
            "mainline_kernel_key_fingerprint": "60AA7B6F30434AE68E569963E50C6A0917C622B0"}
BUILD_DEPS = {"build_deps_liburing_from_source": "auto", "build_deps_liburing_version": "2.3",
              "build_deps_liburing_min_version": "2.3", "build_deps_liburing_sha256": "a" * 64}
KERNEL = {"kernel_source_method": "tarball", "kernel_source_version": "5.8",
          "kernel_source_checksum_signers": ["B8868C80BA62A1FFFAF5FDA9632D3A06589DA6B1"],
          "kernel_source_tarball_signers": ["ABAF11C65A2970B130ABE3C479BE3E4300411886"]}
BUILD = {"electrode_source_path": "", "electrode_version": "f7fc71c92c4e55f858cb8aff68473540bf132569",
         "electrode_build_jobs": 0, "electrode_features": ["TC_BROADCAST", "FAST_REPLY"]}
SERVICES = {"electrode_accelerated": True, "electrode_features": ["FAST_REPLY"], "electrode_services_bpffs": "/sys/fs/bpf",
            "electrode_services_handler_pins": ["paxos_ctr_state"], "electrode_services_ready_timeout": 30,
            "electrode_services_health_timeout": 30, "electrode_services_replica_cpus": "1"}
BENCH = {"bench_requests": 2000, "bench_threads": 1, "bench_repetitions": 9, "bench_timeout": 120, "bench_warmup": 0,
         "bench_duration": 2, "bench_max_invalid": 1, "bench_confidence": 0.95, "bench_equivalence_margin": 0.02,
         "bench_comparisons": None, "bench_ci_target": None, "bench_max_repetitions": 15, "bench_unreachable_wait": 300,
         "bench_protocol": "vr", "bench_name": "lab", "bench_client_cpus": "",
         "bench_floor": True, "bench_floor_bytes": 100, "bench_floor_round_trips": 2000, "bench_floor_port": 12399,
         "bench_variants": [{"name": "electrode", "features": ["FAST_REPLY"], "accelerated": True},
                            {"name": "baseline", "features": [], "accelerated": False}]}
LAB = {"lab_mtu": 1500}
NIC = {"nic_tuning_mtu": 9000}
NODE = {"role": "replica", "online_cpus": "0-1", "architecture": "x86_64", "build_deps_supported": True,
        "replica_count": 3}


@pytest.mark.parametrize("role,settings", [
    ("mainline_kernel", MAINLINE), ("build_deps", BUILD_DEPS), ("kernel_source", KERNEL),
    ("electrode_build", BUILD), ("electrode_services", SERVICES), ("bench", BENCH), ("lab", LAB), ("nic_tuning", NIC)])
def test_good_settings_have_no_problem(role, settings):
    assert role_problems(role, settings, NODE) == []


@pytest.mark.parametrize("role,base,change,expected", [
    ("mainline_kernel", MAINLINE, {"mainline_kernel_version": "six"}, ["mainline_kernel_version six is not a kernel release"]),
    ("mainline_kernel", MAINLINE, {"mainline_kernel_method": "debs", "mainline_kernel_debs": [{"url": "x", "sha256": "no"}]},
     ["mainline_kernel_debs needs a list of {url or path, sha256"]),
    ("build_deps", BUILD_DEPS, {"build_deps_liburing_version": "2.1", "build_deps_liburing_sha256": "not-a-sha"},
     ["build_deps_liburing_sha256 not-a-sha is not a sha256", "build_deps_liburing_version 2.1 is older than"]),
    ("build_deps", BUILD_DEPS, {"build_deps_liburing_from_source": "sometimes"},
     ["build_deps_liburing_from_source is sometimes, use auto, true or false."]),
    ("kernel_source", KERNEL, {"kernel_source_version": "6.1"}, ["kernel_source_version asks for a 6.1 tree"]),
    ("kernel_source", KERNEL, {"kernel_source_method": "distro_package", "kernel_source_package": "linux-source-6.1"},
     ["kernel_source_package asks for a 6.1 tree"]),
    ("kernel_source", KERNEL, {"kernel_source_tarball_signers": ["abc"]}, ["must list full 40-digit uppercase fingerprints (got abc)"]),
    ("electrode_build", BUILD, {"electrode_version": "main", "electrode_features": ["BOGUS"], "electrode_build_jobs": -1},
     ["electrode_version must be a full 40-digit commit", "electrode_build_jobs must be a whole number of 0 or more (got -1)",
      "electrode_features: unknown feature flag(s) BOGUS"]),
    ("electrode_build", BUILD, {"electrode_source_path": "relative/tree"}, ["electrode_source_path must be an absolute path"]),
    ("electrode_services", SERVICES, {"electrode_accelerated": False},
     ["electrode_accelerated is false but the build has the flags FAST_REPLY"]),
    ("electrode_services", SERVICES, {"electrode_services_replica_cpus": "0,7", "electrode_services_bpffs": "/sys/fs/bpf fs"},
     ["electrode_services_bpffs must be a plain absolute path", "electrode_services_replica_cpus: cpus 0,7 names CPU(s) 7"]),
    ("lab", LAB, {"lab_mtu": 9000}, ["lab_mtu=9000: use 1280 to 3500 (XDP on veth drops larger frames)."]),
    ("lab", LAB, {"lab_mtu": "big"}, ["lab_mtu=big: use 1280 to 3500"]),
    ("nic_tuning", NIC, {"nic_tuning_mtu": 67}, ["nic_tuning_mtu=67: use 68 to 65535 (an Ethernet MTU)."]),
    ("nic_tuning", NIC, {"nic_tuning_mtu": 65536}, ["nic_tuning_mtu=65536: use 68 to 65535"]),
    ("bench", BENCH, {"bench_variants": [{"name": "pinned", "features": [], "accelerated": False, "replica_cpus": "0,7"},
                                         {"name": "free", "features": [], "accelerated": False, "replica_cpus": "1"}]},
     ["bench_variants: variant pinned: replica_cpus: cpus 0,7 names CPU(s) 7, outside this host's online CPUs"]),
    ("bench", BENCH, {"bench_requests": 0, "bench_protocol": "raft", "bench_name": "a b"},
     ["bench_requests must be a whole number of 1 or more (got 0)", "bench_protocol is raft", "bench_name must be letters"]),
    ("bench", BENCH, {"bench_floor_bytes": 4, "bench_floor_round_trips": 10, "bench_floor_port": 12345},
     ["bench_floor_bytes must be 8 to 65507", "bench_floor_round_trips must be 100 to 1000000",
      "bench_floor_port must be a port from 1024 to 65535 other than the replicas' 12345"]),
    ("bench", BENCH, {"bench_floor": False, "bench_floor_bytes": 4}, []),
    ("bench", BENCH, {"bench_profile": True, "bench_profile_frequency": 0, "bench_profile_top": 101,
                      "bench_profile_viewer_sha512": "abc"},
     ["bench_profile_frequency must be 1 to 10000", "bench_profile_top must be 1 to 100",
      "bench_profile_viewer_sha512 must be the viewer package's sha512, 128 hex digits (got abc)."]),
    ("bench", BENCH, {"bench_profile": True, "bench_profile_frequency": 499, "bench_profile_top": 15,
                      "bench_profile_viewer_sha512": "0" * 128}, []),
    ("bench", BENCH, {"bench_profile": False, "bench_profile_frequency": 0}, []),
    ("bench", BENCH, {"bench_variants": [
        {"name": "even", "features": [], "accelerated": False, "replicas": 4},
        {"name": "big", "features": [], "accelerated": False, "replicas": 9},
        {"name": "one", "features": [], "accelerated": False, "replicas": 1},
        {"name": "bound", "features": ["FAST_REPLY"], "accelerated": True, "unreplicated": True},
        {"name": "bound2", "features": [], "accelerated": False, "unreplicated": True}]},
     ["bench_variants: variant even: replicas is 4: a cluster of 2f+1 replicas is odd and 3 or more",
      "bench_variants: variant big: replicas is 9, but the inventory has 3 replicas",
      "bench_variants: variant one: replicas is 1: a cluster of 2f+1 replicas is odd and 3 or more",
      "bench_variants: variant bound is unreplicated (one server, f=0, on the leader's node, the bound of the others): "
      "it takes no features",
      "bench_variants: bound, bound2 are all unreplicated: one bound is enough."]),
    ("bench", BENCH, {"bench_variants": [{"name": "alone", "features": [], "accelerated": False, "unreplicated": True}]},
     ["bench_variants: alone is unreplicated, the bound of the others, but there are no others."]),
    ("electrode_build", BUILD, {"electrode_build_replicas": 2}, ["electrode_build_replicas is 2: a cluster of 2f+1 replicas is odd "
                                                                 "and 3 or more (or 1, one unreplicated server)."]),
    ("electrode_build", BUILD, {"electrode_build_replicas": 5}, ["electrode_build_replicas is 5, but the inventory has 3"]),
    ("electrode_build", BUILD, {"electrode_build_replicas": 1}, []),
])
def test_every_problem_is_named_with_its_variable(role, base, change, expected):
    settings = dict(base, **change)
    problems = role_problems(role, settings, NODE)
    assert len(problems) == len(expected), problems
    for sentence, start in zip(sorted(problems), sorted(expected)):
        assert start in sentence


def test_an_unsupported_distribution_and_architecture():
    node = dict(NODE, architecture="riscv64", build_deps_supported=False, distribution="Fedora",
                distribution_version="40", distribution_major_version="40")
    assert "no riscv64 kernels" in role_problems("mainline_kernel", MAINLINE, node)[0]
    assert "roles/build_deps/vars/Fedora-40.yml" in role_problems("build_deps", BUILD_DEPS, node)[0]


def test_variants_each_named_with_their_problem():
    problems = variant_problems([
        {"name": "a", "features": ["TC_BROADCAST", "FAST_BROADCAST"], "accelerated": True},
        {"name": "a", "features": ["FAST_REPLY"], "accelerated": False},
        {"features": [], "accelerated": False},
        {"name": "bad name", "features": [], "accelerated": True}])
    assert problems == [
        "bench_variants: variant a uses unknown feature flag(s) FAST_BROADCAST: the flags are TC_BROADCAST, "
        "FAST_QUORUM_PRUNE, FAST_REPLY.",
        "bench_variants: variant a runs without the handler but has flags: replicas built with flags refuse to start "
        "without it (use features: [] or accelerated: true).",
        "bench_variants: variant bad name: the name must be letters, digits, '.', '_' or '-'.",
        "bench_variants names the variant(s) a more than once."]
    assert variant_problems([]) == ["bench_variants is empty: name at least one variant."]


def test_an_unknown_role_is_an_error():
    with pytest.raises(ValueError, match="no settings rules for role nic"):
        role_problems("nic", {}, NODE)


def test_a_variants_own_source_is_checked_before_any_build():
    trees = {"/src/Electrode": None, "/src/notes": "is not an Electrode tree (it has no Makefile)",
             "/nowhere": "does not exist (or is not a folder)"}
    commit = "0999991bf6e31dc01d28a884ac39c6294d0d6595"
    problems = variant_problems([
        {"name": "ok-path", "features": [], "accelerated": False, "source_path": "/src/Electrode"},
        {"name": "ok-repo", "features": [], "accelerated": False, "repo": "https://example.org/E.git", "version": commit},
        {"name": "notes", "features": [], "accelerated": False, "source_path": "/src/notes"},
        {"name": "gone", "features": [], "accelerated": False, "source_path": "/nowhere"},
        {"name": "relative", "features": [], "accelerated": False, "source_path": "src/E"},
        {"name": "branch", "features": [], "accelerated": False, "repo": "https://example.org/E.git", "version": "main"},
        {"name": "unpinned", "features": [], "accelerated": False, "repo": "https://example.org/E.git"},
        {"name": "both", "features": [], "accelerated": False, "source_path": "/src/Electrode", "repo": "r", "version": commit},
    ], trees.get)
    assert problems == [
        "bench_variants: variant notes: source_path /src/notes is not an Electrode tree (it has no Makefile): point it at "
        "a clone of Electrode or Electrode_io.",
        "bench_variants: variant gone: source_path /nowhere does not exist (or is not a folder): point it at a clone of "
        "Electrode or Electrode_io.",
        "bench_variants: variant relative: source_path must be an absolute path on the controller (got src/E).",
        "bench_variants: variant branch names repo https://example.org/E.git without a full commit as version (got main): "
        "a branch or tag is not a pin, give the 40-digit commit.",
        "bench_variants: variant unpinned names repo https://example.org/E.git without a full commit as version (got None): "
        "a branch or tag is not a pin, give the 40-digit commit.",
        "bench_variants: variant both names both source_path and repo/version: give one source."]


@pytest.mark.parametrize("change,expected", [
    ({"bench_threads": [1, 2, 4, 8]}, []),
    ({"bench_threads": [1, 0, -2]}, ["bench_threads must be a whole number of 1 or more, or a list of them (got 0, -2)."]),
    ({"bench_threads": []}, ["bench_threads is an empty list: give at least one whole number."]),
    ({"bench_threads": [2, 2]}, ["bench_threads lists a load point twice (2, 2)."]),
    ({"bench_clients": [1, 2]}, ["bench_clients asks for 2, but the client group has 1 node(s): use at most 1."]),
    ({"bench_clients": 1}, []),
    ({"bench_clients": "x"}, ["bench_clients must be a whole number of 1 or more, or a list of them (got x)."]),
])
def test_load_points(change, expected):
    assert role_problems("bench", dict(BENCH, **change), dict(NODE, client_count=1)) == expected


@pytest.mark.parametrize("change,expected", [
    ({"bench_repetitions": 7}, []),
    ({"bench_repetitions": 5}, [
        "bench_repetitions is 5: no interval reaches bench_confidence 0.95 with fewer than 6 runs per cell; set "
        "bench_repetitions to 6 or more (7 to allow bench_max_invalid 1 exclusion(s); an experiment of several "
        "comparisons needs more for its verdicts, which otherwise say \"too few runs\"), or lower bench_confidence."]),
    # Two runs are enough for an interval at 50%: a quick look, honestly labelled.
    ({"bench_repetitions": 2, "bench_confidence": 0.5}, []),
    # Five load points: five verdicts, each at 99%, need 8 pairs; with 7 they say "too few runs".
    ({"bench_repetitions": 7, "bench_threads": [1, 2, 4, 8, 16]}, []),
    ({"bench_equivalence_margin": 0.5}, [
        "bench_equivalence_margin must be 0 or more and below 0.5 (got 0.5): 0.02 calls a difference of less than 2% the same."]),
    ({"bench_equivalence_margin": -0.1}, [
        "bench_equivalence_margin must be 0 or more and below 0.5 (got -0.1): 0.02 calls a difference of less than 2% the same."]),
    ({"bench_confidence": 1.0}, ["bench_confidence must lie between 0 and 1 (got 1.0)."]),
    ({"bench_unreachable_wait": -5}, ["bench_unreachable_wait must be a whole number of 0 or more (got -5)."]),
    ({"bench_unreachable_wait": "soon"}, ["bench_unreachable_wait must be a whole number of 0 or more (got soon)."]),
    ({"bench_ci_target": 0.05}, []),
    ({"bench_ci_target": 1.5}, [
        "bench_ci_target must lie between 0 and 1, e.g. 0.05 for intervals within 5% of their median (got 1.5), or be null."]),
    ({"bench_ci_target": 0.05, "bench_max_repetitions": 4}, [
        "bench_max_repetitions (4) must be at least bench_repetitions (9) for bench_ci_target."]),
    ({"bench_comparisons": [["baseline", "electrode"]]}, []),
    ({"bench_comparisons": [["electrode", "ghost"]]}, [
        "bench_comparisons names ghost, which bench_variants does not have (it has electrode, baseline)."]),
    ({"bench_comparisons": [["electrode", "electrode"]]}, [
        "bench_comparisons must list [variant, reference] pairs of two different variants (got [['electrode', 'electrode']])."]),
])
def test_the_statistics_settings(change, expected):
    assert role_problems("bench", dict(BENCH, **change), dict(NODE, client_count=1)) == expected


def test_the_repetitions_an_experiment_needs_for_its_verdicts():
    from ansible_collections.electrode.cluster.plugins.module_utils.settings import minimum_repetitions
    assert minimum_repetitions(BENCH) == 6
    assert minimum_repetitions(dict(BENCH, bench_threads=[1, 2, 4, 8, 16])) == 8
    assert minimum_repetitions(dict(BENCH, bench_comparisons=[["electrode", "baseline"]] * 4)) == 8


CLOUDLAB = {"cloudlab_project": "electrode", "cloudlab_experiment_name": "electrode", "cloudlab_profile": "electrode,electrode-cluster",
            "cloudlab_bindings": {"replicas": 3, "clients": 1}, "cloudlab_hardware": [{"type": "xl170", "cluster": "utah"}],
            "cloudlab_duration": 8, "cloudlab_wait_timeout": 1800, "cloudlab_extend_hours": 4,
            "cloudlab_portal_certificate_password": "sekrit"}


@pytest.fixture(scope="module")
def portal_certificate(tmp_path_factory):
    pytest.importorskip("cryptography")
    from ansible_collections.electrode.cluster.tests.unit.plugins.pki import make_pki
    return str(make_pki(tmp_path_factory.mktemp("pki"))["user"])


@pytest.mark.parametrize("change,expected", [
    ({}, []),
    ({"cloudlab_project": ""}, ["cloudlab_project is empty: set your CloudLab project (the portal's Projects page)."]),
    ({"cloudlab_experiment_name": "my experiment"}, [
        "cloudlab_experiment_name must be letters, digits and '-', at most 32 (got my experiment)."]),
    ({"cloudlab_experiment_name": "x" * 33}, ["cloudlab_experiment_name must be letters, digits and '-', at most 32"]),
    ({"cloudlab_profile": ""}, ["cloudlab_profile is empty: create the profile roles/cloudlab/files/profile.py once"]),
    ({"cloudlab_hardware": []}, ["cloudlab_hardware is empty: list at least one hardware type"]),
    ({"cloudlab_hardware": [{"type": "m400", "cluster": "utah"}, {"type": "xl171"}]}, [
        "cloudlab_hardware entry 1: m400 is aarch64", "cloudlab_hardware entry 2: xl171 is not a hardware type"]),
    ({"cloudlab_portal_certificate_password": None}, [
        "holds an encrypted key: give its passphrase (your portal password) as cloudlab_portal_certificate_password."]),
    ({"cloudlab_extend_hours": 0, "cloudlab_wait_timeout": -1}, [
        "cloudlab_extend_hours must be from 1 to 168 (the portal's range; got 0).",
        "cloudlab_wait_timeout must be a whole number of 1 or more (got -1)."]),
    ({"cloudlab_bindings": {"replicas": 4, "clients": 0}}, [
        "cloudlab_bindings: replicas must be odd and at least 3 (2f+1; got 4).",
        "cloudlab_bindings: clients must be 1 or more (got 0)."]),
])
def test_the_cloudlab_settings(portal_certificate, change, expected):
    settings = dict(CLOUDLAB, cloudlab_portal_certificate=portal_certificate, **change)
    problems = role_problems("cloudlab", settings, dict(NODE, role="controller"))
    assert len(problems) == len(expected), problems
    for sentence, start in zip(problems, expected):
        assert start in sentence, (sentence, start)


def test_a_missing_portal_certificate_is_named():
    problems = role_problems("cloudlab", dict(CLOUDLAB, cloudlab_portal_certificate="/nonexistent/emulab.pem"), NODE)
    assert len(problems) == 1 and problems[0].startswith("cloudlab_portal_certificate: ") and "/nonexistent/emulab.pem" in problems[0]
