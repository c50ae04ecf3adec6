"""Faults for molecule/cluster's bench check, run on the lab's host (which sees every lab node's
processes): waits for the client of one bench run to start, then SIGKILLs one replica's process
(its unit restarts it); waits for the client of another run, then stops the leader's replica
process with SIGSTOP for a moment and continues it (the client resends; nothing restarts).
Prints what it did as JSON lines; exits 1 when a run's client or a replica was not found in time.
A STOP_RUN of "-" stops nothing.

    bench_faults.py KILL_RUN KILL_INDEX STOP_RUN STOP_INDEX [TIMEOUT_S]
    e.g. bench_faults.py 04 2 07 0 600, or bench_faults.py 04 2 - - 900
"""
import json
import os
import re
import signal
import sys
import time


def processes(pattern):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        line = " ".join(a.decode("utf-8", "replace") for a in argv if a)
        if re.search(pattern, line):
            found.append(int(pid))
    return found


def wait_for(pattern, until):
    while time.time() < until:
        pids = processes(pattern)
        if pids:
            return pids
        time.sleep(0.02)
    sys.exit("no process matching %r appeared in time" % pattern)


def client_of(run):
    # The client's own process (not its `timeout` parent): its latency file names the run.
    return r"^\S*/bench/client -c config.txt .* -l /var/tmp/electrode-bench/%s-\S+/latency$" % re.escape(run)


def replica(index):
    return r"^\S*/bench/replica -c config.txt -m \S+ -i %d$" % index


def main():
    kill_run, kill_index, stop_run = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    until = time.time() + (float(sys.argv[5]) if len(sys.argv) > 5 else 600)
    wait_for(client_of(kill_run), until)
    time.sleep(0.3)
    pids = wait_for(replica(kill_index), until)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    print(json.dumps({"run": kill_run, "signal": "SIGKILL", "replica": kill_index, "pids": pids}), flush=True)
    if stop_run == "-":
        return
    stop_index = int(sys.argv[4])
    wait_for(client_of(stop_run), until)
    time.sleep(0.2)
    pids = wait_for(replica(stop_index), until)
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    time.sleep(0.6)
    for pid in pids:
        os.kill(pid, signal.SIGCONT)
    print(json.dumps({"run": stop_run, "signal": "SIGSTOP", "replica": stop_index, "pids": pids, "seconds": 0.6}),
          flush=True)


if __name__ == "__main__":
    main()
