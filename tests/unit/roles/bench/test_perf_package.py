# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which distribution package gives perf for the running kernel (roles/bench/files/perf_package.py),
against apt candidates given as a dict, and the script run as the role runs it."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os
import subprocess

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "bench", "files", "perf_package.py")
SPEC = importlib.util.spec_from_file_location("perf_package", SCRIPT)
perf_package = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(perf_package)


@pytest.mark.parametrize("release, expected", [
    ("6.1.0-28-amd64", "6.1"), ("5.15.0-91-generic", "5.15"), ("6.18.44-fc-v1272", "6.18"),
    ("1:6.1.158-1", "6.1"), ("6.0.0-060000-generic", "6.0"), ("", None), ("six", None)])
def test_series(release, expected):
    assert perf_package.series(release) == expected


def test_ubuntu_takes_the_kernels_own_tools_where_the_archive_has_them():
    have = {"linux-tools-5.15.0-91-generic": "5.15.0-91.101"}
    assert perf_package.choose("Ubuntu", "5.15.0-91-generic", have.get) == {
        "packages": ["linux-tools-5.15.0-91-generic", "linux-tools-common"], "why": ""}


def test_ubuntu_mainline_kernel_has_none():
    # kernel.ubuntu.com's mainline builds have no linux-tools package in the archive.
    have = {"linux-tools-5.15.0-91-generic": "5.15.0-91.101", "linux-tools-common": "5.15.0-91.101"}
    chosen = perf_package.choose("Ubuntu", "6.0.0-060000-generic", have.get)
    assert chosen["packages"] == []
    assert chosen["why"] == "the archive has no linux-tools-6.0.0-060000-generic (a kernel Ubuntu did not build)"


def test_debian_takes_linux_perf_of_the_kernels_series_only():
    have = {"linux-perf": "6.1.158-1"}
    assert perf_package.choose("Debian", "6.1.0-28-amd64", have.get) == {"packages": ["linux-perf"], "why": ""}
    other = perf_package.choose("Debian", "6.18.44-fc-v1272", have.get)
    assert other == {"packages": [], "why": "Debian's linux-perf 6.1.158-1 is for linux 6.1, and the kernel is 6.18.44-fc-v1272"}
    assert perf_package.choose("Debian", "6.1.0-28-amd64", {}.get)["why"] == "the archive has no linux-perf"


def test_other_distributions_are_named():
    assert perf_package.choose("Fedora", "6.5.6-300.fc39.x86_64", {}.get) == {
        "packages": [], "why": "no package of Fedora is known to give perf"}


def system_python_has_apt():
    return os.path.exists("/usr/bin/python3") and subprocess.call(
        ["/usr/bin/python3", "-c", "import apt_pkg"], stderr=subprocess.DEVNULL) == 0


@pytest.mark.skipif(not system_python_has_apt(), reason="needs python3-apt (a Debian or Ubuntu host)")
def test_the_script_reads_apts_cache():
    # A kernel series no archive has: the script reads linux-perf's candidate from apt's real cache
    # (or finds none) and says why it installs nothing.
    done = subprocess.run(["/usr/bin/python3", SCRIPT, "Debian", "0.1.0-none"], stdout=subprocess.PIPE, check=True)
    chosen = json.loads(done.stdout)
    assert chosen["packages"] == []
    assert chosen["why"] == "the archive has no linux-perf" or chosen["why"].endswith("and the kernel is 0.1.0-none")
