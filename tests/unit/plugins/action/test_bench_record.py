# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench_record action's file writing: whole or not at all, plain JSON of Ansible's data."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.electrode.cluster.plugins.action.bench_record import _plain, write_files, write_json


def test_the_record_is_written_whole(tmp_path):
    path = str(tmp_path / "01-electrode-r1.json")
    write_json(path, {"run": "01-electrode-r1", "valid": True})
    with open(path) as handle:
        assert json.load(handle) == {"run": "01-electrode-r1", "valid": True}
    assert oct(os.stat(path).st_mode & 0o777) == "0o644"
    assert sorted(os.listdir(str(tmp_path))) == ["01-electrode-r1.json"]


def test_a_record_that_cannot_be_written_leaves_nothing_behind(tmp_path):
    path = str(tmp_path / "02.json")
    with pytest.raises(TypeError):
        write_json(path, {"not json": object()})
    assert os.listdir(str(tmp_path)) == []


def test_plain_turns_anything_json_cannot_hold_into_text():
    assert _plain({"a": (1, 2), "b": {"c": None}}) == {"a": [1, 2], "b": {"c": None}}


def test_the_clients_files_are_written_beside_the_record_and_left_out_of_it(tmp_path):
    clients = {"client0": {"rc": 0, "log": "x", "files": {"latency.raw": "AQAAAAAAAAA=", "latency": "dG90YWw="}},
               "client1": {"rc": 0, "log": "y"}}
    written = write_files(str(tmp_path / "01-electrode-r1"), clients)
    assert sorted(os.path.basename(p) for p in written) == ["client0-latency", "client0-latency.raw"]
    with open(str(tmp_path / "01-electrode-r1" / "client0-latency.raw"), "rb") as handle:
        assert handle.read() == b"\x01" + b"\x00" * 7
    assert clients == {"client0": {"rc": 0, "log": "x"}, "client1": {"rc": 0, "log": "y"}}


def test_the_raw_latency_files_are_read_as_samples():
    import base64
    import struct

    from ansible_collections.electrode.cluster.plugins.action.bench_record import raw_samples

    clients = {"client0": {"files": {"latency.raw": base64.b64encode(struct.pack("<3Q", 5, 6, 7) + b"\x01").decode()}},
               "client1": {"files": {}}, "client2": {}}
    # A trailing partial sample (a file cut short) is left out; a client without the file has none.
    assert raw_samples(clients) == {"client0": [5, 6, 7]}


def test_a_node_that_did_not_answer_is_returned_in_a_key_ansible_does_not_read_as_unreachable(tmp_path):
    # Ansible reads a result's "unreachable" key as the task's host being unreachable: with the
    # bench play's any_errors_fatal, that ended the whole play after the run that lost a node.
    from unittest import mock

    from ansible_collections.electrode.cluster.plugins.action.bench_record import ActionModule
    from ansible_collections.electrode.cluster.tests.unit.plugins.module_utils.test_bench import record_readings, runner

    reading, after = record_readings([1000 * k for k in range(30)])
    after["replica1"] = {"unreachable": True, "msg": "Failed to connect to the host via ssh: Broken pipe"}
    task = mock.MagicMock()
    task.args = {"run": {"run": "05", "replicas": ["replica0", "replica1"]}, "before": reading, "after": after,
                 "clients": {"client0": runner(10.0, [10.5], [12.5], [13.0])}, "dest": str(tmp_path / "05.json")}
    task.check_mode = True
    task.async_val = 0
    action = ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    result = action.run(task_vars={})
    assert result["valid"] is False and result["unanswered"] == ["replica1"]
    assert "unreachable" not in result
