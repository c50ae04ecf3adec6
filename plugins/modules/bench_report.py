#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: bench_report
version_added: 0.1.0
short_description: Write a benchmark's table, CSVs, plots and report.html on the controller
description:
  - Used by the C(bench) role after the runs (and where it stops early, for what was measured).
    Reads O(results)C(/runs/*.json) and writes C(runs.csv), C(summary.csv), C(comparisons.csv),
    C(summary.txt), C(summary.json), C(bench.png), C(curve.png), C(latency-cdf.png),
    C(report.html) and each run's logs as files.
  - A cell (a variant at a load point) is summarised by the medians of its kept runs with
    distribution-free intervals at O(confidence) from their order statistics; with too few runs
    for it, the runs' range and what it covers. The latency percentiles of a run are those of all
    its clients' requests pooled.
  - Each comparison pairs a variant's runs with its reference's of the same repetition and load
    point (Hodges-Lehmann estimate of the log ratio, Wilcoxon signed-rank interval), all the
    experiment's comparisons Bonferroni-corrected together, and says C(faster) or C(slower)
    only beyond the equivalence O(margin).
  - An action plugin, run on the controller (matplotlib, numpy and scipy from requirements.txt).
options:
  results:
    description: The experiment's results folder (with C(runs/)).
    type: path
    required: true
  confidence:
    description: The confidence of intervals and verdicts.
    type: float
    default: 0.95
  margin:
    description: The equivalence margin of the verdicts (0.02 calls a difference within 2% the same).
    type: float
    default: 0.02
  comparisons:
    description: The C([variant, reference]) pairs to compare at every load point; default each variant against the first.
    type: list
    elements: list
  ci_target:
    description: Say whether each cell's throughput interval lies within this fraction of its median.
    type: float
  incomplete:
    description: Why the experiment is incomplete (runs not done), shown at the head of the table and the page.
    type: str
  template:
    description: The page's Jinja2 template; default the role's C(templates/report.html.j2).
    type: path
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: In check mode nothing is written.
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Write the report of an experiment
  electrode.cluster.bench_report:
    results: results/20261204T120000Z-electrode-vs-baseline
    comparisons: [[electrode, baseline]]
  delegate_to: localhost
  run_once: true
  register: report

- name: Show the table
  ansible.builtin.debug:
    msg: "{{ report.text }}"
"""

RETURN = r"""
text:
  description: The table as printed (also C(summary.txt)).
  returned: success
  type: str
summary:
  description:
    - The cells (variant, load, runs, kept, excluded, unsteady, and each figure as median, low,
      high, coverage and holds) and the comparisons (variant, reference, load, throughput and
      latency as ratio, low, high, pairs, and the verdict), as in C(summary.json).
  returned: success
  type: dict
report:
  description: The path of report.html.
  returned: success
  type: str
"""
