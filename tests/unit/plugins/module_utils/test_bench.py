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
    client_summary,
    combine_clients,
    interleave,
    median,
    percentile,
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
    "LATENCY total: 83 us 20 us/2 s (10000 samples, 1 s total)\n"
ONE = "startup noise\n" + block(10000, "10.773609", 83726, 2413812, 2500000, 2600000) + DONE


def test_one_thread():
    summary = client_summary(ONE)
    assert summary["requests"] == 10000 and summary["seconds"] == 10.773609 and summary["threads"] == 1
    assert summary["throughput_rps"] == pytest.approx(10000 / 10.773609)
    assert summary["latency_ns"] == {"p50": 83726, "p90": 2413812, "p95": 2500000, "p99": 2600000}


def test_threads_are_aggregated():
    text = block(3000, "2.0", 100, 200, 300, 400) + block(1000, "4.0", 500, 600, 700, 800, 5) + DONE
    summary = client_summary(text)
    assert summary["requests"] == 4000 and summary["seconds"] == 4.0 and summary["threads"] == 2
    assert summary["throughput_rps"] == 1000.0
    # request-weighted: (3000 * 100 + 1000 * 500) / 4000
    assert summary["latency_ns"] == {"p50": 200, "p90": 300, "p95": 400, "p99": 500}
    assert [t["requests"] for t in summary["per_thread"]] == [3000, 1000]


@pytest.mark.parametrize("text,message", [
    ("", "the client printed nothing"),
    (PREFIX % (0, "main", 1) + "retrying request 1\n" * 3, "no 'Completed N requests in S seconds' line"),
    (block(10, "1.0", 1, 2, 3, 4), "no 'All clients done.' line"),
    (block(10, "1.0", 1, 2, 3, 4).replace("99th", "98th") + DONE, "thread 0 has no p99 latency line"),
    (block(10, "1.0", 1, 2, 3, 4).split("\n", 3)[3] + DONE, "line 1: a latency line before any 'Completed"),
    (PREFIX % (0, "x", 1) + "Median latency is 5 ns (0 us)\n" + block(10, "1.0", 1, 2, 3, 4) + DONE,
     "line 1: a latency line before any 'Completed ... requests' line"),
    (block(0, "1.0", 1, 2, 3, 4) + DONE, "thread 0 completed 0 requests in 1.0 seconds"),
    (block(10, "1.0", 1, 2, 3, 4).rsplit("\n", 3)[0] + "\n" + block(10, "1.0", 1, 2, 3, 4) + DONE,
     "thread 0 printed Completed but not all its percentiles before line 4"),
])
def test_bad_output_is_an_error_never_zeros(text, message):
    with pytest.raises(ClientOutputError, match=re.escape(message)):
        client_summary(text)


def test_clients_combined():
    a = client_summary(block(1000, "1.0", 100, 200, 300, 400) + DONE)
    b = client_summary(block(3000, "2.0", 500, 600, 700, 800) + DONE)
    run = combine_clients([a, b])
    assert run["requests"] == 4000 and run["seconds"] == 2.0 and run["throughput_rps"] == 2000.0
    assert run["latency_ns"]["p50"] == 400 and run["clients"] == 2


def test_interleave_rotates_the_variants():
    order = interleave(["electrode", "baseline"], 3)
    assert [(o["variant"], o["repetition"]) for o in order] == [
        ("electrode", 1), ("baseline", 1), ("baseline", 2), ("electrode", 2), ("electrode", 3), ("baseline", 3)]


def test_median_and_percentile():
    assert median([3, 1, 2]) == 2 and median([4, 1, 2, 3]) == 2.5
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
