# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The replicas' sampler (module_utils/bench_sampler.py) on a /proc and /sys of our own: the
node's CPU times, a unit's cgroup or process time, the handler's eBPF programs read from its
descriptors, the interface's packets; and the sampler started as its own process, then stopped
and read back."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
import time

from ansible_collections.electrode.cluster.plugins.module_utils import bench_sampler as sampler

FDINFO_XDP = "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t1032\nprog_type:\t6\nprog_jited:\t1\nprog_tag:\t9e1672d578f228e3\n" \
    "memlock:\t4096\nprog_id:\t343\nrun_time_ns:\t1500\nrun_cnt:\t12\nrecursion_misses:\t0\nverified_insns:\t52\n"
FDINFO_TC = FDINFO_XDP.replace("prog_type:\t6", "prog_type:\t3").replace("prog_id:\t343", "prog_id:\t344")


def fake_node(root, cgroup=True):
    proc = root / "proc"
    (proc / "sys" / "kernel").mkdir(parents=True)
    (proc / "stat").write_text("cpu  39379 0 18399 89472 894 3 1419 161 0 0\ncpu0 1 2 3 4 5 6 7 8\nbtime 1796245378\n")
    # The handler (pid 7): two maps and two programs among its descriptors.
    (proc / "7" / "fd").mkdir(parents=True)
    (proc / "7" / "fdinfo").mkdir()
    for fd, target, info in (("3", "anon_inode:bpf-map", "map_type:\t2\n"), ("8", "anon_inode:bpf-prog", FDINFO_XDP),
                             ("9", "anon_inode:bpf-prog", FDINFO_TC), ("10", "/dev/null", "")):
        os.symlink(target, str(proc / "7" / "fd" / fd))
        (proc / "7" / "fdinfo" / fd).write_text(info)
    (proc / "7" / "stat").write_text("7 (fast user) S 1 7 7 0 -1 4194560 1 0 0 0 5 3 0 0 20 0 1 0 1 1 1\n")
    (proc / "7" / "cgroup").write_text("1:cpu:/\n0::/system.slice/electrode-handler.service\n")
    (proc / "9").mkdir()
    (proc / "9" / "stat").write_text("9 (replica) R 1 9 9 0 -1 4194560 1 0 0 0 250 50 4 1 20 0 1 0 1 1 1\n")
    (proc / "9" / "cgroup").write_text("0::/system.slice/electrode-replica.service\n")
    if cgroup:
        folder = root / "sys" / "fs" / "cgroup" / "system.slice" / "electrode-replica.service"
        folder.mkdir(parents=True)
        (folder / "cpu.stat").write_text("usage_usec 4200\nuser_usec 4000\nsystem_usec 200\n")
    stats = root / "sys" / "class" / "net" / "host0" / "statistics"
    stats.mkdir(parents=True)
    (stats / "rx_packets").write_text("671320\n")
    (stats / "tx_packets").write_text("670413\n")
    return str(proc), str(root / "sys")


def test_a_sample_reads_cpu_units_programs_and_packets(tmp_path):
    proc, sys_root = fake_node(tmp_path)
    spec = {"ticks": 100, "interface": "host0", "handler_pid": 7,
            "units": {"electrode-handler.service": 7, "electrode-replica.service": 9, "electrode-gone.service": 0}}
    sample = sampler.take_sample(spec, proc=proc, sys_root=sys_root, clock=lambda: 12.5)
    assert sample["t"] == 12.5
    assert sample["cpu"] == {"user": 39379, "nice": 0, "system": 18399, "idle": 89472, "iowait": 894, "irq": 3,
                             "softirq": 1419, "steal": 161}
    # The replica's cgroup has cpu.stat; the handler's does not: its process's utime + stime.
    assert sample["units"] == {"electrode-handler.service": {"ns": 80000000, "source": "process"},
                               "electrode-replica.service": {"ns": 4200000, "source": "cgroup"}}
    assert sample["bpf"] == {"343": {"type": "xdp", "run_time_ns": 1500, "run_cnt": 12},
                             "344": {"type": "tc", "run_time_ns": 1500, "run_cnt": 12}}
    assert sample["net"] == {"rx_packets": 671320, "tx_packets": 670413}


def test_without_a_cgroup_file_the_process_time_counts(tmp_path):
    proc, sys_root = fake_node(tmp_path, cgroup=False)
    sample = sampler.take_sample({"ticks": 100, "units": {"r": 9}}, proc=proc, sys_root=sys_root)
    assert sample["units"] == {"r": {"ns": 3000000000, "source": "process"}} and sample["bpf"] == {}


def test_fdinfo_and_cpu_lines_parse():
    assert sampler.parse_fdinfo(FDINFO_XDP)["prog_id"] == 343
    assert sampler.parse_fdinfo(FDINFO_XDP)["prog_tag"] == "9e1672d578f228e3"
    assert sampler.parse_cpu_line("intr 1\n") == {}


def test_the_sampler_runs_as_its_own_process_and_is_read_back(tmp_path):
    path = str(tmp_path / "sampler.jsonl")
    pid = sampler.start({"path": path, "until": time.time() + 30, "interval": 0.05, "interface": "lo",
                         "units": {"self": os.getpid()}, "bpf_stats": False}, sys.executable)
    assert pid > 0
    time.sleep(0.6)
    header, samples, error = sampler.collect(path)
    assert error is None and header["bpf_stats"] == "off: not asked for (bench_bpf_stats)"
    assert header["pid"] == pid and header["ticks"] > 0
    assert len(samples) >= 4 and samples[0]["t"] < samples[-1]["t"]
    assert samples[-1]["units"]["self"]["ns"] >= 0 and samples[-1]["net"]["rx_packets"] is not None
    # Its files gone, and it stops on the signal.
    assert not os.path.exists(path)
    deadline = time.time() + 3
    while time.time() < deadline and os.path.exists("/proc/%d/status" % pid) and not _zombie(pid):
        time.sleep(0.05)
    assert not os.path.exists("/proc/%d/status" % pid) or _zombie(pid)


def _zombie(pid):
    with open("/proc/%d/status" % pid) as handle:
        return "zombie" in handle.read()


def test_collecting_a_sampler_that_never_started_says_why(tmp_path):
    path = tmp_path / "sampler.jsonl"
    (tmp_path / "sampler.jsonl.err").write_text("Traceback: something broke\n")
    header, samples, error = sampler.collect(str(path))
    assert (header, samples) == ({}, []) and "something broke" in error
    assert json.dumps(sampler.collect(str(tmp_path / "none.jsonl"))[2]).startswith('"the sampler wrote nothing')
