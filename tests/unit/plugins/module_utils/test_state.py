# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/state.py: systemctl show output as recorded on a lab replica, and the records."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.state import (
    bpf_mounts,
    file_digests,
    journal_digest,
    node_state,
    parse_proc_stat,
    parse_process_stat,
    parse_systemctl_show,
    read_records,
    units_services,
)

# Recorded on a lab replica running the baseline (no handler unit), a running replica, and a unit
# that does not exist.
SHOW = """MainPID=0
NRestarts=0
ExecMainStatus=0
CPUUsageNSec=[not set]
LoadState=not-found
ActiveState=inactive
SubState=dead
InvocationID=

MainPID=6239
NRestarts=2
ExecMainStatus=0
CPUUsageNSec=183920000
LoadState=loaded
ActiveState=active
SubState=running
InvocationID=1f9980534511433886e5fb1605d24fce

MainPID=0
NRestarts=0
ExecMainStatus=0
CPUUsageNSec=[not set]
LoadState=not-found
ActiveState=inactive
SubState=dead
InvocationID=
"""
UNITS = ["electrode-handler.service", "electrode-replica.service", "electrode-nothing.service"]


def test_parses_each_unit_block_in_the_order_named():
    units = parse_systemctl_show(SHOW, UNITS)
    assert units["electrode-replica.service"] == {
        "load_state": "loaded", "active_state": "active", "sub_state": "running",
        "invocation_id": "1f9980534511433886e5fb1605d24fce", "n_restarts": 2, "main_pid": 6239,
        "exec_main_status": 0, "cpu_usage_nsec": 183920000, "unit_file_state": None, "working_directory": None,
        "exec_argv": None}
    handler = units["electrode-handler.service"]
    assert handler["load_state"] == "not-found" and handler["invocation_id"] is None
    assert handler["cpu_usage_nsec"] is None and handler["main_pid"] == 0


def test_a_block_count_that_does_not_match_the_units_is_an_error():
    with pytest.raises(ValueError, match="printed 3 unit block"):
        parse_systemctl_show(SHOW, UNITS[:2])


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(data if isinstance(data, str) else json.dumps(data))


def test_records_of_each_stage_with_whether_their_folders_are_still_there(tmp_path):
    state = str(tmp_path / "state")
    tree = tmp_path / "linux-source-5.10"
    tree.mkdir()
    build = tmp_path / "builds/FAST_REPLY-abc"
    build.mkdir(parents=True)
    write(state + "/kernel_tree.json", {"path": str(tree), "release": "5.10", "inputs": {"method": "distro_package"}})
    write(state + "/builds/FAST_REPLY-abc.json", {"name": "FAST_REPLY-abc", "dir": str(build), "features": ["FAST_REPLY"]})
    write(state + "/builds/baseline-def.json", {"name": "baseline-def", "dir": str(tmp_path / "gone"), "features": []})
    write(state + "/stages/nic_tuning.json", {"inputs": {"interface": "host0", "mtu": 3000}})
    records = read_records(state)
    assert records["kernel_tree"]["present"] is True and records["kernel_tree"]["release"] == "5.10"
    assert records["builds"]["FAST_REPLY-abc"]["present"] is True
    assert records["builds"]["baseline-def"]["present"] is False
    assert records["stages"] == {"nic_tuning": {"inputs": {"interface": "host0", "mtu": 3000}}}


def test_a_fresh_node_has_no_records(tmp_path):
    assert read_records(str(tmp_path / "state")) == {"kernel_tree": None, "builds": {}, "stages": {}}


def test_a_broken_record_names_its_file(tmp_path):
    write(str(tmp_path / "state/kernel_tree.json"), "{not json")
    with pytest.raises(ValueError, match="kernel_tree.json is not JSON"):
        read_records(str(tmp_path / "state"))


def test_node_state_reads_cpus_interfaces_and_the_common_start(tmp_path):
    (tmp_path / "sys/devices/system/cpu").mkdir(parents=True)
    (tmp_path / "sys/devices/system/cpu/online").write_text("0-1\n")
    for name in ("lo", "host0"):
        (tmp_path / "sys/class/net" / name).mkdir(parents=True)
    write(str(tmp_path / "run/starts.json"), {"replica0": "aa", "replica1": "bb"})
    state = node_state(str(tmp_path / "state"), str(tmp_path / "run/starts.json"), sys_root=str(tmp_path))
    assert state["online_cpus"] == "0-1"
    assert state["interfaces"] == ["host0", "lo"]
    assert state["replica_starts"] == {"replica0": "aa", "replica1": "bb"}
    assert state["state_dir"] == str(tmp_path / "state")


# journalctl --output json of a follower's replica killed with SIGKILL during a run (fields cut to
# those read): the replica's own lines (stderr, priority 6), one of them Electrode's warning mark,
# and systemd's lines about the unit.
JOURNAL = "\n".join(json.dumps(entry) for entry in [
    {"__REALTIME_TIMESTAMP": "1764669600123456", "PRIORITY": "6", "SYSLOG_IDENTIFIER": "replica", "_PID": "812",
     "MESSAGE": "20261202-100000-1234 00812 * main            (replica.cc:64):       replica 2 of 3 listening on port 12345"},
    {"__REALTIME_TIMESTAMP": "1764669601000001", "PRIORITY": "5", "SYSLOG_IDENTIFIER": "systemd", "_PID": "1",
     "MESSAGE": "electrode-replica.service: Main process exited, code=killed, status=9/KILL"},
    {"__REALTIME_TIMESTAMP": "1764669601000002", "PRIORITY": "4", "SYSLOG_IDENTIFIER": "systemd", "_PID": "1",
     "MESSAGE": "electrode-replica.service: Failed with result 'signal'."},
    {"__REALTIME_TIMESTAMP": "1764669602000000", "PRIORITY": "6", "SYSLOG_IDENTIFIER": "replica", "_PID": "901",
     "MESSAGE": "20261202-100002-0001 00901 ! HandleRequestSt (replica.cc:389):    [2] Failed to send RequestStateTransfer"},
    {"__REALTIME_TIMESTAMP": "1764669602500000", "PRIORITY": "6", "SYSLOG_IDENTIFIER": "replica", "_PID": "901",
     "MESSAGE": [102, 114, 101, 101, 40, 41, 58, 32, 255]},
]) + "\nnot json\n"


def test_journal_lines_for_people_and_the_warnings():
    digest = journal_digest(JOURNAL)
    assert digest["lines"][0] == ("2025-12-02T10:00:00.123456Z replica[812]: 20261202-100000-1234 00812 * main"
                                  "            (replica.cc:64):       replica 2 of 3 listening on port 12345")
    assert len(digest["lines"]) == 5
    assert digest["lines"][4].endswith("replica[901]: free(): \ufffd")
    assert [line.split(": ", 1)[1][:40] for line in digest["warnings"]] == [
        "electrode-replica.service: Failed with r",
        "20261202-100002-0001 00901 ! HandleReque",
    ]
    assert journal_digest("") == {"lines": [], "warnings": []}


# /proc/stat of this project's development machine (Debian 12, 2 CPUs), its first lines.
PROC_STAT = """cpu  163028 0 71178 160636 6953 0 2365 2469 0 0
cpu0 76721 0 33789 88725 1632 0 903 1327 0 0
cpu1 86307 0 37389 71911 5321 0 1462 1142 0 0
intr 4289169 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
btime 1796245378
"""


def test_node_cpu_times_in_nanoseconds():
    times = parse_proc_stat(PROC_STAT, ticks_per_second=100)
    assert times["user"] == 163028 * 10000000
    assert times["softirq"] == 2365 * 10000000 and times["steal"] == 2469 * 10000000
    assert sorted(times) == ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"]
    assert parse_proc_stat("") == {}


def test_node_state_reads_cpu_times_and_boot_id(tmp_path):
    (tmp_path / "proc" / "sys" / "kernel" / "random").mkdir(parents=True)
    (tmp_path / "proc" / "stat").write_text(PROC_STAT)
    (tmp_path / "proc" / "sys" / "kernel" / "random" / "boot_id").write_text("5c8e0d5e-aaaa\n")
    state = node_state(str(tmp_path / "state"), str(tmp_path / "starts.json"), sys_root=str(tmp_path))
    assert state["cpu"]["boot_id"] == "5c8e0d5e-aaaa" and state["cpu"]["btime"] == 1796245378
    assert state["cpu"]["system"] > 0


def test_a_process_cpu_time_from_its_stat_line():
    # /proc/PID/stat of the fixture's replica on the lab (utime 0, stime 32 ticks); a name may hold
    # spaces and parentheses.
    line = ("17229 (replica) S 1 17229 17229 0 -1 4194560 217 0 0 0 0 32 0 0 20 0 1 0 306446 5795840 807 "
            "18446744073709551615 94332785823744 94332785830193 140734963021680 0 0 0 0 4096 0 1 0 0 17 1 0 0 0 0 0 "
            "94332785839536 94332785840408 94333597061120 140734963027646 140734963027729 140734963027729 "
            "140734963027902 0")
    assert parse_process_stat(line, 100) == 32 * 10000000
    assert parse_process_stat(line.replace("(replica)", "(a (b) c)"), 100) == 32 * 10000000
    assert parse_process_stat("", 100) is None and parse_process_stat("812 (x) S 1", 100) is None


# Recorded on a lab replica running the fixture's accelerated build (cgroup v1 in a container: no
# CPUUsageNSec), with the properties that say what the units run.
BUILD_DIR = "/opt/electrode/builds/TC_BROADCAST+FAST_QUORUM_PRUNE+FAST_REPLY-e84c945b2565"
SHOW_RUNNING = """MainPID=18982
NRestarts=0
ExecMainStatus=0
ExecStart={ path=%(dir)s/xdp-handler/fast ; argv[]=%(dir)s/xdp-handler/fast host0 ; ignore_errors=no ; \
start_time=[Wed 2026-12-02 22:16:03 UTC] ; stop_time=[n/a] ; pid=18982 ; code=(null) ; status=0/0 }
CPUUsageNSec=[not set]
WorkingDirectory=%(dir)s/xdp-handler
LoadState=loaded
ActiveState=active
SubState=running
UnitFileState=disabled
InvocationID=730022644def46e28d99be0131b56534

MainPID=19002
NRestarts=1
ExecMainStatus=0
ExecStart={ path=%(dir)s/bench/replica ; argv[]=%(dir)s/bench/replica -c config.txt -m vr -i 1 ; ignore_errors=no ; \
start_time=[Wed 2026-12-02 22:16:04 UTC] ; stop_time=[n/a] ; pid=19002 ; code=(null) ; status=0/0 }
CPUUsageNSec=[not set]
WorkingDirectory=%(dir)s
LoadState=loaded
ActiveState=active
SubState=running
UnitFileState=enabled
InvocationID=b1292dbe51d34f3f812f668b64fd90c8
""".replace("\\\n", "") % {"dir": BUILD_DIR}


def test_what_the_units_run_is_read_from_the_units():
    units = parse_systemctl_show(SHOW_RUNNING, UNITS[:2])
    replica = units["electrode-replica.service"]
    assert replica["exec_argv"] == [BUILD_DIR + "/bench/replica", "-c", "config.txt", "-m", "vr", "-i", "1"]
    assert replica["working_directory"] == BUILD_DIR and replica["unit_file_state"] == "enabled"
    assert replica["cpu_usage_nsec"] is None
    builds = {"b": {"name": "TC_BROADCAST+FAST_QUORUM_PRUNE+FAST_REPLY-e84c945b2565", "dir": BUILD_DIR,
                    "features": ["TC_BROADCAST"], "present": True}}
    services = units_services(units, builds)
    assert services == {"build": {"name": "TC_BROADCAST+FAST_QUORUM_PRUNE+FAST_REPLY-e84c945b2565", "dir": BUILD_DIR,
                                  "features": ["TC_BROADCAST"]}, "accelerated": True, "protocol": "vr"}
    # A build no record names is still the units' build, by its folder.
    assert units_services(units, {})["build"] == {"name": BUILD_DIR.rsplit("/", 1)[1], "dir": BUILD_DIR}


def test_no_replica_unit_runs_nothing():
    units = parse_systemctl_show(SHOW, UNITS)
    assert units_services(dict(units, **{"electrode-replica.service": units["electrode-nothing.service"]}), {}) is None
    # The baseline: a replica unit without a handler unit.
    baseline = parse_systemctl_show(SHOW_RUNNING, UNITS[:2])
    baseline["electrode-handler.service"] = units["electrode-handler.service"]
    assert units_services(baseline, {})["accelerated"] is False


def test_bpf_mounts_and_file_digests(tmp_path):
    # In the form of /proc/self/mounts; the second line as a lab node shows its own bpffs (the
    # host's mount of it, named after the node, bound on /sys/fs/bpf); a space is written \040.
    mounts = ("/dev/sda1 / ext4 rw,relatime 0 0\n"
              "electrode-lab-replica0 /sys/fs/bpf bpf rw,relatime,mode=700 0 0\n"
              "bpf /run/my\\040bpf bpf rw,relatime 0 0\n")
    assert bpf_mounts(mounts) == ["/sys/fs/bpf", "/run/my bpf"]
    unit = tmp_path / "electrode-replica.service"
    unit.write_text("[Unit]\n")
    digests = file_digests([str(unit), str(tmp_path / "none")])
    assert digests == {str(unit): hashlib.sha256(b"[Unit]\n").hexdigest(), str(tmp_path / "none"): None}
