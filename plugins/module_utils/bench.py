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
    """Electrode's client runs its -t clients on one event loop: each prints ``Completed`` when it
    finishes and its four percentile lines (a block starting with the median) when its cool-down
    timer fires, so the lines of several clients interleave (``Completed``, ``Completed``, block,
    block). The timers fire in the order the clients finished: the k-th block belongs to the k-th
    ``Completed`` line."""
    if not isinstance(text, str) or not text.strip():
        raise ClientOutputError("the client printed nothing (did it run?)")
    threads, waiting, current, done = [], [], None, False
    for number, line in enumerate(text.splitlines(), 1):
        message = _message(line)
        completed = _COMPLETED.search(message)
        if completed:
            threads.append({"requests": int(completed.group(1)), "seconds": float(completed.group(2)), "latency_ns": {}})
            waiting.append(len(threads) - 1)
            continue
        percentile = _PERCENTILE.search(message)
        if percentile:
            key = _KEYS[percentile.group(1)]
            if key == PERCENTILES[0]:
                if not waiting:
                    raise ClientOutputError("line %d: a latency line before any 'Completed ... requests' line of its own" % number)
                current = threads[waiting.pop(0)]
            elif current is None:
                raise ClientOutputError("line %d: a latency line before any 'Completed ... requests' line" % number)
            if key in current["latency_ns"]:
                raise ClientOutputError("line %d: a second %s latency line in one client's block" % (number, key))
            current["latency_ns"][key] = int(percentile.group(2))
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


def load_points(threads, clients):
    """The experiment's load points: every (client threads per client node, client nodes) pair of
    ``threads`` and ``clients`` (each a whole number or a list of them), threads varying fastest."""
    threads = threads if isinstance(threads, list) else [threads]
    clients = clients if isinstance(clients, list) else [clients]
    return [{"threads": int(t), "clients": int(c)} for c in clients for t in threads]


def cell_order(variants, points, repetitions):
    """The runs of an experiment: every cell (a variant at a load point) once per repetition.

    Within a repetition the variants alternate at each load point; from one repetition to the
    next the order rotates, by one cell when there are at least as many repetitions as cells
    (so no cell is always first or last), else by an even share of the cells (so that a cell's
    place in the order spreads over the whole run time). Each run: {variant, threads, clients,
    repetition}.
    """
    cells = [dict(point, variant=variant) for point in points for variant in variants]
    order = []
    for rep in range(repetitions):
        if not cells:
            break
        if repetitions >= len(cells):
            shift = rep % len(cells)
        else:
            shift = (rep * len(cells)) // repetitions
        for cell in cells[shift:] + cells[:shift]:
            order.append(dict(cell, repetition=rep + 1))
    return order


def _delta(before, after):
    if before is None or after is None:
        return None
    return max(0, int(after) - int(before))


def cpu_cost(before, after, requests, clients_cpu_seconds=None):
    """CPU time a run cost, from two readings of electrode_state per replica node.

    ``before``/``after``: replica host -> {units: {unit: {cpu_usage_nsec, ...}}, cpu: {node
    times in ns, boot_id}}. ``requests``: the run's completed requests. ``clients_cpu_seconds``:
    client host -> the client process's user + system seconds. Returns per replica the
    nanoseconds each unit used and its microseconds per request (handler and replica together:
    systemd's accounting of the unit, or where it has none the main process's own time from
    /proc - ``source`` says which; neither sees the XDP and TC programs, which run in the
    kernel's softirq time), the node's busy and softirq time, the mean over replicas, the clients'
    microseconds per request, and ``shared_kernel``: true when the nodes report one kernel boot time
    (``btime``: lab nodes on one machine, whose node-wide times are the machine's, not a node's). None where
    systemd has no accounting for a unit (CPUAccounting off and no cgroup to read).
    """
    replicas = {}
    boots = set()
    for host in sorted(before):
        units_before = (before[host] or {}).get("units") or {}
        units_after = (after.get(host) or {}).get("units") or {}
        used, sources = {}, set()
        for unit, state in sorted(units_before.items()):
            state = state or {}
            if state.get("load_state") == "not-found":
                continue
            later = units_after.get(unit) or {}
            # systemd's accounting where it has one, else the main process's own time (one process
            # over a valid run: a run whose main process changed is invalid anyway).
            for key in ("cpu_usage_nsec", "process_cpu_nsec"):
                used[unit] = _delta(state.get(key), later.get(key))
                if used[unit] is not None:
                    sources.add(key)
                    break
        cpu_before = (before[host] or {}).get("cpu") or {}
        cpu_after = (after.get(host) or {}).get("cpu") or {}
        if cpu_after.get("btime"):
            boots.add(cpu_after["btime"])
        busy = [_delta(cpu_before.get(k), cpu_after.get(k)) for k in ("user", "nice", "system", "irq", "softirq")]
        known = [u for u in used.values() if u is not None]
        replicas[host] = {
            "units_ns": used,
            "source": "systemd" if sources == {"cpu_usage_nsec"} else ("process" if sources else None),
            "us_per_request": (sum(known) / 1000.0 / requests) if requests and known and len(known) == len(used) else None,
            "node_busy_ns": sum(busy) if None not in busy and cpu_after else None,
            "node_softirq_ns": _delta(cpu_before.get("softirq"), cpu_after.get("softirq")),
        }
    per_replica = [r["us_per_request"] for r in replicas.values()]
    clients = dict((host, (seconds * 1e6 / requests) if requests and seconds is not None else None)
                   for host, seconds in sorted((clients_cpu_seconds or {}).items()))
    return {
        "replicas": replicas,
        "replica_us_per_request": (sum(per_replica) / len(per_replica)) if per_replica and None not in per_replica else None,
        "client_us_per_request": clients,
        "shared_kernel": len(boots) == 1 and len(replicas) > 1,
    }


def run_record(run, before, after, clients):
    """One run's judgement and figures, from what the bench read.

    ``run``: the run's own fields (run, order, variant, repetition, threads, clients, ...), kept
    as they are. ``before``/``after``: replica host -> electrode_state's reading (units, cpu,
    xdp_counters; after also journal). ``clients``: client host -> the client runner's JSON
    (rc, started, ended, cpu_seconds, log). Returns the record the bench writes as the run's JSON:
    run's fields, valid, invalid_reasons, restarted, started, ended, clients (each client's
    summary, partial where the run did not finish), result (the clients combined; None unless
    every client completed), xdp_counters (how each replica's grew), cpu (:func:`cpu_cost`),
    health (units before and after, the journal's warnings) and logs (client output, services
    journal).
    """
    summaries = {}
    for host in sorted(clients):
        client = clients[host] or {}
        summary = client_summary(client.get("log") or "", partial=True)
        summary["rc"] = client.get("rc")
        summaries[host] = summary
    units_before = dict((h, (before[h] or {}).get("units") or {}) for h in before)
    units_after = dict((h, (after.get(h) or {}).get("units") or {}) for h in after)
    validity = run_validity(units_before, units_after, summaries)
    complete = [summaries[h] for h in sorted(summaries) if summaries[h].get("complete")]
    result = combine_clients(complete) if complete and len(complete) == len(summaries) else None
    record = dict(run)
    record.update({
        "valid": validity["valid"],
        "invalid_reasons": validity["reasons"],
        "restarted": validity["restarted"],
        "started": min(c.get("started") for c in clients.values()) if clients else None,
        "ended": max(c.get("ended") for c in clients.values()) if clients else None,
        "clients": summaries,
        "result": result,
        "xdp_counters": dict((h, xdp_delta((before[h] or {}).get("xdp_counters") or {},
                                           (after.get(h) or {}).get("xdp_counters") or {})) for h in sorted(before)),
        "cpu": cpu_cost(before, after, result["requests"] if result else None,
                        dict((h, (clients[h] or {}).get("cpu_seconds")) for h in clients)),
        "health": {
            "before": units_before,
            "after": units_after,
            "warnings": dict((h, ((after.get(h) or {}).get("journal") or {}).get("warnings") or []) for h in sorted(after)),
        },
        "logs": {
            "client": dict((h, (clients[h] or {}).get("log") or "") for h in sorted(clients)),
            "services": dict((h, "\n".join(((after.get(h) or {}).get("journal") or {}).get("lines") or []))
                             for h in sorted(after)),
        },
    })
    return record


def flatten(value, prefix=""):
    """Nested dicts as {dotted.key: leaf}; lists are leaves."""
    if isinstance(value, dict):
        flat = {}
        for key in sorted(value):
            flat.update(flatten(value[key], "%s%s." % (prefix, key)))
        return flat
    return {prefix[:-1]: value}


def provenance_view(provenance, builds):
    """What makes two experiments differ, keyed so that they can be compared across clusters:
    nodes by role and index (replica 0, client 0) rather than by name, each variant's source and
    build, the cluster's f and the experiment's parameters. ``builds``: variant -> the build its
    runs used (name, commit, dirty, source, source_sha256, features)."""
    view = {"f": provenance.get("f"), "collection_version": provenance.get("collection_version"),
            "parameters": provenance.get("parameters") or {}, "nodes": {}, "variants": {}}
    for host, node in sorted((provenance.get("nodes") or {}).items()):
        node = dict(node or {})
        role, index = node.pop("role", "node"), node.pop("index", None)
        # Results written before clients had an index name the client by its host: no two collide.
        label = "%s %s" % (role, host if index is None else index)
        node.pop("interface", None)
        view["nodes"][label] = node
    for variant, build in sorted((builds or {}).items()):
        build = build or {}
        view["variants"][variant] = dict((k, build.get(k)) for k in ("source", "commit", "dirty", "source_sha256", "features"))
    return view


def provenance_differences(experiments):
    """Where the provenance of several experiments differs: ``experiments`` maps a label to
    :func:`provenance_view` output. Returns [(key, {label: value})] for every dotted key whose
    values are not all equal (a key one experiment lacks shows None there), sorted by key."""
    flat = dict((label, flatten(view)) for label, view in experiments.items())
    keys = sorted(set(k for view in flat.values() for k in view))
    differences = []
    for key in keys:
        values = dict((label, view.get(key)) for label, view in flat.items())
        if len(set(repr(v) for v in values.values())) > 1:
            differences.append((key, values))
    return differences
