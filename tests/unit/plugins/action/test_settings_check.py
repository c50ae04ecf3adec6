# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The settings_check action's helpers: the roles' real specs and defaults, and the node's facts."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.electrode.cluster.plugins.action.settings_check import node_facts, role_default, role_spec
from ansible_collections.electrode.cluster.plugins.module_utils.settings import RULES


def test_every_role_with_rules_has_a_spec_that_validates():
    for role in RULES:
        spec = role_spec(role)
        assert spec, role
        ArgumentSpecValidator(spec)


def test_the_services_spec_names_a_bad_protocol_and_the_bench_spec_a_variant_without_a_name():
    errors = ArgumentSpecValidator(role_spec("electrode_services")).validate({"electrode_protocol": "raft"}).error_messages
    assert any("value of electrode_protocol must be one of: vr, fastpaxos, spec, unreplicated, got: raft" in e for e in errors)
    errors = ArgumentSpecValidator(role_spec("bench")).validate(
        {"bench_variants": [{"features": [], "accelerated": False}]}).error_messages
    assert any("missing required arguments: name found in bench_variants" in e for e in errors)


def test_the_services_rules_read_the_build_roles_default_flags():
    assert role_default("electrode_build", "electrode_features") == ["TC_BROADCAST", "FAST_QUORUM_PRUNE", "FAST_REPLY"]


def test_node_facts_from_the_model_and_gathered_facts():
    node = node_facts({"ansible_facts": {"architecture": "x86_64", "distribution": "Debian", "distribution_major_version": "12"},
                       "electrode_node": {"role": "replica", "deployed": {"online_cpus": "0-1"}}})
    assert node["online_cpus"] == "0-1" and node["role"] == "replica" and node["build_deps_supported"] is True
    assert node_facts({"ansible_facts": {"distribution": "Fedora", "distribution_major_version": "40"}})["build_deps_supported"] is False
