# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""electrode_state's reading of an interface's settings, fed what real drivers answered (see
module_utils/fixtures/ethtool/README.md): data as the ethtool module reads it, never text."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.electrode.cluster.plugins.modules.electrode_state import read_nic

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "module_utils", "fixtures", "ethtool")


def recorded(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, answers):
        self.answers = answers

    def get_bin_path(self, name, required=False):
        return "/usr/sbin/" + name

    def run_command(self, argv):
        return self.answers[argv[1]]

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)


def test_a_veth_reads_as_values():
    module = FakeModule({"-c": (1, "", recorded("veth-c.err")), "-l": (0, recorded("veth-l.txt"), ""),
                         "-g": (1, "", recorded("veth-g.err")), "-i": (0, recorded("veth-i.txt"), "")})
    nic = read_nic(module, "lo")
    assert nic["driver"]["driver"] == "veth"
    assert nic["coalesce"] is None and nic["ring"] is None
    assert nic["channels"]["max"] == {"rx": 2, "tx": 2, "other": None, "combined": None}
    # The MTU comes from sysfs: the loopback interface of whatever runs the test.
    with open("/sys/class/net/lo/mtu") as handle:
        assert nic["mtu"] == int(handle.read())


def test_e1000e_reads_its_coalescing_and_rings():
    module = FakeModule({"-c": (0, recorded("e1000e-c.txt"), ""), "-l": (1, "", recorded("e1000e-l.err")),
                         "-g": (0, recorded("e1000e-g.txt"), ""), "-i": (0, recorded("e1000e-i.txt"), "")})
    nic = read_nic(module, "no-such-interface")
    assert nic["driver"]["driver"] == "e1000e" and nic["driver"]["bus_info"] == "0000:00:02.0"
    assert nic["coalesce"]["rx-usecs"] == 3 and nic["channels"] is None
    assert nic["ring"]["current"]["rx"] == 256
    assert nic["mtu"] is None


def test_an_interface_that_is_gone_fails_naming_it():
    module = FakeModule({"-c": (76, "", "Cannot get device coalesce settings: No such device")})
    with pytest.raises(Failed, match="ethtool -c eth9 failed: .*No such device"):
        read_nic(module, "eth9")
