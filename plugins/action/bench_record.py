# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judge one benchmark run and write its JSON on the controller (logic: module_utils/bench.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import struct
import tempfile

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ansible_collections.electrode.cluster.plugins.module_utils.bench import run_record


def _plain(value):
    """Ansible's lazy containers and tagged strings as plain JSON data."""
    return json.loads(json.dumps(value, default=str))


def write_files(folder, clients):
    """The files each client runner sent back (base64), as FOLDER/<host>-<name>; taken out of
    ``clients`` so that the record keeps figures and logs, not copies of the files."""
    written = []
    for host in sorted(clients):
        for name, data in sorted(((clients[host] or {}).pop("files", None) or {}).items()):
            if not os.path.isdir(folder):
                os.makedirs(folder)
            path = os.path.join(folder, "%s-%s" % (host, os.path.basename(name)))
            with open(path, "wb") as handle:
                handle.write(base64.b64decode(data))
            written.append(path)
    return written


def client_result(value):
    """What a client's run gave: the runner's JSON from the command's stdout, or the command's
    result as it is where the node did not answer (``unreachable``) or the task failed."""
    if isinstance(value, dict) and "stdout" in value and not value.get("unreachable"):
        try:
            return json.loads(value["stdout"])
        except ValueError:
            return {"rc": value.get("rc"), "log": value.get("stdout") or "", "error": "the runner printed no JSON"}
    return value


def raw_samples(clients):
    """Each client's latency samples (its ``latency.raw``: 8-byte unsigned nanoseconds, each thread's
    block sorted, threads one after another), host -> list, from the files its runner sent back."""
    samples = {}
    for host in sorted(clients):
        data = ((clients[host] or {}).get("files") or {}).get("latency.raw")
        if data is None:
            continue
        raw = base64.b64decode(data)
        usable = len(raw) - len(raw) % 8
        samples[host] = [value for (value,) in struct.iter_unpack("<Q", raw[:usable])]
    return samples


def write_json(path, data):
    """Write ``data`` to ``path`` whole or not at all (a file beside it, then a rename)."""
    folder = os.path.dirname(path)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".run-", suffix=".json")
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(data, out, indent=4, sort_keys=True)
            out.write("\n")
        os.chmod(temporary, 0o644)
        os.rename(temporary, path)
    except Exception:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("run", "before", "after", "clients", "dest", "files_dir", "exclude_unsteady"))
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars or {})
        args = self._task.args
        missing = [name for name in ("run", "before", "after", "clients", "dest") if args.get(name) is None]
        if missing:
            raise AnsibleError("bench_record: %s is required" % ", ".join(missing))
        dest = os.path.expanduser(str(args["dest"]))
        if not os.path.isdir(os.path.dirname(dest)):
            raise AnsibleError("bench_record: the folder of %s does not exist (the bench creates it first)" % dest)
        clients = dict((host, client_result(value)) for host, value in _plain(args["clients"]).items())
        samples = raw_samples(clients)
        files = []
        if not self._task.check_mode:
            files = write_files(os.path.expanduser(str(args.get("files_dir") or os.path.splitext(dest)[0])), clients)
        else:
            for client in clients.values():
                (client or {}).pop("files", None)
        record = run_record(_plain(args["run"]), _plain(args["before"]), _plain(args["after"]), clients, samples,
                            exclude_unsteady=bool(args.get("exclude_unsteady", False)))
        if not self._task.check_mode:
            write_json(dest, record)
            self._progress_report(os.path.dirname(os.path.dirname(dest)), record)
        result.update(
            changed=not self._task.check_mode,
            dest=dest,
            files=files,
            valid=record["valid"],
            reasons=record["invalid_reasons"],
            restarted=record["restarted"],
            # Not "unreachable": Ansible reads that key of a result as the host being unreachable.
            unanswered=record["unreachable"],
            result=record["result"],
            steadiness=record["steadiness"],
            cpu=dict((k, v) for k, v in record["cpu"].items() if k != "replicas"),
        )
        return result

    def _progress_report(self, results, record):
        """The report so far, without plots: a bench interrupted (Ctrl-C, a lost controller) leaves a
        readable folder; the bench's last step writes the whole report over it."""
        from ansible_collections.electrode.cluster.plugins.action.bench_report import write_report

        try:
            template = self._find_needle("templates", "report.html.j2")
            write_report(results, template, plots=False,
                         incomplete="in progress after run %s: a bench stopped here left its runs so far; finish it with "
                                    "bench.yml -e bench_resume=%s" % (record["run"], results))
        except Exception as exc:  # the run's JSON is written; a report that fails now is written at the end
            self._display.warning("bench_record: the report so far was not written: %s" % exc)
