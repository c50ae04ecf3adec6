# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""modules/perf_profile.py: the top symbols returned as data, the loader written once (changed),
then left as it is (not changed), not written in check mode, and a missing profile named."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.electrode.cluster.plugins.modules import perf_profile

SCRIPT = """\
replica 4211 1021.000100:     250000 cpu-clock:
\tffffffff81d73cd2 __sys_sendto+0x72 ([kernel.kallsyms])
\t          400123 main+0x9 (/opt/electrode/bench/replica)

replica 4211 1021.000200:     250000 cpu-clock:
\t          400123 main+0x9 (/opt/electrode/bench/replica)
"""


def run(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            perf_profile.main()
    return json.loads(capsys.readouterr().out)


def test_top_symbols_and_the_loader_once(tmp_path, capsys):
    src, loader = tmp_path / "p.perf.txt", tmp_path / "p.js"
    src.write_text(SCRIPT)
    checked = run(capsys, src=str(src), loader=str(loader), name="p", _ansible_check_mode=True)
    assert checked["changed"] is True and not loader.exists() and not (tmp_path / "p.html").exists()
    first = run(capsys, src=str(src), loader=str(loader), name="p")
    assert first["changed"] is True and loader.read_text().startswith('speedscope.loadFileFromBase64("p", ')
    opener = tmp_path / "p.html"
    assert first["opener"] == str(opener) and 'new URL("../viewer/index.html", location.href)' in opener.read_text()
    assert 'new URL("p.js", location.href).pathname' in opener.read_text()
    assert first["samples"] == 2
    assert [(s["symbol"], s["object"], s["share"]) for s in first["top_self"]] == [
        ("__sys_sendto", "[kernel.kallsyms]", 0.5), ("main", "replica", 0.5)]
    assert first["top_total"][0] == {"symbol": "main", "object": "replica", "samples": 2, "share": 1.0}
    again = run(capsys, src=str(src), loader=str(loader), name="p")
    assert again["changed"] is False and again["loader"] == str(loader)


def test_without_a_loader_nothing_is_written(tmp_path, capsys):
    src = tmp_path / "p.perf.txt"
    src.write_text(SCRIPT)
    result = run(capsys, src=str(src), top=1)
    assert result["changed"] is False and "loader" not in result and len(result["top_self"]) == 1


def test_a_missing_profile_is_named(tmp_path, capsys):
    result = run(capsys, src=str(tmp_path / "none.txt"))
    assert result["failed"] is True and "none.txt does not exist" in result["msg"]


def test_top_below_one_is_refused(tmp_path, capsys):
    src = tmp_path / "p.perf.txt"
    src.write_text(SCRIPT)
    result = run(capsys, src=str(src), top=0)
    assert result["failed"] is True and "top is 0" in result["msg"]
