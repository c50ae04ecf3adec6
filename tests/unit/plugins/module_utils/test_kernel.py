# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CHECKSUMS files in the layout of Ubuntu's mainline archive (the file names of v6.0/amd64 and
of a later arm64 folder that also carries -generic-64k debs; the hashes are made up)."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.kernel import grub_default, mainline_debs, sha256_entries

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


# The shape update-grub gives on Ubuntu 22.04 (menu entries trimmed to their first lines), with the
# distro's kernel and a mainline kernel installed.
UUID = "6b3e5c2a-1f0d-4a8e-9c55-2f7b8e1d0c11"
GRUB_CFG = """### BEGIN /etc/grub.d/10_linux ###
function gfxmode {
\tset gfxpayload="${1}"
}
menuentry 'Ubuntu' --class ubuntu --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-simple-%(u)s' {
\tlinux	/boot/vmlinuz-6.0.0-060000-generic root=UUID=%(u)s ro
}
submenu 'Advanced options for Ubuntu' $menuentry_id_option 'gnulinux-advanced-%(u)s' {
\tmenuentry 'Ubuntu, with Linux 6.0.0-060000-generic' --class ubuntu $menuentry_id_option 'gnulinux-6.0.0-060000-generic-advanced-%(u)s' {
\t}
\tmenuentry 'Ubuntu, with Linux 6.0.0-060000-generic (recovery mode)' $menuentry_id_option 'gnulinux-6.0.0-060000-generic-recovery-%(u)s' {
\t}
\tmenuentry 'Ubuntu, with Linux 5.15.0-91-generic' --class ubuntu $menuentry_id_option 'gnulinux-5.15.0-91-generic-advanced-%(u)s' {
\t}
}
""" % {"u": UUID}


@pytest.mark.parametrize("release", ["5.15.0-91-generic", "6.0.0-060000-generic"])
def test_grub_default_names_the_submenu_and_the_releases_entry(release):
    assert grub_default(GRUB_CFG, release) == "gnulinux-advanced-%s>gnulinux-%s-advanced-%s" % (UUID, release, UUID)


def test_grub_default_refuses_a_release_the_menu_lacks_naming_those_it_has():
    with pytest.raises(ValueError, match=r"no entry for linux 6\.1\.0-060100-generic \(it has: 5\.15\.0-91-generic, "
                                         r"6\.0\.0-060000-generic\)"):
        grub_default(GRUB_CFG, "6.1.0-060100-generic")


def test_grub_default_does_not_take_a_release_for_a_pattern():
    # "6.0.0-060000-generic" must not match a release that only looks like it (the dots are literal).
    with pytest.raises(ValueError, match="no entry for linux 6x0x0-060000-generic"):
        grub_default(GRUB_CFG, "6x0x0-060000-generic")


def test_grub_default_refuses_a_menu_without_the_submenu():
    with pytest.raises(ValueError, match="no \"Advanced options\" submenu"):
        grub_default(GRUB_CFG.replace("submenu 'Advanced", "menuentry 'Advanced"), "5.15.0-91-generic")
