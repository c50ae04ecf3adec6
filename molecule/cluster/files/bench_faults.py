"""Faults for the bench checks, run on the lab's host (which sees every lab node's processes and
owns the host ends of their veths). Each fault waits for the client of one bench run to start:

- ``kill,RUN,INDEX``: SIGKILL to replica INDEX's replica process (its unit restarts it);
- ``stop,RUN,INDEX,SECONDS``: SIGSTOP to replica INDEX's process, SIGCONT after SECONDS (the
  client resends; nothing restarts);
- ``link,RUN,NODE,SECONDS``: the host end of NODE's veth (vb-NODE) down, up again after SECONDS (the
  node stops answering: Ansible cannot reach it, its peers cannot either).

Prints what it did as JSON lines; exits 1 when a run's client or a replica was not found in time.

    bench_faults.py [--timeout S] FAULT...      e.g. bench_faults.py kill,04,2 stop,07,0,0.6 link,05,replica2,25
"""
import json
import os
import re
import signal
import subprocess
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


def fault(spec, until):
    kind, run = spec[0], spec[1]
    wait_for(client_of(run), until)
    if kind == "kill":
        time.sleep(0.3)
        pids = wait_for(replica(int(spec[2])), until)
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return {"run": run, "signal": "SIGKILL", "replica": int(spec[2]), "pids": pids}
    if kind == "stop":
        time.sleep(0.2)
        pids = wait_for(replica(int(spec[2])), until)
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        time.sleep(float(spec[3]))
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        return {"run": run, "signal": "SIGSTOP", "replica": int(spec[2]), "pids": pids, "seconds": float(spec[3])}
    if kind == "link":
        time.sleep(0.3)
        veth = "vb-" + spec[2]
        subprocess.run(["ip", "link", "set", "dev", veth, "down"], check=True)
        time.sleep(float(spec[3]))
        subprocess.run(["ip", "link", "set", "dev", veth, "up"], check=True)
        return {"run": run, "link": veth, "seconds": float(spec[3])}
    sys.exit("unknown fault %s" % kind)


def main():
    args = sys.argv[1:]
    timeout = 600.0
    if args[:1] == ["--timeout"]:
        timeout, args = float(args[1]), args[2:]
    specs = [a.split(",") for a in args]
    until = time.time() + timeout
    for spec in specs:
        print(json.dumps(fault(spec, until)), flush=True)


if __name__ == "__main__":
    main()
