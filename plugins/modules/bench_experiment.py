#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: bench_experiment
version_added: 0.1.0
short_description: Plan, resume and finish a benchmark experiment's record on the controller
description:
  - Used by the C(bench) role. Keeps O(results)C(/experiment.json), the record of what an
    experiment asked for (variants with flags, handler and source; load points; repetitions;
    protocol), on which cluster (replicas in index order, f), its planned runs, each invocation,
    and whether it is complete.
  - O(state=planned) writes the record of a new experiment and returns its runs, numbered.
  - O(state=resumed) checks that the folder is an incomplete experiment of the same variants,
    flags, sources, load points, repetitions, protocol and cluster, naming each difference, and
    returns only the runs still lacking a kept run (each planned variant, load point and
    repetition), numbered on from the runs there, as a new invocation.
  - O(state=finished) says whether every planned run has a kept one (C(complete)), or why not.
  - An action plugin, run on the controller.
options:
  results:
    description: The experiment's results folder.
    type: path
    required: true
  state:
    description: What to do with the record.
    type: str
    choices: [planned, resumed, finished]
    required: true
  settings:
    description: The experiment's settings (bench_name, bench_variants, bench_repetitions), for planned and resumed.
    type: dict
  replicas:
    description: The cluster's replica hosts in index order, for planned and resumed.
    type: list
    elements: str
  f:
    description: The cluster's f, for planned and resumed.
    type: int
  protocol:
    description: The replication protocol, for planned and resumed.
    type: str
  loads:
    description: The load points as [threads, client nodes] pairs, for resumed.
    type: list
    elements: list
  order:
    description: The planned runs (variant, threads, clients, repetition), for planned.
    type: list
    elements: dict
  incomplete:
    description: Why the experiment stopped before its end, for finished.
    type: str
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Nothing is written.
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Resume an incomplete experiment
  electrode.cluster.bench_experiment:
    results: results/20261204T120000Z-electrode-vs-baseline
    state: resumed
    settings: {bench_name: electrode-vs-baseline, bench_variants: "{{ bench_variants }}", bench_repetitions: 7}
    replicas: [replica0, replica1, replica2]
    f: 1
    protocol: vr
    loads: [[1, 1]]
  delegate_to: localhost
  run_once: true
  register: plan
"""

RETURN = r"""
order:
  description: The runs to do, each variant, threads, clients, repetition and order (its number in the folder).
  returned: when state is planned or resumed
  type: list
  elements: dict
invocation_number:
  description: This invocation's number (1 for the first, 2 for the first resume, ...).
  returned: when state is planned or resumed
  type: int
status:
  description: C(complete), or C(incomplete - why).
  returned: when state is finished
  type: str
not_done:
  description: The planned runs that never ran.
  returned: when state is finished
  type: list
  elements: str
"""
