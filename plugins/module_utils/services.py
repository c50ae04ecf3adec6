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
current InvocationIDs says which replicas started since, and whether they did so together.

Pure Python on plain data, shared by the ``replica_restart_plan`` filter and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def _text(value):
    return value if isinstance(value, str) else ""


def replica_restart_plan(before, after, replicas):
    """Decide whether every replica must be restarted so that they run as one start again.

    :arg before: mapping replica -> ``{"invocation": ..., "record": ...}`` read before this run
      changed anything: the replica unit's InvocationID then, and the record the node kept of the
      last common start (a mapping replica -> InvocationID), or None where it has none.
    :arg after: mapping replica -> the replica unit's InvocationID now.
    :arg replicas: every replica of the cluster, in index order.
    :returns: ``{"in_step": bool, "restarted": [...], "record": {...}, "reason": str}``: the
      replicas whose unit started since the last common start (or, without any record, during
      this run), whether the cluster is still one start (none restarted, or all of them), the
      record to keep, and a sentence saying why.
    """
    before = before or {}
    after = after or {}
    replicas = list(replicas or [])
    missing = [r for r in replicas if not _text(after.get(r))]
    if missing:
        raise ValueError(
            "replica_restart_plan: no InvocationID for %s (is electrode-replica.service active there?)"
            % ", ".join(missing)
        )
    current = dict((r, after[r]) for r in replicas)
    records = []
    for replica in replicas:
        record = (before.get(replica) or {}).get("record")
        if isinstance(record, dict) and record and record not in records:
            records.append(record)
    if len(records) > 1:
        return {
            "in_step": False,
            "restarted": list(replicas),
            "record": current,
            "reason": "the replicas' records of their last common start differ (a run that stopped half-way)",
        }
    if records:
        known, since = records[0], "the last common start"
    else:
        known = dict((r, _text((before.get(r) or {}).get("invocation"))) for r in replicas)
        since = "the start of this run (no replica has a record)"
    restarted = [r for r in replicas if _text(known.get(r)) != current[r]]
    if not restarted:
        reason = "no replica restarted since %s" % since
    elif len(restarted) == len(replicas):
        reason = "every replica started since %s" % since
    else:
        reason = "%s restarted alone since %s, while %s kept running" % (
            ", ".join(restarted), since, ", ".join(r for r in replicas if r not in restarted))
    return {
        "in_step": len(restarted) in (0, len(replicas)),
        "restarted": restarted,
        "record": current,
        "reason": reason,
    }
