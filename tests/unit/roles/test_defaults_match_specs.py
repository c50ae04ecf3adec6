# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every role's defaults/main.yml and its meta/argument_specs.yml say the same: each default is an
option of the main entry point with that default, and each option with a default is in the defaults
(the README points to both, and a default documented differently from the one in force misleads)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

import pytest
import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
ROLES = sorted(os.path.basename(os.path.dirname(os.path.dirname(p)))
               for p in glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml")))


def load(role, *path):
    with open(os.path.join(ROOT, "roles", role, *path)) as handle:
        return yaml.safe_load(handle) or {}


def test_every_role_has_a_spec():
    assert sorted(os.listdir(os.path.join(ROOT, "roles"))) == ROLES


@pytest.mark.parametrize("role", ROLES)
def test_the_defaults_are_the_specs_defaults(role):
    defaults = load(role, "defaults", "main.yml") if os.path.exists(os.path.join(ROOT, "roles", role, "defaults", "main.yml")) else {}
    options = load(role, "meta", "argument_specs.yml")["argument_specs"]["main"].get("options") or {}
    problems = []
    for name, value in sorted(defaults.items()):
        if name not in options:
            problems.append("%s is in defaults/main.yml but not an option of the main entry point" % name)
        elif "default" not in options[name]:
            problems.append("%s has a default (%r) the spec does not give" % (name, value))
        elif options[name]["default"] != value:
            problems.append("%s defaults to %r, the spec says %r" % (name, value, options[name]["default"]))
    for name, option in sorted(options.items()):
        if "default" in option and name not in defaults:
            problems.append("%s has a default in the spec (%r) but none in defaults/main.yml" % (name, option["default"]))
    assert problems == []


def test_the_protocols_and_flags_the_specs_name_are_the_rules():
    """The protocols and feature flags are listed once for the rules (module_utils); the specs that
    name them (choices, descriptions, defaults) must say the same."""
    from ansible_collections.electrode.cluster.plugins.module_utils.electrode_source import FEATURES
    from ansible_collections.electrode.cluster.plugins.module_utils.settings import PROTOCOLS

    services = load("electrode_services", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert services["electrode_protocol"]["choices"] == list(PROTOCOLS)
    bench = load("bench", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert bench["bench_protocol"]["description"].endswith("one of %s." % ", ".join(PROTOCOLS))
    build = load("electrode_build", "meta", "argument_specs.yml")["argument_specs"]["main"]["options"]
    assert build["electrode_features"]["default"] == list(FEATURES)
    assert " ".join(build["electrode_features"]["description"]).count("C(") == len(FEATURES)
    for flag in FEATURES:
        assert "C(%s)" % flag in " ".join(build["electrode_features"]["description"])
