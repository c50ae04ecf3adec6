# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ethtool output of real drivers (fixtures/ethtool/README.md says where each was recorded) read
into data, and the plans made from it."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.nic import (
    CHANNEL_PARAMETERS,
    RING_PARAMETERS,
    ethtool_arguments,
    format_cpu_list,
    parse_channels,
    parse_coalesce,
    parse_cpu_list,
    parse_driver_info,
    parse_ring,
    plan_coalesce,
    plan_counts,
    read_settings,
)

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "ethtool")

SEED = {"adaptive_rx": False, "adaptive_tx": False, "rx_usecs": 0, "rx_frames": 1, "tx_usecs": 0, "tx_frames": 1}


def recorded(name):
    with open(os.path.join(FIXTURES, name)) as handle:
        return handle.read()


def test_virtio_net_coalesce():
    values = parse_coalesce(recorded("virtio_net-c.txt"))
    assert (values["adaptive-rx"], values["adaptive-tx"]) == (False, None)
    assert (values["rx-usecs"], values["rx-frames"], values["tx-usecs"], values["tx-frames"]) == (0, 1, 0, 1)
    assert values["cqe-mode-rx"] is None and values["rx-frames-low"] is None


def test_virtio_net_already_has_the_seed_values_but_no_adaptive_tx():
    changes, unsupported, problems = plan_coalesce(parse_coalesce(recorded("virtio_net-c.txt")), SEED)
    assert (changes, unsupported, problems) == ({}, ["adaptive-tx"], [])


def test_mellanox_adaptive_coalesce_is_turned_off_and_set():
    current = parse_coalesce(recorded("mellanox-adaptive-c.txt"))
    assert (current["adaptive-rx"], current["rx-usecs"], current["rx-frames"], current["rx-usecs-high"]) == (True, 16, 88, 128)
    changes, unsupported, problems = plan_coalesce(current, SEED)
    assert changes == {"adaptive-rx": False, "rx-usecs": 0, "rx-frames": 1, "tx-frames": 1}
    assert (unsupported, problems) == ([], [])
    assert ethtool_arguments(changes) == ["adaptive-rx", "off", "rx-frames", "1", "rx-usecs", "0", "tx-frames", "1"]


def test_a_driver_with_usecs_only_reports_the_frame_counts_as_unsupported():
    changes, unsupported, problems = plan_coalesce(parse_coalesce(recorded("usecs-only-c.txt")), SEED)
    assert changes == {"rx-usecs": 0, "tx-usecs": 0}
    assert unsupported == ["adaptive-rx", "adaptive-tx", "rx-frames", "tx-frames"]


def test_veth_supports_no_coalescing():
    # ethtool -c fails with "Operation not supported"; the module passes None.
    assert "Operation not supported" in recorded("veth-c.err")
    changes, unsupported, problems = plan_coalesce(None, SEED)
    assert changes == {} and problems == []
    assert unsupported == ["adaptive-rx", "adaptive-tx", "rx-frames", "rx-usecs", "tx-frames", "tx-usecs"]


@pytest.mark.parametrize(
    "wanted, message",
    [
        ({"rx_usec": 0}, "coalesce: 'rx_usec' is not an ethtool coalescing parameter"),
        ({"adaptive_rx": "off"}, "coalesce: adaptive_rx takes true or false, not 'off'."),
        ({"rx_usecs": -1}, "coalesce: rx_usecs takes a whole number >= 0, not -1."),
        ({"rx_frames": True}, "coalesce: rx_frames takes a whole number >= 0, not True."),
    ],
)
def test_bad_coalescing_settings(wanted, message):
    changes, unsupported, problems = plan_coalesce(parse_coalesce(recorded("virtio_net-c.txt")), wanted)
    assert any(p.startswith(message) for p in problems), problems
    assert changes == {}


def test_channels_of_real_drivers():
    assert parse_channels(recorded("virtio_net-l.txt")) == {
        "max": {"rx": None, "tx": None, "other": None, "combined": 1},
        "current": {"rx": None, "tx": None, "other": None, "combined": 1},
    }
    assert parse_channels(recorded("veth-l.txt"))["max"] == {"rx": 2, "tx": 2, "other": None, "combined": None}
    assert parse_channels(recorded("ena-l.txt"))["current"] == {"rx": 0, "tx": 0, "other": 0, "combined": 2}
    assert parse_channels(recorded("combined64-l.txt"))["max"]["combined"] == 64


def test_combined_one_where_the_driver_has_combined_channels():
    plan = plan_counts("channels", parse_channels(recorded("ena-l.txt")), {"combined": 1}, CHANNEL_PARAMETERS)
    assert plan == ({"combined": 1}, [], [])
    plan = plan_counts("channels", parse_channels(recorded("combined64-l.txt")), {"combined": 1}, CHANNEL_PARAMETERS)
    assert plan == ({}, [], [])


def test_veth_and_separate_queue_drivers_have_no_combined_channels():
    # The kernel's own answer to `ethtool -L veth combined 1` (veth-L-combined.err) is an error
    # about the maximum; the plan says plainly that the setting is unsupported instead.
    assert "requested channel count exceeds maximum" in recorded("veth-L-combined.err")
    for name in ("veth-l.txt", "separate-rxtx-l.txt"):
        plan = plan_counts("channels", parse_channels(recorded(name)), {"combined": 1}, CHANNEL_PARAMETERS)
        assert plan == ({}, ["combined"], []), name
    plan = plan_counts("channels", parse_channels(recorded("separate-rxtx-l.txt")), {"rx": 1, "tx": 1}, CHANNEL_PARAMETERS)
    assert plan == ({"rx": 1}, [], [])


def test_a_count_above_the_maximum_fails_before_any_change():
    assert "requested channel count exceeds maximum" in recorded("veth-L-rx9.err")
    changes, unsupported, problems = plan_counts(
        "channels", parse_channels(recorded("veth-l.txt")), {"rx": 9}, CHANNEL_PARAMETERS)
    assert problems == ["channels: rx 9 is above the NIC's maximum of 2."]
    assert changes == {}


def test_ring_sizes():
    ring = parse_ring(recorded("virtio_net-g.txt"))
    assert ring == {"max": {"rx": 256, "rx-mini": None, "rx-jumbo": None, "tx": 256},
                    "current": {"rx": 256, "rx-mini": None, "rx-jumbo": None, "tx": 256}}
    assert plan_counts("ring", ring, {"rx": 512}, RING_PARAMETERS)[2] == ["ring: rx 512 is above the NIC's maximum of 256."]
    assert plan_counts("ring", ring, {"rx_mini": 8}, RING_PARAMETERS)[1] == ["rx-mini"]
    assert plan_counts("ring", None, {"rx": 8}, RING_PARAMETERS)[1] == ["rx"]
    assert plan_counts("ring", ring, {"rxx": 8}, RING_PARAMETERS)[2][0].startswith("ring: 'rxx' is not one of rx, rx_mini")


@pytest.mark.parametrize(
    "text, cpus, compact",
    [("0", [0], "0"), ("0-3,8", [0, 1, 2, 3, 8], "0-3,8"), (" 2,0,1 \n", [0, 1, 2], "0-2"), ("5,7,9-10", [5, 7, 9, 10], "5,7,9-10")],
)
def test_cpu_lists(text, cpus, compact):
    assert parse_cpu_list(text) == cpus
    assert format_cpu_list(cpus) == compact


@pytest.mark.parametrize("bad", ["", "a", "3-1", "0,,1", "-1"])
def test_bad_cpu_lists(bad):
    with pytest.raises(ValueError):
        parse_cpu_list(bad)


def test_cpu_list_problems():
    from ansible_collections.electrode.cluster.plugins.module_utils.nic import cpu_list_problems
    assert cpu_list_problems("0,1", "0-1") == []
    assert cpu_list_problems("3", "0-1") == ["cpus 3 names CPU(s) 3, outside this host's online CPUs 0-1."]
    assert cpu_list_problems("2-1", "0-3") == ["cpus: '2-1' is not a CPU list: 2-1 runs backwards."]


def test_driver_info_of_real_drivers():
    assert parse_driver_info(recorded("veth-i.txt")) == {
        "driver": "veth", "version": "1.0", "firmware_version": None, "bus_info": None}
    assert parse_driver_info(recorded("e1000e-i.txt")) == {
        "driver": "e1000e", "version": "6.1.0-56-amd64", "firmware_version": "2.1-0", "bus_info": "0000:00:02.0"}
    assert parse_driver_info("") == {"driver": None, "version": None, "firmware_version": None, "bus_info": None}


def test_read_settings_of_a_veth_is_data_not_text():
    answers = {"-c": (1, "", recorded("veth-c.err")), "-l": (0, recorded("veth-l.txt"), ""),
               "-g": (1, "", recorded("veth-g.err"))}
    settings, error = read_settings(lambda argv: answers[argv[1]], "ethtool", "host0")
    assert error is None
    assert settings["coalesce"] is None and settings["ring"] is None
    assert settings["channels"]["current"] == {"rx": 1, "tx": 1, "other": None, "combined": None}


def test_read_settings_stops_at_a_failure_that_is_not_unsupported():
    answers = {"-c": (76, "", "Cannot get device coalesce settings: No such device")}
    settings, error = read_settings(lambda argv: answers[argv[1]], "ethtool", "eth9")
    assert settings == {}
    assert error == "ethtool -c eth9 failed: Cannot get device coalesce settings: No such device"
