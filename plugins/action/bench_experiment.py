# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan, resume and finish an experiment's record on the controller (logic: module_utils/bench_resume.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.electrode.cluster.plugins.action.bench_record import _plain, write_json
from ansible_collections.electrode.cluster.plugins.module_utils.bench_resume import (
    experiment_record,
    not_done,
    remaining_runs,
    resume_problems,
)

RECORD = "experiment.json"


def read_record(results):
    path = os.path.join(results, RECORD)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return json.load(handle)


def read_runs(results):
    runs = []
    for path in sorted(glob.glob(os.path.join(results, "runs", "*.json"))):
        with open(path) as handle:
            runs.append(json.load(handle))
    return runs


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("results", "state", "settings", "replicas", "f", "protocol", "loads", "order", "incomplete"))
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars or {})
        args = _plain(self._task.args)
        results = os.path.expanduser(str(args.get("results") or ""))
        state = args.get("state")
        if state not in ("planned", "resumed", "finished"):
            raise AnsibleActionFail("bench_experiment: state must be planned, resumed or finished (got %s)" % state)
        if state == "planned":
            record = experiment_record(args["settings"], args["replicas"], args["f"], args["order"], args["protocol"])
            order = record["order"]
            # The record plans bench_repetitions; rounds beyond (bench_ci_target) are optional.
            record["order"] = [r for r in order if int(r["repetition"]) <= int(args["settings"]["bench_repetitions"])]
            record["invocations"].append({"number": 1, "started": _now(), "runs": len(record["order"])})
            if not self._task.check_mode:
                write_json(os.path.join(results, RECORD), record)
            result.update(changed=True, order=order, invocation_number=1)
            return result
        record = read_record(results)
        if state == "resumed":
            loads = [list(map(int, x)) for x in args.get("loads") or []]
            problems = resume_problems(record, args["settings"], args["replicas"], args["f"], args["protocol"], loads,
                                       folder=str(args.get("results")))
            runs = read_runs(results) if record else []
            remaining = remaining_runs(record, runs) if record else []
            if not problems and not remaining:
                problems = ["bench_resume: %s has a kept run for every cell and repetition it planned: nothing to resume."
                            % args.get("results")]
            if problems:
                result.update(failed=True, msg=" ".join(problems), problems=problems)
                return result
            number = len(record.get("invocations") or []) + 1
            record["invocations"].append({"number": number, "started": _now(), "runs": len(remaining)})
            record["status"] = "running"
            if not self._task.check_mode:
                write_json(os.path.join(results, RECORD), record)
            result.update(changed=True, order=remaining, invocation_number=number)
            return result
        # finished: complete where every planned run has a kept one; else why not.
        if record is None:
            raise AnsibleActionFail("bench_experiment: %s has no %s to finish" % (results, RECORD))
        runs = read_runs(results)
        remaining = remaining_runs(record, runs)
        missing = not_done(record, runs)
        if args.get("incomplete"):
            record["status"] = "incomplete: %s" % args["incomplete"]
        elif remaining:
            record["status"] = "incomplete: %d planned run(s) without a kept run (excluded)" % len(remaining)
        else:
            record["status"] = "complete"
        record["invocations"][-1]["ended"] = _now()
        if not self._task.check_mode:
            write_json(os.path.join(results, RECORD), record)
        result.update(changed=True, status=record["status"], remaining=len(remaining),
                      not_done=["%s %dx%d r%d" % (p["variant"], p["threads"], p["clients"], p["repetition"]) for p in missing])
        return result
