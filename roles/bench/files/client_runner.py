# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One run of Electrode's benchmark client on a client node, for the bench role.

The bench runs it as ``python3 -c <this file> SPEC`` (one round trip, nothing copied first);
SPEC is a JSON object {dir, start, cwd, argv, files}. It waits for the agreed start time (the
clients of a run start together), runs the client (``argv``, under the timeout the bench put in
it) in the build tree ``cwd``, and prints one JSON line that the bench reads as data:

- ``rc``, ``started``, ``ended`` (this node's clock, seconds since the epoch);
- ``cpu_seconds``: the client's user + system time (the kernel's accounting of the ended child);
- ``log``: the client's stderr, where it prints its figures;
- ``marks``: [time, line] for each line that opens or closes a window of the run - the end of
  a thread's warm-up (its measured requests start), its ``Completed N requests`` (they end), its
  ``Finished cooldown period.`` (it stops sending) and ``All clients done.`` - stamped with this
  node's clock as the line arrives, so that windows of clients on several nodes compare;
- ``files``: the files named in ``files`` that the client wrote (its latency file and the
  ``.raw`` samples), base64, so that they come back in the same round trip.
"""
import base64
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time

MARKS = re.compile(r"Completed warmup period|Completed \d+ requests in|Finished cooldown period|All clients done")


def run(spec, clock=time.time):
    shutil.rmtree(spec["dir"], ignore_errors=True)
    os.makedirs(spec["dir"])
    time.sleep(max(0.0, float(spec["start"]) - clock()))
    marks = []
    started = clock()
    with open(os.path.join(spec["dir"], "client.out"), "wb") as out:
        child = subprocess.Popen(spec["argv"], cwd=spec["cwd"], stdout=out, stderr=subprocess.PIPE)
        lines = []
        for raw in iter(child.stderr.readline, b""):
            now = clock()
            line = raw.decode("utf-8", "replace")
            lines.append(line)
            if MARKS.search(line):
                marks.append([now, line.rstrip("\n")])
        child.stderr.close()
        rc = child.wait()
    ended = clock()
    log = "".join(lines)
    with open(os.path.join(spec["dir"], "client.log"), "w") as handle:
        handle.write(log)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    files = {}
    for name in spec.get("files", []):
        path = os.path.join(spec["dir"], name)
        if os.path.exists(path):
            with open(path, "rb") as handle:
                files[name] = base64.b64encode(handle.read()).decode("ascii")
    return {"rc": rc, "started": started, "ended": ended, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "log": log, "marks": marks, "files": files}


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
