# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CHECKSUMS files in the layout of Ubuntu's mainline archive (the file names of v6.0/amd64 and
of a later arm64 folder that also carries -generic-64k debs; the hashes are made up)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.kernel import mainline_debs, sha256_entries

BUILD = "6.0.0-060000.202210022231"
AMD64 = """# Checksums, check with the command below:
#     shasum -c CHECKSUMS
#
# Checksums-Sha1:
{s1}  linux-headers-6.0.0-060000_{b}_all.deb
{s1}  linux-image-unsigned-6.0.0-060000-generic_{b}_amd64.deb
#
# Checksums-Sha256:
{a}  linux-headers-6.0.0-060000-generic_{b}_amd64.deb
{b_}  linux-headers-6.0.0-060000-lowlatency_{b}_amd64.deb
{c}  linux-headers-6.0.0-060000_{b}_all.deb
{d}  linux-image-unsigned-6.0.0-060000-generic_{b}_amd64.deb
{e}  linux-image-unsigned-6.0.0-060000-lowlatency_{b}_amd64.deb
{f}  linux-modules-6.0.0-060000-generic_{b}_amd64.deb
{g}  linux-modules-6.0.0-060000-lowlatency_{b}_amd64.deb
""".format(s1="1" * 40, a="a" * 64, b_="b" * 64, c="c" * 64, d="d" * 64, e="e" * 64, f="f" * 64, g="9" * 64, b=BUILD)

ARM64 = """# Checksums-Sha256:
{a}  linux-headers-6.5.0-060500-generic-64k_6.5.0-060500.202308271831_arm64.deb
{b}  linux-headers-6.5.0-060500-generic_6.5.0-060500.202308271831_arm64.deb
{c}  linux-headers-6.5.0-060500_6.5.0-060500.202308271831_all.deb
{d}  linux-image-unsigned-6.5.0-060500-generic-64k_6.5.0-060500.202308271831_arm64.deb
{e}  linux-image-unsigned-6.5.0-060500-generic_6.5.0-060500.202308271831_arm64.deb
{f}  linux-modules-6.5.0-060500-generic-64k_6.5.0-060500.202308271831_arm64.deb
{g}  linux-modules-6.5.0-060500-generic_6.5.0-060500.202308271831_arm64.deb
""".format(a="a" * 64, b="b" * 64, c="c" * 64, d="d" * 64, e="e" * 64, f="f" * 64, g="9" * 64)


def test_only_the_sha256_block_is_read():
    entries = sha256_entries(AMD64)
    assert len(entries) == 7
    assert entries["linux-headers-6.0.0-060000_%s_all.deb" % BUILD] == "c" * 64


def test_the_four_generic_debs_of_6_0_0_on_amd64_in_install_order():
    debs = mainline_debs(AMD64, "6.0.0", "generic", "amd64")
    assert [d["name"] for d in debs] == [
        "linux-headers-6.0.0-060000_%s_all.deb" % BUILD,
        "linux-headers-6.0.0-060000-generic_%s_amd64.deb" % BUILD,
        "linux-modules-6.0.0-060000-generic_%s_amd64.deb" % BUILD,
        "linux-image-unsigned-6.0.0-060000-generic_%s_amd64.deb" % BUILD,
    ]
    assert [d["sha256"][0] for d in debs] == ["c", "a", "f", "d"]
    assert debs[3]["package"] == "linux-image-unsigned-6.0.0-060000-generic" and debs[3]["version"] == BUILD


def test_generic_never_picks_generic_64k_on_arm64():
    debs = mainline_debs(ARM64, "6.5.0", "generic", "arm64")
    assert all("64k" not in d["name"] for d in debs)
    assert len(debs) == 4
    assert [d["name"] for d in mainline_debs(ARM64, "6.5.0", "generic-64k", "arm64")][1:] == [
        "linux-headers-6.5.0-060500-generic-64k_6.5.0-060500.202308271831_arm64.deb",
        "linux-modules-6.5.0-060500-generic-64k_6.5.0-060500.202308271831_arm64.deb",
        "linux-image-unsigned-6.5.0-060500-generic-64k_6.5.0-060500.202308271831_arm64.deb",
    ]


def test_missing_debs_are_named():
    # The _all headers fit every architecture; the rest are missing for arm64.
    with pytest.raises(ValueError, match=r"lists no linux-headers \(generic\), linux-modules \(generic\), "
                                         r"linux-image \(generic\) deb for 6.0.0 on arm64"):
        mainline_debs(AMD64, "6.0.0", "generic", "arm64")
    with pytest.raises(ValueError, match="no '# Checksums-Sha256:' block"):
        mainline_debs("# nothing here\n", "6.0.0", "generic", "amd64")
