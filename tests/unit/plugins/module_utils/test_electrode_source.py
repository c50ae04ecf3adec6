# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Packing a source tree and writing the cluster into it. The C snippets are our own, shaped as
the handler's sources are (a CLUSTER_SIZE define with a comment, a multi-line eths[] initializer
with empty entries); the fixture project under tests/fixtures/electrode is used too."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import os
import subprocess
import tarfile

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.electrode_source import (
    COMMON_H,
    USER_C,
    build_plan,
    cluster_patches,
    config_txt,
    feature_problems,
    missing_files,
    pack,
    read_text,
    sized_cluster,
    source_files,
)

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "fixtures", "electrode")

COMMON = """#ifndef X
#define CLUSTER_SIZE 3 // needs to be 2f+1
#define FAST_REPLICA_MAX 100 // max # of replicas.
#endif
"""
USER = (
    "static void read_config(void) {\n"
    "\tconst char *eths[FAST_REPLICA_MAX] = {\"9c:dc:71:00:00:01\",\n"
    "\t\t\t\t\t\"9c:dc:71:00:00:02\",\n"
    "\t\t\t\t\t\"9c:dc:71:00:00:03\",\n"
    "\t\t\t\t\t\"\",\n"
    "\t\t\t\t\t\"\"};\n"
    "\tint f;\n"
    "}\n"
)
MACS5 = ["02:00:00:00:00:0%d" % i for i in range(1, 6)]
CLUSTER = {"f": 2, "cluster_size": 5, "port": 12345, "macs": MACS5,
           "addresses": ["10.10.1.%d" % i for i in range(1, 6)]}


def test_cluster_size_and_eths_are_written_by_pattern():
    result = cluster_patches({COMMON_H: COMMON, USER_C: USER}, 5, MACS5)
    assert result["problems"] == [] and result["replica_max"] == 100
    assert "#define CLUSTER_SIZE 5 // needs to be 2f+1\n" in result["files"][COMMON_H]
    assert "#define FAST_REPLICA_MAX 100" in result["files"][COMMON_H]
    patched = result["files"][USER_C]
    assert 'const char *eths[FAST_REPLICA_MAX] = {"02:00:00:00:00:01", "02:00:00:00:00:02", ' \
           '"02:00:00:00:00:03", "02:00:00:00:00:04", "02:00:00:00:00:05"};' in patched
    assert "9c:dc:71" not in patched and patched.endswith("\tint f;\n}\n")


def test_patching_twice_gives_the_same_text():
    once = cluster_patches({COMMON_H: COMMON, USER_C: USER}, 3, MACS5[:3])["files"]
    twice = cluster_patches(once, 3, MACS5[:3])["files"]
    assert once == twice


def test_the_fixture_project_patches():
    files = {name: read_text(FIXTURE, name) for name in (COMMON_H, USER_C)}
    result = cluster_patches(files, 3, MACS5[:3])
    assert result["problems"] == [] and result["replica_max"] == 16


def test_a_missing_pattern_is_named():
    result = cluster_patches({COMMON_H: "#define FAST_REPLICA_MAX 8\n", USER_C: "int eths[3];"}, 3, MACS5[:3])
    assert result["files"] == {}
    assert result["problems"][0].startswith("xdp-handler/fast_common.h: '#define CLUSTER_SIZE N' not found")
    assert result["problems"][1].startswith(
        "xdp-handler/fast_user.c: the 'const char *eths[FAST_REPLICA_MAX] = {...};' initializer not found")


def test_a_pattern_found_twice_is_refused():
    result = cluster_patches({COMMON_H: COMMON + "#define CLUSTER_SIZE 7\n", USER_C: USER}, 3, MACS5[:3])
    assert result["problems"] == [
        "xdp-handler/fast_common.h: '#define CLUSTER_SIZE N' found 2 times, expected once "
        "(is this an Electrode tree? set electrode_source_path or electrode_version to one)"]


def test_more_replicas_than_the_table_holds():
    common = COMMON.replace("100", "4")
    result = cluster_patches({COMMON_H: common, USER_C: USER}, 5, MACS5)
    assert result["problems"] == [
        "5 replicas, but eths[] holds FAST_REPLICA_MAX = 4 (xdp-handler/fast_common.h): use at most 3 replicas"]


@pytest.mark.parametrize("size,macs,message", [
    (4, MACS5[:4], "CLUSTER_SIZE must be an odd number >= 3 (2f+1), got 4"),
    (3, MACS5[:2], "2 MAC addresses for CLUSTER_SIZE 3"),
    (3, ["02:00:00:00:00:01", "0200.0000.0002", "02:00:00:00:00:03"],
     "not MAC addresses in the form aa:bb:cc:dd:ee:ff: 0200.0000.0002"),
])
def test_bad_cluster_input(size, macs, message):
    assert cluster_patches({COMMON_H: COMMON, USER_C: USER}, size, macs)["problems"] == [message]


def test_feature_flags():
    assert feature_problems([]) == []
    assert feature_problems(["FAST_REPLY", "TC_BROADCAST"]) == []
    assert feature_problems(["FAST_REPLY", "FAST_BROADCAST"]) == [
        "unknown feature flag(s) FAST_BROADCAST: the flags are TC_BROADCAST, FAST_QUORUM_PRUNE, "
        "FAST_REPLY (an empty list builds the baseline)"]
    assert feature_problems("FAST_REPLY") == ["must be a list of flag names, got 'FAST_REPLY'"]
    assert feature_problems(["FAST_REPLY", "FAST_REPLY"]) == ["lists a flag twice: FAST_REPLY, FAST_REPLY"]


def test_config_txt():
    assert config_txt(1, ["10.10.1.1", "10.10.1.2", "10.10.1.3"], 12345) == (
        "f 1\nreplica 10.10.1.1:12345\nreplica 10.10.1.2:12345\nreplica 10.10.1.3:12345\n")


def test_the_build_name_follows_every_input_and_not_the_flag_order():
    source = {"sha256": "a" * 64, "files": {COMMON_H: COMMON, USER_C: USER}, "commit": None, "dirty": None}
    plan = build_plan(source, CLUSTER, ["FAST_REPLY", "TC_BROADCAST"], "/k:5.10")
    assert plan["problems"] == [] and plan["cflags"] == "-DTC_BROADCAST -DFAST_REPLY"
    assert plan["name"].startswith("TC_BROADCAST+FAST_REPLY-") and len(plan["name"]) == len("TC_BROADCAST+FAST_REPLY-") + 12
    assert build_plan(source, CLUSTER, ["TC_BROADCAST", "FAST_REPLY"], "/k:5.10")["name"] == plan["name"]
    baseline = build_plan(source, CLUSTER, [], "/k:5.10")
    assert baseline["name"].startswith("baseline-") and baseline["cflags"] == ""
    other_names = set()
    for changed in (dict(source, sha256="b" * 64),):
        other_names.add(build_plan(changed, CLUSTER, ["FAST_REPLY", "TC_BROADCAST"], "/k:5.10")["name"])
    other_names.add(build_plan(source, dict(CLUSTER, macs=MACS5[::-1]), ["FAST_REPLY", "TC_BROADCAST"], "/k:5.10")["name"])
    other_names.add(build_plan(source, CLUSTER, ["FAST_REPLY", "TC_BROADCAST"], "/k:5.8")["name"])
    assert len(other_names) == 3 and plan["name"] not in other_names


def test_the_build_plan_reports_flag_and_source_problems_together():
    source = {"sha256": "a" * 64, "files": {COMMON_H: "", USER_C: USER}}
    plan = build_plan(source, CLUSTER, ["NOPE"], "")
    assert plan["problems"][0].startswith("electrode_features unknown feature flag(s) NOPE")
    assert any("CLUSTER_SIZE N' not found" in p for p in plan["problems"])


def test_a_build_for_fewer_replicas_serves_the_first_ones_and_is_a_build_of_its_own():
    source = {"sha256": "a" * 64, "files": {COMMON_H: COMMON, USER_C: USER}, "commit": None, "dirty": None}
    whole = build_plan(source, CLUSTER, [], "/k")
    three = build_plan(source, CLUSTER, [], "/k", replicas=3)
    bound = build_plan(source, CLUSTER, [], "/k", replicas=1)
    assert (whole["cluster_size"], three["cluster_size"], bound["cluster_size"]) == (5, 3, 5)
    assert (whole["replicas"], three["replicas"], bound["replicas"]) == (5, 3, 1)
    # The unreplicated server's build runs no handler: its sources keep the cluster's table.
    assert bound["files"] == whole["files"]
    assert three["config_txt"] == "f 1\nreplica 10.10.1.1:12345\nreplica 10.10.1.2:12345\nreplica 10.10.1.3:12345\n"
    assert bound["config_txt"] == "f 0\nreplica 10.10.1.1:12345\n"
    assert "#define CLUSTER_SIZE 3 " in three["files"][COMMON_H] and three["macs"] == MACS5[:3]
    assert '{"02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03"}' in three["files"][USER_C]
    assert len(set([whole["name"], three["name"], bound["name"]])) == 3
    assert build_plan(source, CLUSTER, [], "/k", replicas=5)["name"] == whole["name"]
    assert sized_cluster(CLUSTER) is CLUSTER


@pytest.mark.parametrize("replicas", [0, 2, 4, 7, -1])
def test_a_build_size_that_is_no_cluster_is_refused(replicas):
    with pytest.raises(ValueError, match="a build serves 1 replica"):
        sized_cluster(CLUSTER, replicas)


def make_tree(root):
    for name, text in (("Makefile", "all:\n"), ("xdp-handler/Makefile", "all:\n"), (COMMON_H, COMMON),
                       (USER_C, USER), ("xdp-handler/fast_kern.c", "int x;\n"), ("bench/client", "binary"),
                       ("xdp-handler/fast_kern.o", "obj"), (".obj/vr/replica.o", "obj")):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    os.chmod(str(root / "Makefile"), 0o750)
    (root / "xdp-handler/linux").symlink_to("/nonexistent")
    return str(root)


def test_a_plain_folder_packs_without_build_outputs(tmp_path):
    path = make_tree(tmp_path / "tree")
    files, commit, dirty = source_files(path)
    assert files == ["Makefile", "xdp-handler/Makefile", COMMON_H, "xdp-handler/fast_kern.c", USER_C]
    assert (commit, dirty) == (None, None)
    assert missing_files(path) == []
    out = io.BytesIO()
    pack(path, files, out)
    members = {m.name: m for m in tarfile.open(fileobj=io.BytesIO(out.getvalue())).getmembers()}
    assert sorted(members) == files
    assert members["Makefile"].mode == 0o755 and members[COMMON_H].mode == 0o644
    assert {m.mtime for m in members.values()} == {0} and {m.uid for m in members.values()} == {0}


def test_the_same_contents_give_the_same_bytes(tmp_path):
    first = make_tree(tmp_path / "one")
    second = make_tree(tmp_path / "two")
    os.utime(os.path.join(second, COMMON_H), (1, 1))
    digests = []
    for path in (first, second):
        digests.append(pack(path, source_files(path)[0], io.BytesIO()))
    assert digests[0] == digests[1]
    (tmp_path / "two" / USER_C).write_text(USER + "// edited\n")
    assert pack(second, source_files(second)[0], io.BytesIO()) != digests[0]


def test_a_folder_that_is_not_an_electrode_tree(tmp_path):
    (tmp_path / "Makefile").write_text("all:\n")
    assert missing_files(str(tmp_path)) == [
        "xdp-handler/Makefile", COMMON_H, USER_C, "xdp-handler/fast_kern.c"]


def git(path, *args):
    subprocess.check_call(("git", "-C", path, "-c", "user.name=t", "-c", "user.email=t@t") + args,
                          stdout=subprocess.DEVNULL)


def test_a_git_work_tree_reports_its_commit_and_local_edits(tmp_path):
    path = make_tree(tmp_path / "clone")
    (tmp_path / "clone/.gitignore").write_text("*.o\nbench/client\n.obj/\n")
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "x")
    head = subprocess.check_output(("git", "-C", path, "rev-parse", "HEAD")).decode().strip()
    files, commit, dirty = source_files(path)
    assert commit == head and dirty is False
    assert ".gitignore" in files and "bench/client" not in files and "xdp-handler/linux" not in files
    (tmp_path / "clone" / USER_C).write_text(USER + "// edited\n")
    (tmp_path / "clone/notes.txt").write_text("untracked\n")
    files, commit, dirty = source_files(path)
    assert dirty is True and "notes.txt" in files
