# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ethtool module's reading and planning, fed the outputs real drivers gave (see
module_utils/fixtures/ethtool/README.md)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.electrode.cluster.plugins.modules.ethtool import plan, read

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "module_utils", "fixtures", "ethtool")


def recorded(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


class Failed(Exception):
    pass


class FakeModule:
    """Answers run_command with what a driver answered; records the commands."""

    def __init__(self, answers):
        self.answers = answers
        self.commands = []

    def run_command(self, argv):
        self.commands.append(argv)
        return self.answers[argv[1]]

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)


VETH = {"-c": (1, "", recorded("veth-c.err")), "-l": (0, recorded("veth-l.txt"), ""), "-g": (1, "", recorded("veth-g.err"))}
VIRTIO = {"-c": (0, recorded("virtio_net-c.txt"), ""), "-l": (0, recorded("virtio_net-l.txt"), ""),
          "-g": (0, recorded("virtio_net-g.txt"), "")}
SEED = {"coalesce": {"adaptive_rx": False, "adaptive_tx": False, "rx_usecs": 0, "rx_frames": 1, "tx_usecs": 0, "tx_frames": 1},
        "channels": {"combined": 1}, "ring": None}


def test_veth_reads_as_no_coalescing_and_rx_tx_channels():
    module = FakeModule(VETH)
    settings = read(module, "ethtool", "host0", ["coalesce", "channels"])
    assert settings["coalesce"] is None
    assert settings["channels"]["current"] == {"rx": 1, "tx": 1, "other": None, "combined": None}
    assert module.commands == [["ethtool", "-c", "host0"], ["ethtool", "-l", "host0"]]


def test_the_seed_settings_on_veth_are_all_unsupported():
    settings = read(FakeModule(VETH), "ethtool", "host0", ["coalesce", "channels"])
    changes, unsupported, problems = plan(settings, SEED)
    assert changes == {} and problems == []
    assert unsupported == ["coalesce adaptive-rx", "coalesce adaptive-tx", "coalesce rx-frames", "coalesce rx-usecs",
                           "coalesce tx-frames", "coalesce tx-usecs", "channels combined"]


def test_what_a_veth_supports_is_planned():
    settings = read(FakeModule(VETH), "ethtool", "host0", ["channels"])
    assert plan(settings, {"channels": {"rx": 2, "tx": 2}}) == ({"channels": {"rx": 2, "tx": 2}}, [], [])


def test_the_seed_settings_on_virtio_net():
    settings = read(FakeModule(VIRTIO), "ethtool", "eth0", ["coalesce", "channels", "ring"])
    changes, unsupported, problems = plan(settings, dict(SEED, ring={"rx": 300}))
    assert changes == {}
    assert unsupported == ["coalesce adaptive-tx"]
    assert problems == ["ring: rx 300 is above the NIC's maximum of 256."]


def test_an_ethtool_failure_that_is_not_unsupported_fails():
    module = FakeModule({"-c": (76, "", "Cannot get device coalesce settings: No such device")})
    with pytest.raises(Failed, match="ethtool -c eth9 failed: Cannot get device coalesce settings: No such device"):
        read(module, "ethtool", "eth9", ["coalesce"])


E1000E = {"-c": (0, recorded("e1000e-c.txt"), ""), "-l": (1, "", recorded("e1000e-l.err")),
          "-g": (0, recorded("e1000e-g.txt"), "")}


def test_e1000e_has_rx_usecs_and_rings_but_no_channels():
    settings = read(FakeModule(E1000E), "ethtool", "eth0", ["coalesce", "channels", "ring"])
    assert settings["channels"] is None
    assert settings["coalesce"]["rx-usecs"] == 3
    assert [k for k, v in settings["coalesce"].items() if v is not None] == ["rx-usecs"]
    assert settings["ring"] == {"max": {"rx": 4096, "rx-mini": None, "rx-jumbo": None, "tx": 4096},
                                "current": {"rx": 256, "rx-mini": None, "rx-jumbo": None, "tx": 256}}


def test_the_seed_settings_on_e1000e_set_rx_usecs_and_report_the_rest():
    settings = read(FakeModule(E1000E), "ethtool", "eth0", ["coalesce", "channels", "ring"])
    changes, unsupported, problems = plan(settings, dict(SEED, ring={"rx": 1024, "tx": 256}))
    assert changes == {"coalesce": {"rx-usecs": 0}, "ring": {"rx": 1024}}
    assert unsupported == ["coalesce adaptive-rx", "coalesce adaptive-tx", "coalesce rx-frames", "coalesce tx-frames",
                           "coalesce tx-usecs", "channels combined"]
    assert problems == []
    # The driver took rx-usecs 0 (recorded after `ethtool -C eth0 rx-usecs 0`): a second run plans nothing.
    after = dict(E1000E, **{"-c": (0, recorded("e1000e-c-rx-usecs0.txt"), "")})
    settings = read(FakeModule(after), "ethtool", "eth0", ["coalesce"])
    assert plan(settings, {"coalesce": SEED["coalesce"]})[0] == {}
