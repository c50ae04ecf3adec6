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
resent, failed or timed out, clients whose measured requests did not all see the same load), and
each run's figures: the pooled requests' percentiles, the CPU the replicas spent in the measured
window (from the sampler, module_utils/bench_sampler.py) and whether the run was steady. The
statistics over runs are module_utils/bench_stats.py.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.electrode.cluster.plugins.module_utils.bench_stats import cumulative_at, pooled_percentiles, steadiness

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
    total over that time; ``latency_ns`` is the client's own percentiles with one thread, None
    with several (the run's come from the pooled raw samples; ``per_thread`` keeps each thread's). Output that is partial, malformed or from
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
    """Parts that ran at once (threads, clients) -> requests added up over the longest part's time.

    Latency percentiles of several parts are not averages of theirs: they come from the pooled
    samples (:func:`run_record`). Only one part's own percentiles carry over, as they are exact."""
    requests = sum(p["requests"] for p in parts)
    seconds = max(p["seconds"] for p in parts)
    latency = dict(parts[0]["latency_ns"]) if len(parts) == 1 and parts[0].get("latency_ns") else None
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


_WARMUP_MARK = re.compile(r"Completed warmup period")
_COOLDOWN_MARK = re.compile(r"Finished cooldown period")


def client_windows(clients):
    """Each client's windows, from the lines its runner stamped as they arrived (``marks``).

    ``clients``: client host -> the runner's JSON (started, marks). Returns host -> {started (the
    client's first request), measured (one [start, end] per thread: the end of its warm-up to its
    ``Completed N requests``), load_end (when each thread stopped sending: its ``Finished cooldown
    period.``)}. A thread's k-th end of warm-up, k-th completion and k-th cool-down are its own:
    every thread warms up and cools down for the same time. Hosts without marks are left out.
    """
    windows = {}
    for host in sorted(clients):
        client = clients[host] or {}
        starts, ends, stops = [], [], []
        for when, line in client.get("marks") or []:
            if _WARMUP_MARK.search(line):
                starts.append(float(when))
            elif _COMPLETED.search(_message(line)):
                ends.append(float(when))
            elif _COOLDOWN_MARK.search(line):
                stops.append(float(when))
        if not ends:
            continue
        starts = sorted(starts) or [float(client.get("started") or ends[0])] * len(ends)
        measured = [[start, end] for start, end in zip(starts, sorted(ends))]
        windows[host] = {"started": float(client.get("started") or measured[0][0]), "measured": measured,
                         "load_end": sorted(stops)}
    return windows


def window_problems(windows):
    """Whether every measured request of a run saw the load of every client thread.

    Each thread's measured window must lie inside every thread's loading window: after the last
    client started and before the first thread stopped sending. Returns (reasons, [start, end] of
    the measured requests of all clients, or None)."""
    if not windows:
        return [], None
    first = min(w["started"] for w in windows.values())
    start = min(m[0] for w in windows.values() for m in w["measured"])
    end = max(m[1] for w in windows.values() for m in w["measured"])
    reasons = []
    late = max(windows, key=lambda h: windows[h]["started"])
    early = min(windows, key=lambda h: min(m[0] for m in windows[h]["measured"]))
    if windows[late]["started"] > start:
        reasons.append(
            "%s started sending at +%.2f s, after %s's measured requests began at +%.2f s: not every measured request "
            "saw the same load" % (late, windows[late]["started"] - first, early, start - first))
    stopping = [(min(w["load_end"]), h) for h, w in windows.items() if w["load_end"]]
    if stopping:
        stop, stopper = min(stopping)
        ender = max(windows, key=lambda h: max(m[1] for m in windows[h]["measured"]))
        if stop < end:
            reasons.append(
                "%s's measured requests ended at +%.2f s, after %s stopped sending at +%.2f s: not every measured "
                "request saw the same load (raise bench_warmup, which is also the clients' cool-down)"
                % (ender, end - first, stopper, stop - first))
    return reasons, [start, end]


def _series(samples, pick):
    times, values = [], []
    for sample in samples:
        value = pick(sample)
        if value is not None:
            times.append(float(sample["t"]))
            values.append(float(value))
    return times, values


def _window_delta(samples, pick, window):
    times, values = _series(samples, pick)
    low, high = cumulative_at(times, values, window[0]), cumulative_at(times, values, window[1])
    return None if low is None or high is None else max(0.0, high - low)


def _per_request(value, requests, scale):
    return None if value is None or not requests else value / scale / requests


# The sampler takes 10 samples a second: a window of at least 10 of its intervals keeps the error of
# reading the counters between samples within a few percent of the window's CPU time.
MIN_CPU_WINDOW_S = 1.0


def replica_cpu(sampled, window, requests):
    """One replica's CPU over the measured ``window`` from its sampler's output (electrode_state's
    ``samples``), per measured request, in microseconds: each unit's own time (``units_us``), the
    handler's eBPF programs' run time by type (``bpf``: us and runs per request) and their sum
    (``bpf_us``), and the node's busy (user, nice, system, irq, softirq) and softirq time
    (``node_busy_us``, ``node_softirq_us``)."""
    header = (sampled or {}).get("header") or {}
    samples = (sampled or {}).get("samples") or []
    ticks = float(header.get("ticks") or 100)
    figures = {"bpf_stats": header.get("bpf_stats"), "units_us": {}, "units_source": None, "bpf": {}, "bpf_us": None,
               "node_busy_us": None, "node_softirq_us": None, "error": (sampled or {}).get("error")}
    if window is None or len(samples) < 2:
        figures["error"] = figures["error"] or "no samples over the measured window"
        return figures
    if window[1] - window[0] < MIN_CPU_WINDOW_S:
        figures["error"] = ("the measured window (%.2f s) is shorter than %.0f s, too short for samples taken ten times a "
                            "second: lengthen the runs (bench_duration)" % (window[1] - window[0], MIN_CPU_WINDOW_S))
        return figures
    units = sorted(set(u for sample in samples for u in sample.get("units") or {}))
    sources = set()
    for unit in units:
        ns = _window_delta(samples, lambda s, u=unit: ((s.get("units") or {}).get(u) or {}).get("ns"), window)
        figures["units_us"][unit] = _per_request(ns, requests, 1000.0)
        sources.update(((s.get("units") or {}).get(unit) or {}).get("source") for s in samples if (s.get("units") or {}).get(unit))
    figures["units_source"] = "/".join(sorted(x for x in sources if x)) or None
    kinds = {}
    for sample in samples:
        for prog, info in (sample.get("bpf") or {}).items():
            kinds.setdefault(info.get("type"), set()).add(prog)
    on = str(header.get("bpf_stats") or "").split(":", maxsplit=1)[0] in ("sampler", "node")
    for kind, progs in sorted(kinds.items()):
        ns = runs = 0.0
        for prog in sorted(progs):
            spent = _window_delta(samples, lambda s, p=prog: ((s.get("bpf") or {}).get(p) or {}).get("run_time_ns"), window)
            count = _window_delta(samples, lambda s, p=prog: ((s.get("bpf") or {}).get(p) or {}).get("run_cnt"), window)
            ns += spent or 0.0
            runs += count or 0.0
        figures["bpf"][kind] = {"us": _per_request(ns, requests, 1000.0) if on else None,
                                "runs": (runs / requests) if on and requests else None}
    if kinds:
        parts = [v["us"] for v in figures["bpf"].values()]
        figures["bpf_us"] = sum(parts) if None not in parts else None
    busy = [_window_delta(samples, lambda s, k=k: (s.get("cpu") or {}).get(k), window)
            for k in ("user", "nice", "system", "irq", "softirq")]
    if None not in busy:
        figures["node_busy_us"] = _per_request(sum(busy) * 1e9 / ticks, requests, 1000.0)
        figures["node_softirq_us"] = _per_request(busy[4] * 1e9 / ticks, requests, 1000.0)
    return figures


def cpu_cost(before, after, window, requests, replicas, clients_cpu_seconds=None):
    """CPU per measured request over the measured window, leader apart from the followers.

    ``before``/``after``: replica host -> electrode_state's readings (``cpu`` with the kernel's
    ``btime``; after: ``samples``). ``replicas``: the replica hosts in index order (the first
    leads). A replica's figure (``us``) is its node's busy time where each replica has a kernel
    of its own; where they share one (``shared_kernel``: the lab's nodes on one machine, whose
    node-wide times are the machine's) it is its units' time plus its eBPF programs' run time.
    ``clients_cpu_seconds``: client host -> the client process's user + system seconds (its whole
    run, warm-up and cool-down included)."""
    # Every replica node read (those a smaller variant leaves stopped too) tells whether they share a kernel.
    read = sorted(set(before) | set(after)) or [h for h in replicas if h in after or h in before]
    boots = set((((after.get(h) or {}).get("cpu") or (before.get(h) or {}).get("cpu")) or {}).get("btime") for h in read)
    shared = len(read) > 1 and len(boots) == 1 and None not in boots
    figures = {}
    for host in replicas:
        figure = replica_cpu((after.get(host) or {}).get("samples"), window, requests)
        units = list(figure["units_us"].values())
        own = sum(units) if units and None not in units else None
        if shared:
            figure["us"] = None if own is None else own + (figure["bpf_us"] or 0.0)
        else:
            figure["us"] = figure["node_busy_us"]
        figure["role"] = "leader" if host == replicas[0] else "follower"
        figures[host] = figure
    followers = [figures[h]["us"] for h in replicas[1:]]
    follower_bpf = [figures[h]["bpf_us"] for h in replicas[1:]]
    clients = dict((host, (seconds * 1e6 / requests) if requests and seconds is not None else None)
                   for host, seconds in sorted((clients_cpu_seconds or {}).items()))
    return {
        "window_s": (window[1] - window[0]) if window else None,
        "requests": requests,
        "shared_kernel": shared,
        "leader": replicas[0] if replicas else None,
        "replicas": figures,
        "leader_us_per_request": figures[replicas[0]]["us"] if replicas else None,
        "leader_bpf_us_per_request": figures[replicas[0]]["bpf_us"] if replicas else None,
        "followers_us_per_request": (sum(followers) / len(followers)) if followers and None not in followers else None,
        "followers_bpf_us_per_request": (sum(follower_bpf) / len(follower_bpf))
        if follower_bpf and None not in follower_bpf else None,
        "client_us_per_request": clients,
    }


def run_steadiness(sampled, window):
    """The run's traffic over time: the leader's experiment-interface packets (received and sent)
    from its sampler, judged by :func:`bench_stats.steadiness` over the measured window."""
    samples = (sampled or {}).get("samples") or []
    times, counts = _series(samples, lambda s: None if None in ((s.get("net") or {}).get("rx_packets"),
                                                                (s.get("net") or {}).get("tx_packets"))
                            else s["net"]["rx_packets"] + s["net"]["tx_packets"])
    if window is None or not times:
        return {"steady": None, "flags": [], "longest_stall_s": None, "median_gap_s": None, "samples": 0}
    return steadiness(times, counts, start=window[0], end=window[1])


LATENCY_FRACTIONS = (0.5, 0.9, 0.95, 0.99)


def unreachable_reasons(before, after, clients):
    """The nodes Ansible could not reach for one of the run's reads (a result with ``unreachable``):
    (reasons, hosts). What Ansible said is kept, trimmed to its first line."""
    reasons, hosts = [], []
    for when, readings in (("before the run", before), ("during the run", clients), ("after the run", after)):
        for host in sorted(readings or {}):
            reading = readings[host] or {}
            if reading.get("unreachable"):
                said = str(reading.get("msg") or "no answer").strip().splitlines()[0][:200].strip()
                reasons.append("%s unreachable %s: %s" % (host, when, said))
                if host not in hosts:
                    hosts.append(host)
    return reasons, hosts


def _reachable(readings):
    return dict((h, r) for h, r in (readings or {}).items() if not (r or {}).get("unreachable"))


def run_record(run, before, after, clients, samples=None, exclude_unsteady=False):
    """One run's judgement and figures, from what the bench read.

    ``run``: the run's own fields (run, order, variant, repetition, threads, clients, replicas (in
    index order), ...), kept as they are. ``before``/``after``: replica host -> electrode_state's
    reading (units, cpu, xdp_counters; after also journal and the sampler's samples). ``clients``:
    client host -> the client runner's JSON (rc, started, ended, cpu_seconds, log, marks).
    ``samples``: client host -> its latency samples in ns (the ``.raw`` file), pooled for the
    run's percentiles.

    Returns the record the bench writes as the run's JSON: run's fields, valid, invalid_reasons,
    restarted, started, ended, window (the clients' measured requests, [start, end]), clients (each
    client's summary, partial where the run did not finish), result (the clients combined, with
    the pooled samples' percentiles and maximum; None unless every client completed), xdp_counters
    (how each replica's grew), cpu (:func:`cpu_cost`), steadiness (:func:`run_steadiness`), health
    (units before and after, the journal's warnings) and logs (client output, services journal).
    """
    lost, unreachable = unreachable_reasons(before, after, clients)
    before, after = _reachable(before), _reachable(after)
    summaries = {}
    for host in sorted(clients):
        client = clients[host] or {}
        if client.get("unreachable"):
            summaries[host] = dict(client_health(""), complete=False, error="unreachable", rc=None)
            continue
        summary = client_summary(client.get("log") or "", partial=True)
        summary["rc"] = client.get("rc")
        summaries[host] = summary
    # The units of the replicas that serve the run (run["replicas"]: a smaller variant's others are stopped).
    serving = run.get("replicas") or sorted(before)
    units_before = dict((h, (before[h] or {}).get("units") or {}) for h in before if h in serving)
    units_after = dict((h, (after.get(h) or {}).get("units") or {}) for h in after if h in before and h in serving)
    validity = run_validity(units_before, units_after,
                            dict((h, s) for h, s in summaries.items() if not (clients[h] or {}).get("unreachable")))
    windows = client_windows(clients)
    overlap, window = window_problems(windows)
    complete = [summaries[h] for h in sorted(summaries) if summaries[h].get("complete")]
    result = combine_clients(complete) if complete and len(complete) == len(summaries) else None
    if result is not None:
        pooled = [list(samples[h]) for h in sorted(samples or {}) if samples[h]]
        if pooled and sum(len(p) for p in pooled) > 0:
            values = pooled_percentiles(pooled, LATENCY_FRACTIONS + (1.0,))
            result["latency_ns"] = dict(zip(PERCENTILES, values[:-1]))
            result["max_latency_ns"] = values[-1]
            result["latency_source"] = "pooled samples (%d)" % sum(len(p) for p in pooled)
        elif result.get("latency_ns"):
            result["latency_source"] = "the client's own lines (one thread)"
        else:
            result["latency_source"] = None
    replicas = [h for h in (run.get("replicas") or sorted(before)) if h in before]
    leader = (run.get("replicas") or replicas or [None])[0]
    steady = run_steadiness((after.get(leader) or {}).get("samples") if leader in after else None, window)
    reasons = lost + [r for r in validity["reasons"] if not any(r.startswith(h + " ") or r.startswith(h + "'s ")
                                                                for h in unreachable)] + (overlap if result is not None else [])
    if exclude_unsteady and steady.get("steady") is False:
        reasons.append("%s's traffic was not steady (%s) and bench_exclude_unsteady is true"
                       % (leader, ", ".join(steady["flags"])))
    record = dict(run)
    record.update({
        "valid": not reasons,
        "invalid_reasons": reasons,
        "restarted": validity["restarted"],
        "unreachable": unreachable,
        "started": min([c.get("started") for c in clients.values() if c and c.get("started")] or [None]) if clients else None,
        "ended": max([c.get("ended") for c in clients.values() if c and c.get("ended")] or [None]) if clients else None,
        "window": window,
        "clients": summaries,
        "client_windows": windows,
        "result": result,
        "xdp_counters": dict((h, xdp_delta((before[h] or {}).get("xdp_counters") or {},
                                           (after.get(h) or {}).get("xdp_counters") or {})) for h in sorted(before)),
        "cpu": cpu_cost(before, after, window, result["requests"] if result else None,
                        list(run.get("replicas") or replicas), dict((h, (clients[h] or {}).get("cpu_seconds")) for h in clients)),
        "steadiness": steady,
        # The replicas that did not serve (a variant of fewer replicas, the unreplicated bound):
        # their units' states after the run, which were stopped.
        "idle": dict((h, dict((name, (unit or {}).get("active_state")) for name, unit in ((after[h] or {}).get("units") or {}).items()))
                     for h in sorted(after) if h not in serving),
        "health": {
            "before": units_before,
            "after": units_after,
            "warnings": dict((h, ((after.get(h) or {}).get("journal") or {}).get("warnings") or []) for h in sorted(after)),
        },
        "logs": {
            "client": dict((h, (clients[h] or {}).get("log") or "") for h in sorted(clients) if not (clients[h] or {}).get("unreachable")),
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
