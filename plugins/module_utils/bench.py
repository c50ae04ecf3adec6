# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading Electrode's benchmark client and summarising repetitions.

The client logs to stderr, each line behind a prefix such as
``20261025-221459-8291 01448 * Finish          (benchmark.cc:156): ``. Every client thread
(``-t N``) prints its own ``Completed N requests in S seconds`` and median / 90th / 95th / 99th
percentile lines; the process ends with ``All clients done.``.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_COMPLETED = re.compile(r"Completed (\d+) requests in (\d+(?:\.\d+)?) seconds\s*$")
_PERCENTILE = re.compile(r"(Median|90th percentile|95th percentile|99th percentile) latency is (\d+) ns\b")
_DONE = re.compile(r"All clients done\.\s*$")
_KEYS = {"Median": "p50", "90th percentile": "p90", "95th percentile": "p95", "99th percentile": "p99"}
PERCENTILES = ("p50", "p90", "p95", "p99")


class ClientOutputError(ValueError):
    """The output is not that of a complete, successful client run."""


def _message(line):
    # The prefix ends with "(file:line): "; lines without one are taken whole.
    match = re.search(r"\([^()\s]+:\d+\):\s+(.*)$", line)
    return match.group(1) if match else line.strip()


def client_summary(text):
    """One client's stderr -> {requests, seconds, throughput_rps, threads, latency_ns, per_thread}.

    With several threads, requests add up, seconds is the longest thread's, throughput is the
    total over that time, and each latency percentile is the request-weighted mean of the
    threads' (exact percentiles need the raw samples). Output that is partial, malformed or from
    a failed run raises ClientOutputError naming what is missing; it never yields zeros.
    """
    if not isinstance(text, str) or not text.strip():
        raise ClientOutputError("the client printed nothing (did it run?)")
    threads, current, done = [], None, False
    for number, line in enumerate(text.splitlines(), 1):
        message = _message(line)
        completed = _COMPLETED.search(message)
        if completed:
            if current is not None and len(current["latency_ns"]) < len(PERCENTILES):
                raise ClientOutputError(
                    "thread %d printed Completed but not all its percentiles before line %d" % (len(threads) - 1, number))
            current = {"requests": int(completed.group(1)), "seconds": float(completed.group(2)), "latency_ns": {}}
            threads.append(current)
            continue
        percentile = _PERCENTILE.search(message)
        if percentile:
            if current is None:
                raise ClientOutputError("line %d: a latency line before any 'Completed ... requests' line" % number)
            current["latency_ns"][_KEYS[percentile.group(1)]] = int(percentile.group(2))
            continue
        if _DONE.search(message):
            done = True
    if not threads:
        raise ClientOutputError("no 'Completed N requests in S seconds' line: the run did not finish")
    for index, thread in enumerate(threads):
        missing = [p for p in PERCENTILES if p not in thread["latency_ns"]]
        if missing:
            raise ClientOutputError("thread %d has no %s latency line" % (index, ", ".join(missing)))
        if thread["requests"] <= 0 or thread["seconds"] <= 0:
            raise ClientOutputError("thread %d completed %d requests in %s seconds" % (index, thread["requests"], thread["seconds"]))
    if not done:
        raise ClientOutputError("no 'All clients done.' line: the client did not end normally")
    return dict(_aggregate(threads), threads=len(threads), per_thread=threads)


def _aggregate(parts):
    """Parts that ran at once (threads, clients) -> requests added up over the longest part's time,
    each latency percentile the request-weighted mean of the parts'."""
    requests = sum(p["requests"] for p in parts)
    seconds = max(p["seconds"] for p in parts)
    latency = dict((k, int(round(sum(p["latency_ns"][k] * p["requests"] for p in parts) / float(requests))))
                   for k in PERCENTILES)
    return {"requests": requests, "seconds": seconds, "throughput_rps": requests / seconds, "latency_ns": latency}


def combine_clients(summaries):
    """Several clients run at once -> one run: requests add up over the longest client's time."""
    if not summaries:
        raise ClientOutputError("no client summaries")
    return dict(_aggregate(summaries), clients=len(summaries))


def percentile(sorted_samples, fraction):
    """The sample at ``fraction`` of a sorted list, as the client picks it (index n * fraction)."""
    if not sorted_samples:
        raise ValueError("no samples")
    index = min(int(len(sorted_samples) * fraction), len(sorted_samples) - 1)
    return sorted_samples[index]


def interleave(variants, repetitions):
    """The run order: every repetition runs every variant, and the order rotates from one
    repetition to the next, so no variant always runs first (or last) and drift spreads evenly."""
    order = []
    for rep in range(repetitions):
        shift = rep % len(variants) if variants else 0
        for variant in variants[shift:] + variants[:shift]:
            order.append({"variant": variant, "repetition": rep + 1})
    return order


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        raise ValueError("no values")
    middle = n // 2
    return ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2.0


_XDP_COUNTER = re.compile(r"^\s*(\S*xdp\S*):\s+(\d+)\s*$", re.M | re.I)


def xdp_delta(before, after):
    """How each XDP counter of ``ethtool -S`` output grew between two readings.

    Drivers name them differently (veth ``rx_queue_0_xdp_packets``, mlx5 ``rx_xdp_tx_xmit``):
    every counter whose name contains ``xdp`` is kept. Empty when the driver shows none.
    """
    first = dict((name, int(value)) for name, value in _XDP_COUNTER.findall(before or ""))
    return dict((name, int(value) - first.get(name, 0)) for name, value in _XDP_COUNTER.findall(after or ""))
