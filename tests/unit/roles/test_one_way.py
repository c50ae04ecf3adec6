# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Data flows one way (CONTRIBUTING.md): only the facts play (the cluster_facts role) sets the
cluster model's node record `electrode_node`; each stage tells later roles what it made through
its own documented facts (kernel_source_tree, electrode_build, electrode_build_trees,
electrode_services_files, electrode_services_health, build_deps_liburing_built), and no role reads,
through hostvars, a private variable (`__<role>_...`) of another role (a role gathers its own
per-host results across hosts, as the bench does each run's)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FILES = sorted(os.path.relpath(p, ROOT) for pattern in ("roles/*/tasks/*.yml", "roles/*/handlers/*.yml",
                                                        "roles/*/vars/*.yml", "playbooks/*.yml")
               for p in glob.glob(os.path.join(ROOT, pattern)))
SET_FACT = ("set_fact", "ansible.builtin.set_fact")
# A private variable of some host read through hostvars: hostvars[h].__x, hostvars[h]['__x'],
# map('extract', hostvars, '__x').
PRIVATE_READ = re.compile(r"""hostvars\[[^\]]*\](?:\.|\[['"])(__[a-z0-9_]+)|extract['"],\s*hostvars,\s*['"](__[a-z0-9_]+)""")


def tasks(node):
    """Every task in a list of tasks, plays or blocks, however nested."""
    if isinstance(node, list):
        for item in node:
            yield from tasks(item)
    elif isinstance(node, dict):
        yield node
        for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
            if key in node:
                yield from tasks(node[key])


def sets_node_record(path, root=ROOT):
    with open(os.path.join(root, path)) as handle:
        data = yaml.safe_load(handle)
    return any(isinstance(task.get(module), dict) and "electrode_node" in task[module]
               for task in tasks(data) for module in SET_FACT)


def foreign_private_reads(path, root=ROOT):
    """(line, variable) for each private variable of another role read through hostvars."""
    role = path.split("/")[1] if path.startswith("roles/") else None
    found = []
    with open(os.path.join(root, path)) as handle:
        for number, line in enumerate(handle, 1):
            for match in PRIVATE_READ.finditer(line):
                name = match.group(1) or match.group(2)
                if role is None or not name.startswith("__%s_" % role):
                    found.append((number, name))
    return found


def test_the_files_are_found():
    assert "roles/cluster_facts/tasks/main.yml" in FILES and "roles/bench/tasks/run.yml" in FILES


def test_only_the_facts_play_sets_the_node_record():
    assert [path for path in FILES if sets_node_record(path)] == ["roles/cluster_facts/tasks/main.yml"]


@pytest.mark.parametrize("path", FILES)
def test_no_private_variable_of_another_role_is_read(path):
    assert foreign_private_reads(path) == []


def test_the_checks_find_what_they_look_for(tmp_path):
    (tmp_path / "roles" / "a" / "tasks").mkdir(parents=True)
    (tmp_path / "roles" / "a" / "tasks" / "main.yml").write_text(
        "- name: x\n  block:\n    - name: y\n      ansible.builtin.set_fact:\n        electrode_node: 1\n"
        "- name: z\n  ansible.builtin.debug:\n    msg: \"{{ hostvars[h].__b_stale }} {{ hostvars[h]['__a_own'] }}"
        " {{ hosts | map('extract', hostvars, '__c_x') }} {{ hostvars[h].kernel_source_tree }}\"\n")
    path = "roles/a/tasks/main.yml"
    assert sets_node_record(path, str(tmp_path))
    assert foreign_private_reads(path, str(tmp_path)) == [(8, "__b_stale"), (8, "__c_x")]
