# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""service_units.apply on a real folder, with systemctl recorded instead of run."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import os

import pytest

from ansible_collections.electrode.cluster.plugins.modules.service_units import SystemctlError, apply, plan

HANDLER = "[Service]\nExecStart=/opt/fast\n"
REPLICA_A = "[Unit]\nBindsTo=electrode-handler.service\n[Service]\nExecStart=/opt/a/replica\n"
REPLICA_B = "[Service]\nExecStart=/opt/b/replica\n"
BOTH = ["electrode-handler.service", "electrode-replica.service"]


def folder(tmp_path, files=None):
    for name, content in (files or {}).items():
        (tmp_path / name).write_text(content)
    return str(tmp_path)


def run(directory, units, restart=(), force=False, check=False):
    calls = []
    result = apply(directory, units, list(restart), force, lambda *args: calls.append(args), check)
    return result, calls


def test_a_first_install_writes_both_units_reloads_once_and_restarts_them_in_one_call(tmp_path):
    directory = folder(tmp_path)
    result, calls = run(directory, {BOTH[0]: HANDLER, BOTH[1]: REPLICA_A}, BOTH)
    assert calls == [("daemon-reload",), ("restart",) + tuple(BOTH)]
    assert result["written"] == BOTH and result["removed"] == [] and result["restarted"] == BOTH and result["changed"]
    assert (tmp_path / BOTH[1]).read_text() == REPLICA_A
    assert oct(os.stat(str(tmp_path / BOTH[0])).st_mode & 0o777) == "0o644"
    assert result["files"][os.path.join(directory, BOTH[1])] == hashlib.sha256(REPLICA_A.encode()).hexdigest()
    assert [d["before_header"] for d in result["diff"]] == ["(absent)", "(absent)"]
    # No temporary file is left beside the units.
    assert sorted(os.listdir(directory)) == BOTH


def test_a_switch_to_the_baseline_stops_and_removes_the_handler_before_writing_the_replica(tmp_path):
    directory = folder(tmp_path, {BOTH[0]: HANDLER, BOTH[1]: REPLICA_A})
    result, calls = run(directory, {BOTH[0]: None, BOTH[1]: REPLICA_B}, [BOTH[1]])
    assert calls == [("disable", "--now", "--no-reload", BOTH[0]), ("daemon-reload",), ("restart", BOTH[1])]
    assert os.listdir(directory) == [BOTH[1]] and (tmp_path / BOTH[1]).read_text() == REPLICA_B
    assert result["files"][os.path.join(directory, BOTH[0])] is None
    assert result["removed"] == [BOTH[0]] and result["written"] == [BOTH[1]]


def test_nothing_to_do_changes_nothing_and_calls_nothing(tmp_path):
    (tmp_path / BOTH[1]).write_text(REPLICA_B)
    result, calls = run(str(tmp_path), {BOTH[0]: None, BOTH[1]: REPLICA_B}, [BOTH[1]])
    assert calls == [] and not result["changed"] and result["restarted"] == [] and result["diff"] == []


def test_a_fresh_start_restarts_without_reloading(tmp_path):
    (tmp_path / BOTH[1]).write_text(REPLICA_B)
    result, calls = run(str(tmp_path), {BOTH[1]: REPLICA_B}, [BOTH[1]], force=True)
    assert calls == [("restart", BOTH[1])] and result["changed"] and result["written"] == []


def test_check_mode_says_what_would_change_and_touches_nothing(tmp_path):
    (tmp_path / BOTH[0]).write_text(HANDLER)
    (tmp_path / BOTH[1]).write_text(REPLICA_A)
    result, calls = run(str(tmp_path), {BOTH[0]: None, BOTH[1]: REPLICA_B}, [BOTH[1]], check=True)
    assert calls == [] and result["changed"]
    assert result["removed"] == [BOTH[0]] and result["written"] == [BOTH[1]] and result["restarted"] == [BOTH[1]]
    assert (tmp_path / BOTH[0]).read_text() == HANDLER and (tmp_path / BOTH[1]).read_text() == REPLICA_A
    assert [(d["before"], d["after"]) for d in result["diff"]] == [(HANDLER, ""), (REPLICA_A, REPLICA_B)]


def test_a_failed_systemctl_leaves_the_error_to_the_caller(tmp_path):
    def failing(*args):
        raise RuntimeError("systemctl %s failed" % args[0])
    with pytest.raises(RuntimeError, match="daemon-reload"):
        apply(str(tmp_path), {BOTH[1]: REPLICA_B}, [BOTH[1]], False, failing)


def test_a_restart_that_fails_once_is_tried_again_a_second_later_and_says_so(tmp_path):
    (tmp_path / BOTH[1]).write_text(REPLICA_B)
    calls, waits = [], []

    def once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise SystemctlError("systemctl restart failed (rc 1): Job for x failed")
    result = apply(str(tmp_path), {BOTH[1]: REPLICA_B}, [BOTH[1]], True, once, sleep=waits.append)
    assert calls == [("restart", BOTH[1]), ("reset-failed", BOTH[1]), ("restart", BOTH[1])] and waits == [1]
    assert result["restarted"] == [BOTH[1]] and result["retried"] == "systemctl restart failed (rc 1): Job for x failed"


def test_a_restart_that_fails_twice_is_the_callers_error(tmp_path):
    def always(*args):
        raise SystemctlError("systemctl %s failed" % args[0])
    with pytest.raises(SystemctlError, match="restart"):
        apply(str(tmp_path), {}, [BOTH[1]], True, always, sleep=lambda seconds: None)


@pytest.mark.parametrize("name", ["../evil.service", "sub/unit.service", "", ".."])
def test_names_that_are_paths_are_refused_before_anything_is_read(tmp_path, name):
    with pytest.raises(ValueError, match="file names, not paths"):
        plan(str(tmp_path), {name: HANDLER})
