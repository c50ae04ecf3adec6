# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write a benchmark's report on the controller (logic: plugin_utils/bench_report.py and
bench_plots.py, the page from the role's templates/report.html.j2)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.electrode.cluster.plugins.plugin_utils import bench_plots, bench_report


def render_page(template_path, data):
    """report.html from its Jinja2 template, every value escaped."""
    import jinja2

    folder, name = os.path.split(template_path)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                                     undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return environment.get_template(name).render(**data)


def write_report(results, template_path, confidence=None, margin=None, comparisons=None, ci_target=None,
                 incomplete=None, plots=True):
    """Every file of the report in ``results``; returns (text, summary). Settings left None are
    the experiment's own (its provenance)."""
    runs = bench_report.load_runs(results)
    parameters = runs[0]["provenance"].get("parameters") or {}
    confidence = float(parameters.get("confidence") or 0.95) if confidence is None else confidence
    margin = float(parameters.get("margin") if parameters.get("margin") is not None else 0.02) if margin is None else margin
    comparisons = parameters.get("comparisons") or None if comparisons is None else comparisons
    bench_report.write_logs(results, runs)
    bench_report.write_runs_csv(results, runs)
    summary = bench_report.summarise(runs, confidence, margin, comparisons, ci_target, bench_report.load_floor(results))
    # The profiles in the experiment's variant order, each variant's leader first.
    order = dict((name, index) for index, name in enumerate(bench_report.variant_order(runs)))
    summary["profiles"] = sorted(bench_report.load_profiles(results), key=lambda p: (
        order.get(p["variant"], len(order)), p.get("role") != "leader", p["host"]))
    bench_report.write_summary_csv(results, summary)
    text = bench_report.table(summary, runs, incomplete)
    with open(os.path.join(results, "summary.txt"), "w") as handle:
        handle.write(text)
    images = []
    if plots:
        fixture = " (test fixture, not Electrode)" if bench_report.is_fixture(runs) else ""
        captions = {"bench.png": "Throughput and latency percentiles per cell",
                    "curve.png": "Load curve: throughput against latency",
                    "latency-cdf.png": "Latency CDF of the kept runs"}
        for name in bench_plots.draw(results, summary, runs):
            with open(os.path.join(results, name), "rb") as handle:
                images.append({"alt": captions[name] + fixture, "data": base64.b64encode(handle.read()).decode("ascii")})
    page = render_page(template_path, bench_report.page(summary, runs, text, images, incomplete))
    with open(os.path.join(results, "report.html"), "w") as handle:
        handle.write(page)
    data = bench_report.summary_data(summary)
    with open(os.path.join(results, "summary.json"), "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True, default=str)
        handle.write("\n")
    return text, data


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("results", "confidence", "margin", "comparisons", "ci_target", "incomplete", "template"))
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars or {})
        args = self._task.args
        results = os.path.expanduser(str(args.get("results") or ""))
        if not os.path.isdir(os.path.join(results, "runs")):
            raise AnsibleActionFail("bench_report: %s is not a results folder of the bench (no runs/ in it)" % results)
        template = args.get("template") or self._find_needle("templates", "report.html.j2")
        comparisons = args.get("comparisons")
        if self._task.check_mode:
            result.update(changed=False, skipped=True, msg="check mode: the report is not written")
            return result
        try:
            text, summary = write_report(
                results, str(template), confidence=float(args.get("confidence", 0.95)), margin=float(args.get("margin", 0.02)),
                comparisons=[list(map(str, pair)) for pair in comparisons] if comparisons else None,
                ci_target=float(args["ci_target"]) if args.get("ci_target") is not None else None,
                incomplete=args.get("incomplete") or None)
        except bench_report.ReportError as exc:
            raise AnsibleActionFail("bench_report: %s" % exc)
        result.update(changed=True, text=text, summary=json.loads(json.dumps(summary, default=str)),
                      report=os.path.abspath(os.path.join(results, "report.html")))
        return result
