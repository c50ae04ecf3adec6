# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bench's printed table (roles/bench/files/bench_report.py) stays within 92 columns, the
width left by Ansible's indent of 8 in a 100-column terminal, whatever the figures: a slow
machine's wide latency intervals split the table rather than widen it."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def _report():
    spec = importlib.util.spec_from_file_location("bench_report", os.path.join(ROOT, "roles", "bench", "files", "bench_report.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _report()


def _runs(scale, reference="baseline"):
    """Two variants, two repetitions each; latencies and CPU grow with ``scale``."""
    provenance = {"name": "width", "f": 1, "replicas": ["replica0", "replica1", "replica2"], "clients": ["client0"],
                  "parameters": {"requests": 1000, "repetitions": 2, "threads": [1]},
                  "variants": [reference, "electrode"]}
    runs = []
    for order, (variant, repetition) in enumerate([(v, r) for r in (1, 2) for v in provenance["variants"]], 1):
        factor = scale * (1 + order)
        runs.append({
            "run": "%02d-%s-t1-r%d" % (order, variant, repetition), "order": order, "variant": variant,
            "threads": 1, "client_nodes": 1, "repetition": repetition, "features": [], "accelerated": variant == "electrode",
            "provenance": provenance, "build": {"source": "/src/electrode"},
            "result": {"throughput_rps": 1234.5 * factor, "requests": 1000, "seconds": 1.0,
                       "latency_ns": dict((p, 1000.0 * 123456.7 * factor * (i + 1)) for i, p in enumerate(report.PERCENTILES))},
            "cpu": {"replica_us_per_request": 2345.6 * factor},
            "xdp_counters": {"replica0": {"xdp_packets": 10 * order}},
        })
    return runs


def _table(scale, reference="baseline"):
    runs = _runs(scale, reference)
    return report.table(report.summarise(runs), runs)


def test_the_table_fits_in_92_columns_with_small_figures_in_one_piece():
    text = _table(0.001)
    assert max(len(line) for line in text.splitlines()) <= 92
    headers = [line for line in text.splitlines() if line.startswith("variant ")]
    assert len(headers) == 1 and "CPU us/req" in headers[0]


def test_a_long_variant_name_is_shown_whole_up_to_24_characters():
    text = _table(0.001, reference="baseline-with-long-name")
    assert max(len(line) for line in text.splitlines()) <= 92
    assert any(line.startswith("baseline-with-long-name  1x1") for line in text.splitlines())


def test_wide_figures_split_the_table_and_every_column_is_still_shown():
    text = _table(1000.0, reference="baseline-with-long-name")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 92, [line for line in lines if len(line) > 92]
    headers = [line for line in lines if line.startswith("variant ")]
    assert len(headers) >= 2
    shown = " ".join(headers)
    for column in ("load", "kept", "req/s", "median us", "p99 us", "CPU us/req"):
        assert column in shown
    # Each part repeats the variant and the load, so a row can be read on its own.
    assert all("load" in header for header in headers)
    assert len([line for line in lines if re.match(r"^electrode +1x1  ", line)]) == len(headers)


def test_columns_keep_their_keys_in_each_part():
    lines = report._columns(["a", "b", "c", "d"], [["1", "2", "x" * 50, "y" * 50]], width=60)
    assert lines == ["a  b  c", "1  2  " + "x" * 50, "", "a  b  d", "1  2  " + "y" * 50]
