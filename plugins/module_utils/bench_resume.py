# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An experiment that stopped before its end, and how to finish it.

The bench writes RESULTS/experiment.json when it plans an experiment: what it asked for (variants
with their flags, handler and source; load points; repetitions; the protocol) on which cluster
(replicas in index order, f), the planned runs, and each invocation. When a node stops answering
for longer than ``bench_unreachable_wait`` (or the controller is interrupted), the results so far
are written and the record says why the experiment is incomplete. ``bench_resume`` then runs only
the runs that cells still lack - each (cell, repetition) of the plan without a kept run - into the
same folder, so that its repetitions pair with the others' as they would have.

Pure functions on plain data, shared by the bench's actions and their unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

SOURCE_KEYS = ("source_path", "repo", "version")


def _variant(variant):
    """What of a variant decides its figures: flags, handler, source."""
    return {"name": variant.get("name"), "features": list(variant.get("features") or []),
            "accelerated": bool(variant.get("accelerated")),
            "source": dict((k, variant.get(k)) for k in SOURCE_KEYS if variant.get(k) not in (None, ""))}


def experiment_record(settings, replicas, f, order, protocol):
    """The record of a planned experiment (RESULTS/experiment.json): settings are the bench's
    (bench_name, bench_variants, bench_repetitions), ``replicas`` the cluster's in index order,
    ``order`` the planned runs ({variant, threads, clients, repetition}), each numbered."""
    return {
        "name": settings.get("bench_name"),
        "variants": [_variant(v) for v in settings.get("bench_variants") or []],
        "repetitions": int(settings.get("bench_repetitions")),
        "loads": sorted(set((int(r["threads"]), int(r["clients"])) for r in order)),
        "protocol": protocol,
        "replicas": list(replicas),
        "f": int(f),
        "order": [dict(run, order=number) for number, run in enumerate(order, 1)],
        "invocations": [],
        "status": "running",
    }


def resume_problems(record, settings, replicas, f, protocol, loads, folder="bench_resume"):
    """Why ``record`` (a results folder's experiment.json, or None) cannot be resumed with these
    settings on this cluster: each problem names the variable and the difference."""
    if record is None:
        return ["bench_resume: %s is not a results folder of bench.yml (it has no experiment.json): name a folder "
                "results/<UTC time>-<bench_name> that an interrupted bench.yml wrote." % folder]
    problems = []
    if record.get("status") == "complete":
        problems.append("bench_resume: %s is a complete experiment: every cell has its runs, nothing is left to run." % folder)
    was = dict((v["name"], v) for v in record.get("variants") or [])
    now = dict((v.get("name"), _variant(v)) for v in settings.get("bench_variants") or [])
    if sorted(was) != sorted(now):
        problems.append("bench_resume: %s ran bench_variants %s; this run asks for %s: resume it with the same variants."
                        % (folder, ", ".join(sorted(was)), ", ".join(sorted(n for n in now if n is not None))))
    for name in sorted(set(was) & set(now)):
        for key, label in (("features", "flags"), ("accelerated", "accelerated"), ("source", "source")):
            if was[name][key] != now[name][key]:
                problems.append("bench_resume: variant %s ran with %s %s in %s, not %s: resume it with the same bench_variants."
                                % (name, label, was[name][key], folder, now[name][key]))
    if int(settings.get("bench_repetitions")) != record.get("repetitions"):
        problems.append("bench_resume: %s asked for bench_repetitions %s, not %s." % (
            folder, record.get("repetitions"), settings.get("bench_repetitions")))
    if sorted([list(x) for x in loads]) != sorted([list(x) for x in record.get("loads") or []]):
        problems.append("bench_resume: %s ran the load points (threads x client nodes) %s, not %s: set bench_threads and "
                        "bench_clients as it did." % (folder, _loads(record.get("loads")), _loads(loads)))
    if protocol != record.get("protocol"):
        problems.append("bench_resume: %s ran bench_protocol %s, not %s." % (folder, record.get("protocol"), protocol))
    if list(replicas) != list(record.get("replicas") or []) or int(f) != record.get("f"):
        problems.append("bench_resume: %s ran on replicas %s (f=%s), this cluster has %s (f=%s): resume it on the same "
                        "cluster." % (folder, ", ".join(record.get("replicas") or []), record.get("f"), ", ".join(replicas), f))
    return problems


def _loads(loads):
    return ", ".join("%dx%d" % tuple(x) for x in loads or [])


def remaining_runs(record, runs):
    """The planned runs still to do: every (variant, load point, repetition) of the plan without a
    kept run (never run, or excluded), in the plan's interleaved order, numbered on from the runs
    there are. ``runs``: the folder's run records (variant, threads, client_nodes, repetition,
    valid, order)."""
    kept = set()
    for run in runs:
        if run.get("valid") and run.get("result") is not None:
            kept.add((run["variant"], int(run["threads"]), int(run.get("client_nodes") or 1),
                      int(run["repetition"])))
    last = max([int(r.get("order") or 0) for r in runs] or [0])
    remaining = []
    for planned in record.get("order") or []:
        key = (planned["variant"], int(planned["threads"]), int(planned["clients"]), int(planned["repetition"]))
        if key in kept:
            continue
        last += 1
        remaining.append(dict((k, planned[k]) for k in ("variant", "threads", "clients", "repetition")))
        remaining[-1]["order"] = last
    return remaining


def not_done(record, runs):
    """The planned runs with no record at all (not run, as opposed to run and excluded)."""
    done = set((r["variant"], int(r["threads"]), int(r.get("client_nodes") or 1), int(r["repetition"])) for r in runs)
    return [p for p in record.get("order") or []
            if (p["variant"], int(p["threads"]), int(p["clients"]), int(p["repetition"])) not in done]
