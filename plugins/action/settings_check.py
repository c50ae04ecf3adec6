# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check one role's settings on a host: its argument spec, then the rules of module_utils/settings.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.electrode.cluster.plugins.module_utils.electrode_source import tree_problem
from ansible_collections.electrode.cluster.plugins.module_utils.settings import RULES, role_problems

_COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def role_spec(role, entry_point="main"):
    """The options of a role's entry point, from its meta/argument_specs.yml."""
    path = os.path.join(_COLLECTION, "roles", role, "meta", "argument_specs.yml")
    with open(path) as handle:
        specs = yaml.safe_load(handle)["argument_specs"]
    return specs[entry_point].get("options", {})


def role_default(role, name):
    """A role's default for ``name`` (a plain value: the defaults read this way hold no template)."""
    with open(os.path.join(_COLLECTION, "roles", role, "defaults", "main.yml")) as handle:
        return (yaml.safe_load(handle) or {}).get(name)


def node_facts(task_vars):
    """What the rules need of the node: its facts and what electrode_state read (electrode_node.deployed)."""
    facts = task_vars.get("ansible_facts") or {}
    node = task_vars.get("electrode_node") or {}
    cluster = task_vars.get("electrode_cluster") or {}
    deployed = node.get("deployed") or {}
    distribution = facts.get("distribution")
    major = facts.get("distribution_major_version")
    return {
        "role": node.get("role"),
        "online_cpus": deployed.get("online_cpus"),
        "client_count": len(cluster["clients"]) if isinstance(cluster.get("clients"), list) else None,
        "replica_count": len(cluster["replicas"]) if isinstance(cluster.get("replicas"), list) else None,
        # Why a folder on the controller is not an Electrode tree (a variant's source_path).
        "tree_problem": tree_problem,
        "architecture": facts.get("architecture"),
        "distribution": distribution,
        "distribution_version": facts.get("distribution_version"),
        "distribution_major_version": major,
        "build_deps_supported": distribution is None or os.path.exists(
            os.path.join(_COLLECTION, "roles", "build_deps", "vars", "%s-%s.yml" % (distribution, major))),
    }


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("role", "collect"))
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        role = self._task.args.get("role")
        collect = self._task.args.get("collect", False)
        if role not in RULES:
            raise AnsibleError("settings_check: role must be one of %s (got %s)" % (", ".join(sorted(RULES)), role))
        host = task_vars.get("inventory_hostname", "?")
        spec = role_spec(role)
        names = set(spec) | set(RULES[role][1])
        problems = []
        settings = {}
        for name in sorted(names):
            if name not in task_vars:
                if name in RULES[role][1]:
                    settings[name] = role_default(RULES[role][1][name], name)
                continue
            try:
                settings[name] = self._templar.template(task_vars[name])
            except Exception as error:  # an undefined variable or a broken template in a setting
                problems.append("%s cannot be read: %s" % (name, str(error).splitlines()[0]))
        spec_settings = dict((k, v) for k, v in settings.items() if k in spec)
        validation = ArgumentSpecValidator(spec).validate(spec_settings)
        problems += validation.error_messages
        # The rules read the settings the spec did not reject (a value of the wrong type is named once).
        problems += role_problems(role, settings, node_facts(task_vars))
        problems = ["%s: %s" % (host, p) for p in problems]
        result.update(changed=False, role=role, problems=problems)
        if collect:
            known = task_vars.get("electrode_settings_problems") or []
            result["ansible_facts"] = {"electrode_settings_problems": list(known) + problems}
        elif problems:
            result.update(failed=True, msg=" ".join(problems))
        return result
