# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scenarios' runner of nested ansible-playbook runs (molecule/shared/files/playbook_runs.py):
what it reads of the JSON callback's output, and a real run of ansible-playbook through it."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
SPEC = importlib.util.spec_from_file_location("playbook_runs", os.path.join(ROOT, "molecule", "shared", "files", "playbook_runs.py"))
playbook_runs = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(playbook_runs)


def callback_output(hosts_per_task, stats):
    tasks = [{"task": {"name": name}, "hosts": hosts} for name, hosts in hosts_per_task]
    return json.dumps({"plays": [{"play": {"name": "p"}, "tasks": tasks}], "stats": stats})


def test_the_recap_the_failed_tasks_and_the_tasks_that_ran_are_read_as_data():
    out = callback_output([
        ("Gathering Facts", {"replica0": {"changed": False}}),
        ("electrode.cluster.electrode_build : Build", {"replica0": {"changed": True}, "replica1": {"skipped": True}}),
        ("electrode.cluster.build_deps : Install", {"replica0": {"skipped": True}}),
        ("electrode.cluster.cluster_facts : Check the settings", {
            "replica0": {"failed": True, "msg": "replica0: bench_requests must be\n  a whole number"},
            "replica1": {"failed": True, "results": [{"failed": True, "msg": "item one"}, {"changed": False}]}}),
    ], {"replica0": {"changed": 0, "failures": 1}, "replica1": {"changed": 2}})
    result = playbook_runs.digest(2, out, "ERROR! it failed")
    assert result["rc"] == 2 and result["changed"] == 2
    assert result["ran"] == ["Gathering Facts", "electrode.cluster.electrode_build : Build",
                             "electrode.cluster.cluster_facts : Check the settings"]
    assert result["changed_tasks"] == ["electrode.cluster.electrode_build : Build"]
    assert result["changed_by_host"] == {"replica0": 0, "replica1": 2}
    assert [(f["host"], f["msg"]) for f in result["failed"]] == [
        ("replica0", "replica0: bench_requests must be\n  a whole number"), ("replica1", "item one")]
    assert "replica0: electrode.cluster.cluster_facts : Check the settings: replica0: bench_requests must be a whole number" \
        in result["text"] and result["text"].endswith("ERROR! it failed")


def test_output_that_is_not_the_callbacks_json_is_kept_for_the_message():
    result = playbook_runs.digest(1, "no json here", "[ERROR]: the playbook: nope.yml could not be found")
    assert result["changed"] is None and result["failed"] == [] and result["stdout_tail"] == "no json here"
    assert "could not be found" in result["text"]


@pytest.mark.skipif(not shutil.which("ansible-playbook"), reason="needs ansible-playbook on the PATH")
def test_real_runs_two_at_a_time_in_the_specs_order(tmp_path):
    playbook = tmp_path / "pb.yml"
    playbook.write_text(
        "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n"
        "    - ansible.builtin.command: 'true'\n"
        "    - ansible.builtin.fail: {msg: 'bad {{ which }}'}\n      when: which != 'good'\n")
    spec = tmp_path / "spec.json"
    runs = [{"argv": ["ansible-playbook", "-i", "localhost,", str(playbook), "-e", "which=%s" % which,
                      "-e", "ansible_python_interpreter=%s" % sys.executable]} for which in ("good", "bad")]
    spec.write_text(json.dumps({"workers": 2, "cwd": str(tmp_path), "runs": runs}))
    done = subprocess.run([sys.executable, playbook_runs.__file__, str(spec)], stdout=subprocess.PIPE, universal_newlines=True,
                          check=True)
    good, bad = json.loads(done.stdout)
    assert (good["rc"], good["changed"], good["failed"]) == (0, 1, [])
    assert bad["rc"] == 2 and bad["changed"] == 1 and "localhost: fail: bad bad" in bad["text"].replace("ansible.builtin.", "")
