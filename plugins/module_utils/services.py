# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether the replicas still run as one start.

Electrode's replicas keep their protocol state (view, op number, log) in memory only. A replica
that restarts alone (its handler was killed and systemd restarted both, the node rebooted, the
role changed one node's unit) comes back at view 0 with an empty log while its peers go on, and
the cluster stops answering: upstream's advice is to terminate the cluster and start it again.
So the replicas are only ever started together, and each keeps a record of the common start: the
systemd InvocationID of every replica's unit at that start. Comparing the record with the units'
current InvocationIDs says which replicas started since; which of those starts the role's run made
itself says whether they did so together (the real replicas can also crash one after the other, so
"every replica started since" alone does not mean one start).

Pure Python on plain data, shared by the ``replica_restart_plan`` filter and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def _text(value):
    return value if isinstance(value, str) else ""


def _names(replicas):
    return ", ".join(replicas)


def replica_restart_plan(records, current, replicas, started=None):
    """Decide whether every replica must be restarted so that they run as one start again.

    :arg records: mapping replica -> the record that node keeps of the replicas' last common start
      (a mapping replica -> InvocationID), or None where it has none (a first start, a reboot).
    :arg current: mapping replica -> the replica unit's InvocationID now.
    :arg replicas: every replica of the cluster, in index order.
    :arg started: the replicas whose unit this run started or restarted (the role's own start);
      a replica that started since the last common start and is not among them restarted on its
      own (systemd's restart after a crash, a reboot, a start by hand).
    :returns: ``{"in_step": bool, "restarted": [...], "record": {...}, "reason": str}``: the
      replicas whose unit started since the last common start, whether the cluster is still one
      start, the record to keep, and a sentence saying why. The cluster is one start when none
      of them restarted, or when this run started every one of them; not when some restarted,
      nor when all did but some on their own (each at its own moment, as when the real replicas
      crash one after the other). Where no node has a record, the replicas are taken as one
      start (a first start).
    """
    records = records or {}
    current = current or {}
    replicas = list(replicas or [])
    started = set(started or [])
    missing = [r for r in replicas if not _text(current.get(r))]
    if missing:
        raise ValueError(
            "replica_restart_plan: no InvocationID for %s (is electrode-replica.service active there?)"
            % _names(missing)
        )
    now = dict((r, current[r]) for r in replicas)
    known = []
    for replica in replicas:
        record = records.get(replica)
        if isinstance(record, dict) and record and record not in known:
            known.append(record)
    if len(known) > 1:
        return {
            "in_step": False,
            "restarted": list(replicas),
            "record": now,
            "reason": "the replicas' records of their last common start differ (a run that stopped half-way)",
        }
    if not known:
        return {"in_step": True, "restarted": list(replicas), "record": now,
                "reason": "no replica has a record of a common start: this is taken as one"}
    restarted = [r for r in replicas if _text(known[0].get(r)) != now[r]]
    on_their_own = [r for r in restarted if r not in started]
    if not restarted:
        in_step, reason = True, "no replica restarted since the last common start"
    elif len(restarted) < len(replicas):
        in_step = False
        reason = "%s restarted alone since the last common start, while %s kept running" % (
            _names(restarted), _names(r for r in replicas if r not in restarted))
    elif not on_their_own:
        in_step, reason = True, "this run started every replica"
    else:
        in_step = False
        reason = "every replica started since the last common start, but not together: %s restarted on %s own" % (
            _names(on_their_own), "its" if len(on_their_own) == 1 else "their")
        by_run = [r for r in restarted if r in started]
        if by_run:
            reason += ", %s in this run" % _names(by_run)
    return {
        "in_step": in_step,
        "restarted": restarted,
        "record": now,
        "reason": reason,
    }
