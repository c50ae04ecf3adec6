# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""client_summary on client outputs of our own in the client's format (log prefix, one block per
thread, All clients done.), complete, multi-threaded, partial, failed and malformed."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.bench import (
    ClientOutputError,
    cell_order,
    client_health,
    client_summary,
    combine_clients,
    client_windows,
    cpu_cost,
    load_points,
    percentile,
    provenance_differences,
    provenance_view,
    replica_cpu,
    run_record,
    run_validity,
    window_problems,
    xdp_counters,
    xdp_delta,
)

PREFIX = "20261025-221459-%04d 01448 * %-15s (benchmark.cc:%d): "


def block(requests, seconds, p50, p90, p95, p99, n=0):
    return "".join([
        PREFIX % (n, "Finish", 156) + "Completed %d requests in %s seconds\n" % (requests, seconds),
        PREFIX % (n + 1, "CooldownDone", 96) + "Median latency is %d ns (%d us)\n" % (p50, p50 // 1000),
        PREFIX % (n + 2, "CooldownDone", 100) + "90th percentile latency is %d ns (%d us)\n" % (p90, p90 // 1000),
        PREFIX % (n + 3, "CooldownDone", 104) + "95th percentile latency is %d ns (%d us)\n" % (p95, p95 // 1000),
        PREFIX % (n + 4, "CooldownDone", 108) + "99th percentile latency is %d ns (%d us)\n" % (p99, p99 // 1000),
    ])


DONE = PREFIX % (9, "main", 249) + "All clients done.\n" + PREFIX % (10, "Latency_Dump", 281) + \
    "LATENCY total: 23 us 83 us/64 us 2600 us (10000 samples, 1 s total)\n"
ONE = "startup noise\n" + block(10000, "10.773609", 83726, 2413812, 2500000, 2600000) + DONE


def test_one_thread():
    summary = client_summary(ONE)
    assert summary["requests"] == 10000 and summary["seconds"] == 10.773609 and summary["threads"] == 1
    assert summary["throughput_rps"] == pytest.approx(10000 / 10.773609)
    assert summary["latency_ns"] == {"p50": 83726, "p90": 2413812, "p95": 2500000, "p99": 2600000}


def test_interleaved_clients_of_one_event_loop():
    # The order and figures the fixture client printed with -t 2 on the lab, as the real client
    # orders them (both Completed lines, then each client's block when its cool-down timer fires,
    # in the order they finished); the second count changed from 500 to 400 to tell them apart.
    text = (PREFIX % (0, "client_thread", 79) + "Completed 500 requests in 0.063175 seconds\n"
            + PREFIX % (1, "client_thread", 79) + "Completed 400 requests in 0.063237 seconds\n"
            + "".join(block(500, "0.063175", 119197, 177594, 195972, 238596).splitlines(True)[1:])
            + "".join(block(400, "0.063237", 119718, 175591, 195841, 243052).splitlines(True)[1:]) + DONE)
    summary = client_summary(text)
    assert summary["threads"] == 2 and summary["requests"] == 900
    assert [t["latency_ns"]["p99"] for t in summary["per_thread"]] == [238596, 243052]
    assert [t["requests"] for t in summary["per_thread"]] == [500, 400]


def test_threads_are_aggregated():
    text = block(3000, "2.0", 100, 200, 300, 400) + block(1000, "4.0", 500, 600, 700, 800, 5) + DONE
    summary = client_summary(text)
    assert summary["requests"] == 4000 and summary["seconds"] == 4.0 and summary["threads"] == 2
    assert summary["throughput_rps"] == 1000.0
    # No mean of the threads' percentiles (a weighted mean would say p50 200 ns, which no request
    # had): the run's come from the pooled samples; each thread keeps its own.
    assert summary["latency_ns"] is None
    assert [t["requests"] for t in summary["per_thread"]] == [3000, 1000]
    assert [t["latency_ns"]["p50"] for t in summary["per_thread"]] == [100, 500]


@pytest.mark.parametrize("text,message", [
    ("", "the client printed nothing"),
    (PREFIX % (0, "main", 1) + "retrying request 1\n" * 3, "no 'Completed N requests in S seconds' line"),
    (block(10, "1.0", 1, 2, 3, 4), "no 'All clients done.' line"),
    (block(10, "1.0", 1, 2, 3, 4).replace("99th", "98th") + DONE, "thread 0 has no p99 latency line"),
    (block(10, "1.0", 1, 2, 3, 4).split("\n", 3)[3] + DONE, "line 1: a latency line before any 'Completed ... requests' line"),
    (PREFIX % (0, "x", 1) + "Median latency is 5 ns (0 us)\n" + block(10, "1.0", 1, 2, 3, 4) + DONE,
     "line 1: a latency line before any 'Completed ... requests' line of its own"),
    (block(0, "1.0", 1, 2, 3, 4) + DONE, "thread 0 completed 0 requests in 1.0 seconds"),
    (block(10, "1.0", 1, 2, 3, 4).rsplit("\n", 3)[0] + "\n" + block(10, "1.0", 1, 2, 3, 4) + DONE,
     "thread 0 has no p95, p99 latency line"),
    (block(10, "1.0", 1, 2, 3, 4) + PREFIX % (7, "x", 1) + "99th percentile latency is 9 ns (0 us)\n" + DONE,
     "line 6: a second p99 latency line in one client's block"),
])
def test_bad_output_is_an_error_never_zeros(text, message):
    with pytest.raises(ClientOutputError, match=re.escape(message)):
        client_summary(text)


def test_clients_combined():
    a = client_summary(block(1000, "1.0", 100, 200, 300, 400) + DONE)
    b = client_summary(block(3000, "2.0", 500, 600, 700, 800) + DONE)
    run = combine_clients([a, b])
    assert run["requests"] == 4000 and run["seconds"] == 2.0 and run["throughput_rps"] == 2000.0
    # Percentiles of two clients are those of their pooled samples (run_record), never a mean of theirs.
    assert run["latency_ns"] is None and run["clients"] == 2
    assert combine_clients([a])["latency_ns"]["p50"] == 100


def test_percentile():
    samples = list(range(1, 101))
    assert percentile(samples, 0.5) == 51 and percentile(samples, 0.99) == 100


VETH_BEFORE = """NIC statistics:
     peer_ifindex: 12
     rx_queue_0_xdp_packets: 100
     rx_queue_0_xdp_bytes: 9000
     rx_queue_0_xdp_tx: 3
     rx_queue_0_xdp_drops: 0
     tx_queue_0_xdp_xmit: 0
"""
VETH_AFTER = VETH_BEFORE.replace("xdp_packets: 100", "xdp_packets: 30100").replace("xdp_tx: 3", "xdp_tx: 10006")


def test_xdp_delta_keeps_every_xdp_counter():
    from ansible_collections.electrode.cluster.plugins.module_utils.bench import xdp_delta
    assert xdp_delta(VETH_BEFORE, VETH_AFTER) == {
        "rx_queue_0_xdp_packets": 30000, "rx_queue_0_xdp_bytes": 0, "rx_queue_0_xdp_tx": 10003,
        "rx_queue_0_xdp_drops": 0, "tx_queue_0_xdp_xmit": 0}
    assert xdp_delta("", "NIC statistics:\n     rx_xdp_tx_xmit: 5\n") == {"rx_xdp_tx_xmit": 5}
    assert xdp_delta("NIC statistics:\n     rx_packets: 5\n", "NIC statistics:\n     rx_packets: 9\n") == {}


# The real client's warning (vr/client.cc, ResendRequest) in the real log format: "!" marks a warning.
RESEND = "20261201-101203-5512 04411 ! ResendRequest   (client.cc:134):    Client timeout; resending request\n"
# Electrode_io's output of the run in which a follower was killed: one resend, a 7 s stall.
STALLED = ("startup noise\n" + block(60000, "16.102345", 31000, 40000, 45000, 52000) + RESEND
           + PREFIX % (9, "main", 249) + "All clients done.\n"
           + PREFIX % (10, "Latency_Dump", 281) + "LATENCY total: 21 us 268 us/32 us 7011 ms (60000 samples, 16 s total)\n")


def test_a_clean_run_has_no_resends_and_its_worst_latency():
    summary = client_summary(ONE)
    assert summary["complete"] is True
    assert summary["resends"] == 0
    assert summary["max_latency_ns"] == 2600000


def test_resends_and_the_worst_latency_of_a_stalled_run():
    summary = client_summary(STALLED)
    assert summary["requests"] == 60000
    assert summary["resends"] == 1
    assert summary["max_latency_ns"] == 7011000000
    assert client_health(RESEND * 3) == {"resends": 3, "max_latency_ns": None}
    # The spec protocol's wording.
    assert client_health("x ! f (client.cc:56): Client timed out; resending request\n")["resends"] == 1


def test_partial_output_tells_what_it_can_instead_of_failing():
    stopped = block(100, "1.0", 1, 2, 3, 4) + RESEND + RESEND
    with pytest.raises(ClientOutputError):
        client_summary(stopped)
    summary = client_summary(stopped, partial=True)
    assert summary["complete"] is False
    assert "All clients done" in summary["error"]
    assert (summary["resends"], summary["max_latency_ns"]) == (2, None)
    assert client_summary("", partial=True)["error"] == "the client printed nothing (did it run?)"


def units(invocation="a", restarts=0, pid=100, active="active", handler=True):
    state = {"electrode-replica.service": {"load_state": "loaded", "active_state": active, "invocation_id": invocation,
                                           "n_restarts": restarts, "main_pid": pid}}
    state["electrode-handler.service"] = (
        {"load_state": "loaded", "active_state": "active", "invocation_id": "h", "n_restarts": 0, "main_pid": 7}
        if handler else {"load_state": "not-found", "active_state": "inactive", "invocation_id": None,
                         "n_restarts": None, "main_pid": 0})
    return state


CLEAN_CLIENT = {"client0": {"rc": 0, "complete": True, "resends": 0}}
BEFORE = {"replica0": units(), "replica1": units(), "replica2": units(handler=False)}


def test_a_clean_run_is_valid():
    assert run_validity(BEFORE, dict(BEFORE), CLEAN_CLIENT) == {"valid": True, "reasons": [], "restarted": []}


@pytest.mark.parametrize("after, clients, reasons, restarted", [
    ({"replica2": units(invocation="b", restarts=1, pid=200, handler=False)}, CLEAN_CLIENT,
     ["replica2 restarted during the run"], ["replica2"]),
    ({"replica1": units(active="activating")}, CLEAN_CLIENT,
     ["replica1 stopped during the run (activating)"], ["replica1"]),
    ({"replica0": units(pid=101)}, CLEAN_CLIENT,
     ["replica0 changed its main process during the run (100 -> 101)"], ["replica0"]),
    ({"replica0": dict(units(), **{"electrode-handler.service": {
        "load_state": "loaded", "active_state": "active", "invocation_id": "h2", "n_restarts": 1, "main_pid": 8}})},
     CLEAN_CLIENT, ["replica0's handler restarted during the run"], ["replica0"]),
    ({}, {"client0": {"rc": 0, "complete": True, "resends": 4}}, ["client0 resent 4 request(s) after a timeout"], []),
    ({}, {"client0": {"rc": 124, "complete": False, "resends": 9, "error": "x"}},
     ["client0 timed out (stopped after bench_timeout)", "client0 resent 9 request(s) after a timeout"], []),
    ({}, {"client0": {"rc": 1, "complete": False, "resends": 0}}, ["client0 exited with 1"], []),
    ({}, {"client0": {"rc": 0, "complete": False, "resends": 0, "error": "no 'All clients done.' line"}},
     ["client0: no 'All clients done.' line"], []),
])
def test_what_makes_a_run_invalid_names_the_node(after, clients, reasons, restarted):
    result = run_validity(BEFORE, dict(BEFORE, **after), clients)
    assert result == {"valid": False, "reasons": reasons, "restarted": restarted}


def test_a_unit_not_active_when_the_run_started():
    before = dict(BEFORE, replica1=units(active="failed"))
    assert run_validity(before, before, CLEAN_CLIENT)["reasons"] == ["replica1 was failed when the run started"]


def test_xdp_counters_read_once_then_compared_as_numbers():
    before = xdp_counters(VETH_BEFORE)
    assert before["rx_queue_0_xdp_packets"] == 100
    assert xdp_delta(before, xdp_counters(VETH_AFTER))["rx_queue_0_xdp_tx"] == 10003


def test_load_points_and_the_sweep_order():
    points = load_points([1, 2], 1)
    assert points == [{"threads": 1, "clients": 1}, {"threads": 2, "clients": 1}]
    assert load_points(4, [1, 2]) == [{"threads": 4, "clients": 1}, {"threads": 4, "clients": 2}]
    order = cell_order(["e", "b"], points, 3)
    cells = [(r["variant"], r["threads"], r["repetition"]) for r in order]
    # Every cell once per repetition; the variants alternate at each load point; the order rotates.
    assert cells[:4] == [("e", 1, 1), ("b", 1, 1), ("e", 2, 1), ("b", 2, 1)]
    assert cells[4:8] == [("b", 1, 2), ("e", 2, 2), ("b", 2, 2), ("e", 1, 2)]
    for rep in (1, 2, 3):
        assert sorted((v, t) for v, t, r in cells if r == rep) == [("b", 1), ("b", 2), ("e", 1), ("e", 2)]
    # One load point and two variants: the rotation of the plain interleave.
    assert [r["variant"] for r in cell_order(["e", "b"], load_points(1, 1), 3)] == ["e", "b", "b", "e", "e", "b"]


def test_few_repetitions_of_many_cells_spread_each_cell_over_the_run():
    order = cell_order(["e", "b"], load_points([1, 2, 4, 8], 1), 2)
    first = [(r["variant"], r["threads"]) for r in order if r["repetition"] == 1]
    second = [(r["variant"], r["threads"]) for r in order if r["repetition"] == 2]
    # Shifted by half the cells: what ran first runs in the middle the next time.
    assert second == first[4:] + first[:4]


def mark(when, text, n=0):
    return [when, PREFIX % (n, "Mark", 1) + text]


def runner(started, warmups, ends, cooldowns, rc=0, log=None):
    """A client runner's JSON: the window lines it stamped."""
    marks = ([mark(t, "Completed warmup period of 1 seconds with 50 requests") for t in warmups]
             + [mark(t, "Completed 10000 requests in 1.0 seconds") for t in ends]
             + [mark(t, "Finished cooldown period.") for t in cooldowns])
    return {"rc": rc, "started": started, "ended": max(cooldowns or ends) + 0.1, "cpu_seconds": 0.5,
            "log": ONE if log is None else log, "marks": sorted(marks)}


def test_windows_of_clients_that_overlap_are_fine():
    windows = client_windows({"client0": runner(100.0, [101.0], [103.0], [104.0]),
                              "client1": runner(100.1, [101.1, 101.1], [102.8, 103.2], [103.8, 104.2])})
    assert windows["client1"]["measured"] == [[101.1, 102.8], [101.1, 103.2]]
    reasons, window = window_problems(windows)
    assert reasons == [] and window == [101.0, 103.2]


def test_a_client_that_stopped_loading_before_another_finished_measuring_is_named():
    # client0 finished first and, with no cool-down, stopped sending at +2.5 s; client1 measured until +3.5 s.
    windows = client_windows({"client0": runner(100.0, [100.0], [102.5], [102.5]),
                              "client1": runner(100.0, [100.0], [103.5], [103.5])})
    reasons, window = window_problems(windows)
    assert reasons == ["client1's measured requests ended at +3.50 s, after client0 stopped sending at +2.50 s: not every "
                       "measured request saw the same load (raise bench_warmup, which is also the clients' cool-down)"]


def test_a_client_that_started_after_another_began_measuring_is_named():
    windows = client_windows({"client0": runner(100.0, [101.0], [103.0], [104.0]),
                              "client1": runner(101.5, [102.5], [103.1], [104.5])})
    assert window_problems(windows)[0] == [
        "client1 started sending at +1.50 s, after client0's measured requests began at +1.00 s: not every measured "
        "request saw the same load"]


def test_one_client_of_one_thread_always_overlaps_itself():
    reasons, window = window_problems(client_windows({"client0": runner(100.0, [100.0], [102.0], [102.0])}))
    assert reasons == [] and window == [100.0, 102.0]
    assert window_problems({}) == ([], None)


def sampler(points, bpf_stats="node", ticks=100):
    """electrode_state's samples: (t, replica unit ns, xdp run_time_ns, xdp run_cnt, softirq ticks, packets)."""
    samples = []
    for t, unit_ns, xdp_ns, xdp_runs, softirq, packets in points:
        samples.append({"t": t, "cpu": {"user": 0, "nice": 0, "system": 0, "irq": 0, "softirq": softirq},
                        "units": {"electrode-replica.service": {"ns": unit_ns, "source": "process"}},
                        "bpf": {"7": {"type": "xdp", "run_time_ns": xdp_ns, "run_cnt": xdp_runs}} if xdp_ns is not None else {},
                        "net": {"rx_packets": packets, "tx_packets": 0}})
    return {"header": {"bpf_stats": bpf_stats, "ticks": ticks}, "samples": samples, "error": None}


def test_replica_cpu_is_cut_at_the_measured_window():
    # 10 ms of the unit and 1 ms of XDP for every second; 1,000 requests measured over [1, 3].
    points = [(t, 10000000 * t, 1000000 * t, 3000 * t, 10 * t, 4000 * t) for t in range(0, 5)]
    figures = replica_cpu(sampler(points), [1.0, 3.0], 1000)
    assert figures["units_us"] == {"electrode-replica.service": pytest.approx(20.0)}
    assert figures["bpf"] == {"xdp": {"us": pytest.approx(2.0), "runs": pytest.approx(6.0)}}
    assert figures["bpf_us"] == pytest.approx(2.0)
    # 10 ticks of softirq a second at 100 ticks a second: 0.2 s over the window, 200 us a request.
    assert figures["node_softirq_us"] == pytest.approx(200.0) and figures["node_busy_us"] == pytest.approx(200.0)
    # Between samples, the counters are read by interpolation.
    assert replica_cpu(sampler(points), [1.5, 2.5], 1000)["units_us"]["electrode-replica.service"] == pytest.approx(10.0)
    # A window shorter than 1 s (ten samples) gives no figure, and says why.
    short = replica_cpu(sampler(points), [1.5, 2.0], 1000)
    assert short["units_us"] == {} and short["error"].startswith("the measured window (0.50 s) is shorter than 1 s")


def test_ebpf_time_without_statistics_is_unknown_not_zero():
    points = [(t, 10000000 * t, 0, 0, 0, 0) for t in range(0, 4)]
    figures = replica_cpu(sampler(points, bpf_stats="off: BPF_ENABLE_STATS: Operation not permitted"), [1.0, 2.0], 100)
    assert figures["bpf"] == {"xdp": {"us": None, "runs": None}} and figures["bpf_us"] is None
    assert "Operation not permitted" in figures["bpf_stats"]
    # No samples over the window: no figures, and why.
    empty = replica_cpu({"header": {}, "samples": [], "error": None}, [1.0, 2.0], 100)
    assert empty["units_us"] == {} and empty["error"] == "no samples over the measured window"


def test_cpu_of_the_leader_and_the_followers():
    leader = sampler([(t, 20000000 * t, 2000000 * t, 3000 * t, 10 * t, 0) for t in range(0, 4)])
    follower = sampler([(t, 10000000 * t, 1000000 * t, 1000 * t, 10 * t, 0) for t in range(0, 4)])
    after = {"replica0": {"cpu": {"btime": 7}, "samples": leader}, "replica1": {"cpu": {"btime": 7}, "samples": follower},
             "replica2": {"cpu": {"btime": 7}, "samples": follower}}
    cost = cpu_cost({}, after, [1.0, 2.0], 1000, ["replica0", "replica1", "replica2"], {"client0": 0.5})
    # One kernel: a replica's figure is its units' time plus its eBPF programs'.
    assert cost["shared_kernel"] is True and cost["leader"] == "replica0"
    assert cost["leader_us_per_request"] == pytest.approx(22.0) and cost["followers_us_per_request"] == pytest.approx(11.0)
    assert cost["leader_bpf_us_per_request"] == pytest.approx(2.0) and cost["followers_bpf_us_per_request"] == pytest.approx(1.0)
    assert cost["client_us_per_request"] == {"client0": pytest.approx(500.0)}
    # A kernel of its own each: a replica's figure is its node's busy time (which holds the eBPF time).
    for host, boot in (("replica0", 1), ("replica1", 2), ("replica2", 3)):
        after[host]["cpu"] = {"btime": boot}
    cost = cpu_cost({}, after, [1.0, 2.0], 1000, ["replica0", "replica1", "replica2"])
    assert cost["shared_kernel"] is False and cost["leader_us_per_request"] == pytest.approx(100.0)


def record_readings(leader_packets):
    reading = {"replica0": {"units": units(), "xdp_counters": {"rx_queue_0_xdp_packets": 5}, "cpu": {"btime": 7}},
               "replica1": {"units": units(), "xdp_counters": {}, "cpu": {"btime": 7}}}
    after = {"replica0": {"units": units(), "xdp_counters": {"rx_queue_0_xdp_packets": 1005}, "cpu": {"btime": 7},
                          "journal": {"lines": ["a", "b"], "warnings": ["b"]},
                          "samples": sampler([(10.0 + k / 10.0, 1000000 * k, 0, 0, k, p) for k, p in enumerate(leader_packets)])},
             "replica1": {"units": units(), "xdp_counters": {}, "cpu": {"btime": 7},
                          "samples": sampler([(10.0 + k / 10.0, 500000 * k, 0, 0, k, 0) for k in range(len(leader_packets))])}}
    return reading, after


def test_a_run_record_judges_and_combines():
    reading, after = record_readings([1000 * k for k in range(30)])
    clients = {"client0": runner(10.0, [10.5], [12.5], [13.0])}
    samples = {"client0": [50000] * 970 + [5000000] * 30}
    record = run_record({"run": "01-e-r1", "variant": "e", "threads": 1, "replicas": ["replica0", "replica1"]},
                        reading, after, clients, samples)
    assert record["run"] == "01-e-r1" and record["threads"] == 1
    assert record["valid"] is True and record["invalid_reasons"] == []
    assert record["result"]["requests"] == 10000 and record["clients"]["client0"]["rc"] == 0
    # The run's percentiles are the samples', not the client's lines.
    assert record["result"]["latency_ns"] == {"p50": 50000, "p90": 50000, "p95": 50000, "p99": 5000000}
    assert record["result"]["max_latency_ns"] == 5000000 and record["result"]["latency_source"] == "pooled samples (1000)"
    assert record["window"] == [10.5, 12.5]
    assert record["xdp_counters"] == {"replica0": {"rx_queue_0_xdp_packets": 1000}, "replica1": {}}
    # 10 ms of replica0's unit a second over 2 s, 10,000 requests: 2 us each.
    assert record["cpu"]["leader_us_per_request"] == pytest.approx(2.0)
    assert record["steadiness"]["steady"] is True
    assert (record["started"], record["ended"]) == (10.0, 13.1)
    assert record["logs"]["services"]["replica0"] == "a\nb" and record["health"]["warnings"]["replica0"] == ["b"]


def test_a_run_served_by_fewer_replicas_judges_those_only_and_still_knows_the_kernel_is_shared():
    """The unreplicated bound: replica0 serves, replica1 is stopped (inactive before and after);
    every replica node read says that the nodes share one kernel, so replica0's figure is its
    units' time, not the machine's."""
    reading, after = record_readings([1000 * k for k in range(30)])
    for readings in (reading, after):
        readings["replica1"]["units"] = dict((name, dict(unit, active_state="inactive", main_pid=0))
                                             for name, unit in readings["replica1"]["units"].items())
    clients = {"client0": runner(10.0, [10.5], [12.5], [13.0])}
    record = run_record({"run": "01-bound-r1", "replicas": ["replica0"], "unreplicated": True}, reading, after, clients,
                        {"client0": [50000] * 10})
    assert record["valid"] is True and record["restarted"] == []
    assert list(record["health"]["before"]) == ["replica0"]
    assert record["idle"] == {"replica1": {"electrode-replica.service": "inactive", "electrode-handler.service": "inactive"}}
    assert record["cpu"]["shared_kernel"] is True and record["cpu"]["leader_us_per_request"] == pytest.approx(2.0)
    assert record["cpu"]["followers_us_per_request"] is None
    # Judged as a whole cluster, the stopped replica would make the run invalid.
    whole = run_record({"run": "01-e-r1", "replicas": ["replica0", "replica1"]}, reading, after, clients, {"client0": [1]})
    assert whole["valid"] is False
    assert whole["invalid_reasons"] == ["replica1 was inactive when the run started",
                                        "replica1's handler was inactive when the run started"]


def test_a_run_record_of_clients_that_did_not_overlap_is_invalid():
    reading, after = record_readings([1000 * k for k in range(30)])
    clients = {"client0": runner(10.0, [10.0], [11.0], [11.0]), "client1": runner(10.0, [10.0], [12.0], [12.0])}
    record = run_record({"run": "03", "replicas": ["replica0", "replica1"]}, reading, after, clients,
                        {"client0": [1, 2], "client1": [3, 4]})
    assert record["valid"] is False and len(record["invalid_reasons"]) == 1
    assert record["invalid_reasons"][0].startswith("client1's measured requests ended at +2.00 s, after client0 stopped")
    assert record["result"]["latency_ns"]["p50"] == 3


def test_an_unsteady_run_is_flagged_and_kept_unless_asked():
    # The leader's traffic stops for a second in the middle of the measured window.
    packets = [1000 * k for k in range(12)] + [11000] * 10 + [11000 + 1000 * k for k in range(1, 9)]
    reading, after = record_readings(packets)
    clients = {"client0": runner(10.0, [10.0], [12.9], [12.9])}
    record = run_record({"run": "04", "replicas": ["replica0", "replica1"]}, reading, after, clients, {"client0": [1]})
    assert record["valid"] is True and record["steadiness"]["steady"] is False
    assert record["steadiness"]["flags"][0].startswith("stall 1.0")
    record = run_record({"run": "04", "replicas": ["replica0", "replica1"]}, reading, after, clients, {"client0": [1]},
                        exclude_unsteady=True)
    assert record["valid"] is False
    assert record["invalid_reasons"][0].startswith("replica0's traffic was not steady (stall 1.0")


def test_a_run_record_of_a_client_that_resent_is_invalid_with_no_result_lost():
    reading = {"replica0": {"units": units()}}
    resent = PREFIX % (3, "ResendRequest", 80) + "Client timeout; resending request\n" + ONE
    stopped = {"client0": {"rc": 124, "started": 1.0, "ended": 9.0, "cpu_seconds": 0.2, "log": "no summary\n"},
               "client1": {"rc": 0, "started": 1.0, "ended": 3.0, "cpu_seconds": 0.2, "log": resent}}
    record = run_record({"run": "02"}, reading, reading, stopped)
    assert record["valid"] is False
    assert record["invalid_reasons"] == ["client0 timed out (stopped after bench_timeout)",
                                         "client1 resent 1 request(s) after a timeout"]
    # One client did not finish: no combined result, but each client's summary is kept.
    assert record["result"] is None and record["clients"]["client1"]["complete"] is True


def lab_provenance(kernel="6.1.0-41-amd64", hardware="Standard PC", mtu=3000):
    node = {"kernel": kernel, "os": "Debian 12", "arch": "x86_64", "cpus": 2, "hardware_type": hardware,
            "interface": "host0", "nic": {"mtu": mtu, "driver": {"driver": "veth"}, "coalesce": None}}
    return {"f": 1, "collection_version": "0.1.0", "parameters": {"threads": [1], "repetitions": 5},
            "nodes": {"replica0": dict(node, role="replica", index=0), "client0": dict(node, role="client", index=0)}}


def test_the_provenance_of_two_experiments_compared():
    lab = provenance_view(lab_provenance(), {"electrode": {"source": "/src/Electrode_io", "commit": "f7fc71c", "dirty": False}})
    cloudlab = provenance_view(
        dict(lab_provenance(kernel="6.0.0-060000-generic", hardware="xl170", mtu=1500),
             nodes={"node-0": dict(lab_provenance()["nodes"]["replica0"], kernel="6.0.0-060000-generic", hardware_type="xl170",
                                   nic={"mtu": 1500, "driver": {"driver": "mlx5_core"}, "coalesce": None}),
                    "node-3": dict(lab_provenance()["nodes"]["client0"], kernel="6.0.0-060000-generic", hardware_type="xl170",
                                   nic={"mtu": 1500, "driver": {"driver": "mlx5_core"}, "coalesce": None})}),
        {"electrode": {"source": "https://github.com/U1ltra/Electrode_io.git", "commit": "f7fc71c", "dirty": False}})
    differences = dict(provenance_differences({"lab": lab, "cloudlab": cloudlab}))
    # Nodes are matched by role and index, not by name; what is equal is not listed.
    assert differences["nodes.replica 0.kernel"] == {"lab": "6.1.0-41-amd64", "cloudlab": "6.0.0-060000-generic"}
    assert differences["nodes.client 0.hardware_type"] == {"lab": "Standard PC", "cloudlab": "xl170"}
    assert differences["nodes.replica 0.nic.driver.driver"] == {"lab": "veth", "cloudlab": "mlx5_core"}
    assert differences["variants.electrode.source"]["cloudlab"].endswith("Electrode_io.git")
    assert "f" not in differences and "variants.electrode.commit" not in differences
    assert "nodes.replica 0.os" not in differences


def test_an_experiment_without_a_variant_shows_none_there():
    one = provenance_view(lab_provenance(), {"electrode": {"commit": "a"}})
    two = provenance_view(lab_provenance(), {"electrode": {"commit": "a"}, "ablation-reply": {"commit": "a"}})
    differences = dict(provenance_differences({"one": one, "two": two}))
    assert differences["variants.ablation-reply.commit"] == {"one": None, "two": "a"}


def test_clients_without_an_index_are_told_apart_by_host():
    provenance = lab_provenance()
    client = dict(provenance["nodes"]["client0"], index=None)
    provenance["nodes"] = {"replica0": provenance["nodes"]["replica0"], "client0": client,
                           "client1": dict(client, cpus=4)}
    view = provenance_view(provenance, {})
    assert sorted(view["nodes"]) == ["client client0", "client client1", "replica 0"]
    assert view["nodes"]["client client1"]["cpus"] == 4


def test_a_replica_that_did_not_answer_after_the_run_is_named_and_the_rest_written():
    reading, after = record_readings([1000 * k for k in range(30)])
    after["replica1"] = {"unreachable": True, "msg": "Timeout (12s) waiting for privilege escalation prompt: \nmore"}
    clients = {"client0": runner(10.0, [10.5], [12.5], [13.0])}
    record = run_record({"run": "05", "replicas": ["replica0", "replica1"]}, reading, after, clients, {"client0": [5, 6]})
    assert record["valid"] is False and record["unreachable"] == ["replica1"]
    assert record["invalid_reasons"] == [
        "replica1 unreachable after the run: Timeout (12s) waiting for privilege escalation prompt:"]
    # What the others said is kept: the client's figures, the leader's CPU and counters.
    assert record["result"]["latency_ns"]["p50"] == 6 and record["cpu"]["leader_us_per_request"] == pytest.approx(2.0)
    assert record["cpu"]["followers_us_per_request"] is None and record["restarted"] == ["replica1"]
    assert record["logs"]["services"] == {"replica0": "a\nb"}


def test_a_client_that_did_not_answer_is_named():
    reading, after = record_readings([1000 * k for k in range(30)])
    clients = {"client0": {"unreachable": True, "msg": "Failed to connect to the host via ssh"}}
    record = run_record({"run": "06", "replicas": ["replica0", "replica1"]}, reading, after, clients)
    assert record["valid"] is False and record["unreachable"] == ["client0"] and record["result"] is None
    assert record["invalid_reasons"] == ["client0 unreachable during the run: Failed to connect to the host via ssh"]
    assert record["started"] is None and record["clients"]["client0"]["error"] == "unreachable"
