# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's client runner (roles/bench/files/client_runner.py), run as the bench runs it on a
node (python3 -c <file> SPEC) around a stand-in client that prints the real client's window
lines and writes its latency files."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import struct
import subprocess
import sys
import time

RUNNER = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "bench", "files", "client_runner.py")

CLIENT = r'''
import struct, sys, time
def log(text):
    sys.stderr.write("20261125-221459-0001 01448 * Func            (benchmark.cc:1): %s\n" % text)
    sys.stderr.flush()
log("Completed warmup period of 0 seconds with 0 requests")
time.sleep(0.3)
log("Completed 3 requests in 0.300000 seconds")
time.sleep(0.2)
log("Finished cooldown period.")
log("Median latency is 2000 ns (2000 ns)")
log("All clients done.")
open(sys.argv[1], "w").write("histogram")
open(sys.argv[1] + ".raw", "wb").write(struct.pack("<3Q", 1000, 2000, 3000))
sys.exit(int(sys.argv[2]))
'''


def run(tmp_path, rc=0, start=0.0):
    client = tmp_path / "client.py"
    client.write_text(CLIENT)
    spec = {"dir": str(tmp_path / "run"), "start": start, "cwd": str(tmp_path),
            "argv": [sys.executable, str(client), str(tmp_path / "run" / "latency"), str(rc)],
            "files": ["latency", "latency.raw", "missing"]}
    with open(RUNNER) as handle:
        source = handle.read()
    done = subprocess.run([sys.executable, "-c", source, json.dumps(spec)], stdout=subprocess.PIPE, check=True)
    return json.loads(done.stdout)


def test_the_window_lines_are_stamped_as_they_arrive_and_the_files_come_back(tmp_path):
    before = time.time()
    out = run(tmp_path)
    assert out["rc"] == 0 and before <= out["started"] <= out["ended"]
    lines = [line.split(": ", 1)[1] for when, line in out["marks"]]
    assert lines == ["Completed warmup period of 0 seconds with 0 requests", "Completed 3 requests in 0.300000 seconds",
                     "Finished cooldown period.", "All clients done."]
    stamps = [when for when, line in out["marks"]]
    # Stamped by this clock as each line came, not at the end: the measured window shows its 0.3 s.
    assert 0.25 <= stamps[1] - stamps[0] <= 1.5 and stamps[2] - stamps[1] >= 0.15
    assert "Median latency is 2000 ns" in out["log"]
    assert struct.unpack("<3Q", base64.b64decode(out["files"]["latency.raw"])) == (1000, 2000, 3000)
    assert base64.b64decode(out["files"]["latency"]) == b"histogram" and "missing" not in out["files"]
    assert (tmp_path / "run" / "client.log").read_text() == out["log"]


def test_the_client_exit_status_and_the_agreed_start_are_kept(tmp_path):
    start = time.time() + 0.5
    out = run(tmp_path, rc=3, start=start)
    assert out["rc"] == 3 and out["started"] >= start
