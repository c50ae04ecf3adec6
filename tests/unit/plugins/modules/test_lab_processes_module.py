# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""modules/lab_processes.py on real processes: a child that chroots into a folder of its own (as
a lab node's init does into the node's root) is found by that root, left alone in check mode and
with state=present, and stopped with state=absent."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.electrode.cluster.plugins.modules import lab_processes

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="chroot needs root")


@pytest.fixture
def jailed(tmp_path):
    """A process whose root directory is tmp_path/root, as a lab node's processes have theirs."""
    root = tmp_path / "root"
    root.mkdir()
    root = os.path.realpath(str(root))
    pid = os.fork()
    if pid == 0:  # the child: into its root, then wait to be stopped
        try:
            os.chroot(root)
            os.chdir("/")
            time.sleep(60)
        finally:
            os._exit(0)
    deadline = time.time() + 10
    while os.readlink("/proc/%d/root" % pid) != root and time.time() < deadline:
        time.sleep(0.01)
    try:
        yield root, pid
    finally:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
        os.waitpid(pid, 0)


def run(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            lab_processes.main()
    return json.loads(capsys.readouterr().out)


def alive(pid):
    # A child that was killed stays a zombie until waited for: read its state.
    with open("/proc/%d/stat" % pid) as handle:
        return handle.read().split(") ", 1)[1][0] != "Z"


def test_found_by_its_root_and_left_alone(capsys, jailed):
    root, pid = jailed
    result = run(capsys, root=root)
    assert (result["changed"], result["pids"]) == (False, [pid])
    assert str(pid) in result["commands"]
    checked = run(capsys, root=root, state="absent", _ansible_check_mode=True)
    assert (checked["changed"], checked["pids"]) == (True, [pid])
    assert alive(pid)


def test_stopped_with_state_absent(capsys, jailed):
    root, pid = jailed
    result = run(capsys, root=root, state="absent")
    assert (result["changed"], result["pids"], result["left"]) == (True, [pid], [])
    assert not alive(pid)
    again = run(capsys, root=root, state="absent")
    assert (again["changed"], again["pids"]) == (False, [])


def test_a_root_that_does_not_exist_has_no_processes(capsys, tmp_path):
    result = run(capsys, root=str(tmp_path / "gone"), state="absent")
    assert (result["changed"], result["pids"]) == (False, [])
