# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading Electrode's benchmark client and summarising repetitions.

The client logs to stderr, each line behind a prefix such as
``20261025-221459-8291 01448 * Finish          (benchmark.cc:156): ``. Every client thread
(``-t N``) prints its own ``Completed N requests in S seconds`` and median / 90th / 95th / 99th
percentile lines; the process ends with ``All clients done.`` and one ``LATENCY total: MIN
MEAN/MEDIAN MAX (N samples, T total)`` line over every thread. A request that got no answer in
time is sent again, with a warning line ``Client timeout; resending request`` (``Client timed
out; ...`` in the spec protocol).

Also here: what makes a run invalid (a unit that restarted or stopped during it, a client that
resent, failed or timed out), and the statistics of the report (medians with bootstrap intervals,
each variant against the reference, and a verdict).
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import re

_COMPLETED = re.compile(r"Completed (\d+) requests in (\d+(?:\.\d+)?) seconds\s*$")
_PERCENTILE = re.compile(r"(Median|90th percentile|95th percentile|99th percentile) latency is (\d+) ns\b")
_DONE = re.compile(r"All clients done\.\s*$")
_RESEND = re.compile(r"Client time(?:out|d out); resending request")
_AMOUNT = r"(\d+) (ns|us|ms|s)"
_LATENCY_TOTAL = re.compile(r"LATENCY total: %s %s/%s %s \(" % (_AMOUNT, _AMOUNT, _AMOUNT, _AMOUNT))
_NS = {"ns": 1, "us": 1000, "ms": 1000000, "s": 1000000000}
_KEYS = {"Median": "p50", "90th percentile": "p90", "95th percentile": "p95", "99th percentile": "p99"}
PERCENTILES = ("p50", "p90", "p95", "p99")


class ClientOutputError(ValueError):
    """The output is not that of a complete, successful client run."""


def _message(line):
    # The prefix ends with "(file:line): "; lines without one are taken whole.
    match = re.search(r"\([^()\s]+:\d+\):\s+(.*)$", line)
    return match.group(1) if match else line.strip()


def client_health(text):
    """What a client's stderr says about the cluster's answers, whatever else it holds.

    ``resends``: how many requests were sent again after a timeout (one warning line each);
    ``max_latency_ns``: the largest MAX of the ``LATENCY total:`` lines (``7011 ms`` ->
    7011000000; the client prints it truncated to its unit, the raw samples are exact), None when
    there is no such line (a run that did not finish).
    """
    resends, worst = 0, None
    for line in (text or "").splitlines():
        if _RESEND.search(line):
            resends += 1
            continue
        total = _LATENCY_TOTAL.search(line)
        if total:
            value = int(total.group(7)) * _NS[total.group(8)]
            worst = value if worst is None else max(worst, value)
    return {"resends": resends, "max_latency_ns": worst}


def client_summary(text, partial=False):
    """One client's stderr -> {requests, seconds, throughput_rps, threads, latency_ns, per_thread,
    resends, max_latency_ns, complete}.

    With several threads, requests add up, seconds is the longest thread's, throughput is the
    total over that time, and each latency percentile is the request-weighted mean of the
    threads' (exact percentiles need the raw samples). Output that is partial, malformed or from
    a failed run raises ClientOutputError naming what is missing; it never yields zeros. With
    ``partial``, such output gives ``{complete: False, error, resends, max_latency_ns}`` instead:
    what a run that was stopped or failed still tells.
    """
    try:
        summary = _summary(text)
    except ClientOutputError as error:
        if not partial:
            raise
        return dict(client_health(text if isinstance(text, str) else ""), complete=False, error=str(error))
    return dict(summary, complete=True, **client_health(text))


def _summary(text):
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


def xdp_counters(text):
    """Every counter of ``ethtool -S`` output whose name contains ``xdp``, as numbers.

    Drivers name them differently (veth ``rx_queue_0_xdp_packets``, mlx5 ``rx_xdp_tx_xmit``).
    Empty when the driver shows none.
    """
    return dict((name, int(value)) for name, value in _XDP_COUNTER.findall(text or ""))


def xdp_delta(before, after):
    """How each XDP counter grew between two readings: each the output of ``ethtool -S`` or
    what :func:`xdp_counters` made of it."""
    first = before if isinstance(before, dict) else xdp_counters(before)
    last = after if isinstance(after, dict) else xdp_counters(after)
    return dict((name, int(value) - int(first.get(name, 0))) for name, value in last.items())


# A client stopped by ``timeout`` (124) or, when it ignored that, by ``timeout -k`` (137).
TIMED_OUT = (124, 137)


def _unit_problem(unit, before, after):
    """What happened to one unit between two readings of electrode_state, or None."""
    if before.get("load_state") == "not-found" and after.get("load_state") == "not-found":
        return None  # a unit this variant does not run (the handler of a baseline)
    if before.get("active_state") != "active":
        return "was %s when the run started" % (before.get("active_state") or "unknown")
    if after.get("active_state") != "active":
        return "stopped during the run (%s)" % (after.get("active_state") or "unknown")
    if before.get("invocation_id") != after.get("invocation_id") or \
            (after.get("n_restarts") or 0) > (before.get("n_restarts") or 0):
        return "restarted during the run"
    if before.get("main_pid") != after.get("main_pid"):
        return "changed its main process during the run (%s -> %s)" % (before.get("main_pid"), after.get("main_pid"))
    return None


def run_validity(before, after, clients):
    """Whether a run counts, and why not.

    ``before`` and ``after``: replica host -> unit -> what electrode_state read of it
    (load_state, active_state, invocation_id, n_restarts, main_pid) just before and just after
    the run. ``clients``: client host -> {rc, complete, error, resends} (client_summary with
    ``partial`` and the client's exit status). A replica's or handler's unit that was not active,
    stopped, restarted or changed its main process, and a client that timed out, failed, printed
    no complete summary or resent a request, each make the run invalid. Returns {valid,
    reasons (each naming the node), restarted (the replica hosts whose units restarted or stopped,
    which must start together again before the next run)}.
    """
    reasons, restarted = [], []
    for host in sorted(before):
        units = before[host] or {}
        for unit in sorted(units, key=lambda name: (name != "electrode-replica.service", name)):
            problem = _unit_problem(unit, units[unit] or {}, (after.get(host) or {}).get(unit) or {})
            if problem is None:
                continue
            kind = unit[len("electrode-"):] if unit.startswith("electrode-") else unit
            kind = kind[:-len(".service")] if kind.endswith(".service") else kind
            reasons.append("%s %s" % (host if kind == "replica" else "%s's %s" % (host, kind), problem))
            if host not in restarted:
                restarted.append(host)
    for host in sorted(after):
        if host not in before:
            reasons.append("%s was not read before the run" % host)
    for host in sorted(clients):
        client = clients[host] or {}
        rc = client.get("rc")
        if rc in TIMED_OUT:
            reasons.append("%s timed out (stopped after bench_timeout)" % host)
        elif rc != 0:
            reasons.append("%s exited with %s" % (host, rc))
        elif not client.get("complete", False):
            reasons.append("%s: %s" % (host, client.get("error") or "no complete summary"))
        if client.get("resends"):
            reasons.append("%s resent %d request(s) after a timeout" % (host, client["resends"]))
    return {"valid": not reasons, "reasons": reasons, "restarted": restarted}


def sized_requests(per_thread_rps, duration, minimum=100):
    """Requests per client thread (``-n``) for a run of about ``duration`` seconds, from the
    slowest thread's rate in a pilot run."""
    rates = [r for r in per_thread_rps if r and r > 0]
    if not rates:
        raise ValueError("the pilot run measured no rate")
    return max(minimum, int(min(rates) * float(duration) + 0.5))


def _quantile(ordered, fraction):
    """Linear interpolation between the closest ranks of a sorted list."""
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _resampled_medians(values, resamples, rng):
    n = len(values)
    return [median([values[rng.randrange(n)] for dummy in range(n)]) for dummy in range(resamples)]


def median_interval(values, confidence=0.95, resamples=4000, seed=1):
    """The median of ``values`` and a percentile-bootstrap interval for it (resampling the
    repetitions; no normal distribution assumed). Deterministic for a seed. Returns (median,
    low, high); with one value all three are that value."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError("no values")
    rng = random.Random(seed)
    boot = sorted(_resampled_medians(values, resamples, rng))
    tail = (1.0 - confidence) / 2.0
    return (median(values), _quantile(boot, tail), _quantile(boot, 1.0 - tail))


def ratio_interval(reference, other, confidence=0.95, resamples=4000, seed=1):
    """median(other) / median(reference) and its percentile-bootstrap interval, each group
    resampled on its own. Returns (ratio, low, high)."""
    reference = [float(v) for v in reference]
    other = [float(v) for v in other]
    if not reference or not other:
        raise ValueError("no values")
    if min(reference) <= 0:
        raise ValueError("the reference has a value of 0 or less")
    rng = random.Random(seed)
    ref_boot = _resampled_medians(reference, resamples, rng)
    other_boot = _resampled_medians(other, resamples, rng)
    ratios = sorted(o / r for o, r in zip(other_boot, ref_boot))
    tail = (1.0 - confidence) / 2.0
    return (median(other) / median(reference), _quantile(ratios, tail), _quantile(ratios, 1.0 - tail))


def verdict(throughput_ratio, runs):
    """``faster`` or ``slower`` when the throughput ratio's interval (ratio, low, high) lies
    wholly above or below 1, else ``not distinguishable with N runs``. A variant or reference
    with fewer than 2 kept runs has no verdict either (its interval says nothing)."""
    low, high = throughput_ratio[1], throughput_ratio[2]
    if runs >= 2 and low > 1.0:
        return "faster"
    if runs >= 2 and high < 1.0:
        return "slower"
    return "not distinguishable with %d runs" % runs
