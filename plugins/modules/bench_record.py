#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: bench_record
version_added: 0.1.0
short_description: Judge one benchmark run and write it as JSON on the controller
description:
  - Used by the C(bench) role after each client run. From what the run read on the nodes - each
    replica's C(electrode.cluster.electrode_state) before and after the run (units, CPU times, XDP
    counters, the units' journal) and each client's exit status, times, CPU time and output - it
    summarises each client (C(electrode.cluster.client_summary), partial where the run did not
    finish), combines the clients, says how the XDP counters moved and what CPU the run cost, and
    judges whether the run counts.
  - A replica's or handler's unit that was not active, stopped, restarted or changed its main
    process, a client that timed out, failed, printed no complete summary or resent a request, and
    clients whose measured requests did not all see every client's load (from the window lines
    the runner stamped), each make the run invalid; the record keeps it, with the reasons naming the node.
  - The run's latency percentiles are those of every client's samples pooled (their C(latency.raw)),
    its CPU figures those of the replicas' samplers cut to the clients' measured window, and its
    steadiness that of the leader's packets over that window.
  - Writes the record to O(dest) whole or not at all, and the files the clients sent back (their
    latency files) to O(files_dir). An action plugin, run on the controller.
options:
  run:
    description: The run's own fields (run, order, variant, repetition, threads, clients, build, provenance, ...), kept as they are.
    type: dict
    required: true
  before:
    description: Replica host to what C(electrode_state) read just before the run.
    type: dict
    required: true
  after:
    description: Replica host to what C(electrode_state) read just after the run (with C(journal_since)).
    type: dict
    required: true
  clients:
    description:
      - Client host to the client runner's result (rc, started, ended, cpu_seconds, log, and
        C(files) - name to base64 content - which are written to O(files_dir), not into the record),
        or to the registered result of the task that ran the runner (its JSON read from C(stdout);
        an unreachable node's result names the node as not answering).
    type: dict
    required: true
  exclude_unsteady:
    description: Exclude a run whose traffic was not steady (a trend, a change of level, a long stall); else it is flagged and kept.
    type: bool
    default: false
  files_dir:
    description: Where the clients' files go, as C(<host>-<name>); default O(dest) without C(.json).
    type: path
  dest:
    description: The run's JSON file on the controller; its folder must exist.
    type: path
    required: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
# roles/bench/tasks/run.yml, once per run
- name: Judge the run and write its JSON
  electrode.cluster.bench_record:
    run: {run: 01-electrode-r1, variant: electrode, repetition: 1, threads: 1, clients: 1}
    before: "{{ dict(replicas | zip(replicas | map('extract', hostvars, '__bench_before'))) }}"
    after: "{{ dict(replicas | zip(replicas | map('extract', hostvars, '__bench_after'))) }}"
    clients: "{{ dict(clients | zip(clients | map('extract', hostvars, '__bench_client_run'))) }}"
    dest: results/20261202T120000Z-electrode-vs-baseline/runs/01-electrode-r1.json
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
dest:
  description: The file written.
  returned: always
  type: str
files:
  description: The clients' files written.
  returned: always
  type: list
  elements: str
  sample: ["results/20261202T120000Z-electrode-vs-baseline/runs/01-electrode-r1/client0-latency.raw"]
valid:
  description: Whether the run counts.
  returned: always
  type: bool
reasons:
  description: Why it does not, each naming the node.
  returned: always
  type: list
  elements: str
  sample: ["replica2 restarted during the run"]
restarted:
  description: The replica hosts whose units restarted or stopped (they start together again before the next run).
  returned: always
  type: list
  elements: str
unanswered:
  description:
    - The nodes that did not answer a read of the run (Ansible found them unreachable); the bench
      waits for them up to C(bench_unreachable_wait). The run's JSON lists them as C(unreachable).
  returned: always
  type: list
  elements: str
  sample: ["replica2"]
result:
  description:
    - The clients combined (requests, seconds, throughput_rps, clients) with the pooled samples'
      percentiles (latency_ns) and maximum (max_latency_ns); null unless every client completed.
  returned: always
  type: dict
steadiness:
  description: Whether the leader's traffic was steady over the measured window (steady, flags, longest_stall_s).
  returned: always
  type: dict
cpu:
  description: The run's CPU per measured request (leader_us_per_request, followers_us_per_request, their eBPF part, shared_kernel).
  returned: always
  type: dict
"""
