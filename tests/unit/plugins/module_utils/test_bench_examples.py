# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ready experiments (examples/bench/*.yml): each says what question it answers and what
result would answer it, and its variants pass the bench's rules (flags known, names unique,
sources pinned). A setting templated from the environment is checked when the bench runs."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

import pytest
import yaml

from ansible_collections.electrode.cluster.plugins.module_utils.settings import role_problems, variant_problems

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "bench", "*.yml")))


def test_the_six_experiments_are_there():
    assert sorted(os.path.basename(p) for p in EXAMPLES) == [
        "ablation.yml", "cluster-size.yml", "default.yml", "load-curve.yml", "paper.yml", "transports.yml"]


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_an_example_says_its_question_and_answer_and_passes_the_rules(path):
    with open(path) as handle:
        text = handle.read()
    assert "# Question:" in text and "# Answer:" in text
    settings = yaml.safe_load(text)
    assert settings["bench_name"] == os.path.basename(path)[:-4] or os.path.basename(path) == "default.yml"
    assert settings["bench_question"].strip()
    variants = [dict((k, v) for k, v in variant.items() if not (isinstance(v, str) and "{{" in v))
                for variant in settings["bench_variants"]]
    assert variant_problems(variants) == []
    # The whole rule table on the example over the role's defaults: enough repetitions for its own
    # comparisons at the default confidence, and for one excluded run per cell.
    with open(os.path.join(ROOT, "roles", "bench", "defaults", "main.yml")) as handle:
        merged = dict(yaml.safe_load(handle), bench_protocol="vr", **dict((k, v) for k, v in settings.items()))
    merged["bench_variants"] = variants
    assert role_problems("bench", merged, {"client_count": 1}) == []
    from ansible_collections.electrode.cluster.plugins.module_utils.settings import minimum_repetitions
    assert merged["bench_repetitions"] == minimum_repetitions(merged) + merged["bench_max_invalid"]


def test_an_unknown_flag_in_an_example_is_named():
    with open(os.path.join(ROOT, "examples", "bench", "ablation.yml")) as handle:
        variants = yaml.safe_load(handle)["bench_variants"]
    variants[1]["features"] = ["TC_BROADCAST", "FAST_BROADCAST"]
    assert variant_problems(variants) == [
        "bench_variants: variant broadcast uses unknown feature flag(s) FAST_BROADCAST: the flags are TC_BROADCAST, "
        "FAST_QUORUM_PRUNE, FAST_REPLY."]
