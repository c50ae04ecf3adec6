# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The electrode_source module end to end on the fixture project: archive, digest, check mode."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import shutil
import tarfile

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.electrode.cluster.plugins.modules import electrode_source

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "electrode")


def run(capsys, **args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            electrode_source.main()
    return json.loads(capsys.readouterr().out)


def test_packs_the_fixture_and_a_second_run_changes_nothing(tmp_path, capsys):
    tree = str(tmp_path / "tree")
    shutil.copytree(FIXTURE, tree)
    cache = str(tmp_path / "cache")
    first = run(capsys, path=tree, cache_dir=cache)
    assert first["changed"] is True and first["archive"] == os.path.join(cache, first["sha256"] + ".tar")
    assert "#define CLUSTER_SIZE" in first["files"]["xdp-handler/fast_common.h"]
    with tarfile.open(first["archive"]) as tar:
        names = tar.getnames()
    assert "xdp-handler/fast_user.c" in names and "bench/replica.cc" in names and len(names) == first["file_count"]
    second = run(capsys, path=tree, cache_dir=cache)
    assert second["changed"] is False and second["sha256"] == first["sha256"]


def test_check_mode_stores_nothing(tmp_path, capsys):
    cache = tmp_path / "cache"
    result = run(capsys, path=FIXTURE, cache_dir=str(cache), _ansible_check_mode=True)
    assert result["changed"] is True and not cache.exists()


def test_a_folder_that_is_not_an_electrode_tree_fails(tmp_path, capsys):
    (tmp_path / "Makefile").write_text("all:\n")
    result = run(capsys, path=str(tmp_path), cache_dir=str(tmp_path / "cache"))
    assert result["failed"] is True
    assert result["msg"] == ("%s is not an Electrode tree: it has no xdp-handler/Makefile, xdp-handler/fast_common.h, "
                             "xdp-handler/fast_user.c, xdp-handler/fast_kern.c" % tmp_path)
