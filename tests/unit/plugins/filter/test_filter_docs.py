# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every filter's documentation (plugins/filter/<name>.yml) matches its code: the name, one filter
per file, the options (their names, which are required, their defaults) against the function's
arguments, and a version_added no later than the collection's. ansible-test's validate-modules
does this for modules; nothing does it for filters but this test."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib
import inspect
import json
import os

import pytest
import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..")
FILTERS = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "filter", "*.py"))
                 if not os.path.basename(p).startswith("_"))


def version(text):
    return tuple(int(part) for part in str(text).split("."))


def collection_version():
    """galaxy.yml in a checkout; MANIFEST.json in the installed copy that ansible-test runs."""
    if os.path.exists(os.path.join(ROOT, "galaxy.yml")):
        with open(os.path.join(ROOT, "galaxy.yml")) as handle:
            return yaml.safe_load(handle)["version"]
    with open(os.path.join(ROOT, "MANIFEST.json")) as handle:
        return json.load(handle)["collection_info"]["version"]


def test_every_filter_file_has_a_doc_and_every_doc_a_filter():
    docs = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(ROOT, "plugins", "filter", "*.yml")))
    assert docs == FILTERS


@pytest.mark.parametrize("name", FILTERS)
def test_the_doc_matches_the_filter(name):
    with open(os.path.join(ROOT, "plugins", "filter", name + ".yml")) as handle:
        doc = yaml.safe_load(handle)
    documentation = doc["DOCUMENTATION"]
    assert documentation["name"] == name
    assert version(documentation["version_added"]) <= version(collection_version())
    assert doc.get("EXAMPLES") and doc.get("RETURN", {}).get("_value")

    module = importlib.import_module("ansible_collections.electrode.cluster.plugins.filter." + name)
    filters = module.FilterModule().filters()
    assert list(filters) == [name]
    parameters = list(inspect.signature(filters[name]).parameters.values())
    options = documentation.get("options") or {}
    assert "_input" in options and options["_input"].get("required") is True, "the input is documented as _input"

    documented = [key for key in options if key != "_input"]
    arguments = [p.name for p in parameters[1:]]
    assert sorted(documented) == sorted(arguments), "documented options %s, arguments %s" % (documented, arguments)
    for parameter in parameters[1:]:
        option = options[parameter.name]
        if parameter.default is inspect.Parameter.empty:
            assert option.get("required") is True, "%s has no default: document it as required" % parameter.name
        else:
            assert not option.get("required"), "%s has a default: it is not required" % parameter.name
            documented_default = option.get("default")
            actual = [] if parameter.default is None and option.get("type") == "list" else parameter.default
            assert documented_default == actual or (documented_default is None and actual is None), \
                "%s: the doc says default %r, the code %r" % (parameter.name, documented_default, parameter.default)
