# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ubuntu's mainline kernel archive: which files of a release's CHECKSUMS make one kernel.

A release folder (``v6.0/amd64/``) holds, per flavour, linux-headers (one ``_all`` package and
one per flavour), linux-image-unsigned (or linux-image) and linux-modules debs, and ``CHECKSUMS``:
``#`` comment lines, a ``# Checksums-Sha1:`` and a ``# Checksums-Sha256:`` block of
``<hex>  <file name>`` lines. arm64 folders of later releases also hold ``-generic-64k`` debs,
so the flavour must match exactly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re


def sha256_list(text):
    """A ``sha256sum``-style list (``<64 hex>  <name>`` or ``<64 hex> *<name>`` lines) as {name: sha256}.

    Other lines (a clearsigned file's armour, comments, other digests' lines) are ignored; a name
    listed twice with different digests is refused (ValueError).
    """
    entries = {}
    for line in (text or "").splitlines():
        match = re.match(r"^([0-9a-fA-F]{64})\s+\*?(\S+)\s*$", line.strip())
        if not match:
            continue
        name, digest = match.group(2), match.group(1).lower()
        if entries.get(name, digest) != digest:
            raise ValueError("%s is listed twice with different sha256 digests" % name)
        entries[name] = digest
    return entries


def sha256_entries(checksums_text):
    """The ``# Checksums-Sha256:`` block of a CHECKSUMS file as {file name: sha256}."""
    block, lines = None, []
    for line in (checksums_text or "").splitlines():
        header = re.match(r"^#\s*Checksums-(\w+):", line)
        if header:
            block = header.group(1).lower()
        elif block == "sha256":
            lines.append(line)
    return sha256_list("\n".join(lines))


def mainline_debs(checksums_text, version, flavour, arch):
    """The debs of one kernel (``version`` 6.0.0, ``flavour`` generic, ``arch`` amd64) with their
    sha256, in install order. Raises ValueError naming what is missing."""
    entries = sha256_entries(checksums_text)
    if not entries:
        raise ValueError("CHECKSUMS has no '# Checksums-Sha256:' block of '<sha256>  <file>' lines")
    version = re.escape(version)
    flavour_ = re.escape(flavour)
    wanted = [
        ("linux-headers (all)", r"^linux-headers-%s-\d+_[^_]+_all\.deb$" % version),
        ("linux-headers (%s)" % flavour, r"^linux-headers-%s-\d+-%s_[^_]+_%s\.deb$" % (version, flavour_, arch)),
        ("linux-modules (%s)" % flavour, r"^linux-modules-%s-\d+-%s_[^_]+_%s\.deb$" % (version, flavour_, arch)),
        ("linux-image (%s)" % flavour, r"^linux-image(-unsigned)?-%s-\d+-%s_[^_]+_%s\.deb$" % (version, flavour_, arch)),
    ]
    debs, missing = [], []
    for what, pattern in wanted:
        names = sorted(name for name in entries if re.match(pattern, name))
        if not names:
            missing.append(what)
            continue
        name = names[-1]
        package, package_version = name.split("_")[0], name.split("_")[1]
        debs.append({"name": name, "sha256": entries[name], "package": package, "version": package_version})
    if missing:
        raise ValueError(
            "CHECKSUMS lists no %s deb for %s on %s (it lists: %s)"
            % (", ".join(missing), version.replace("\\", ""), arch, ", ".join(sorted(entries)) or "nothing")
        )
    return debs


def grub_default(menu_text, release):
    """GRUB_DEFAULT for one kernel release in a ``grub.cfg`` that update-grub wrote: the ids of the
    "Advanced options" submenu and of the release's entry in it, as ``submenu>entry``.
    Raises ValueError naming what the menu lacks (and the releases it has)."""
    text = menu_text or ""
    submenu = re.search(r"^\s*submenu [^\n]*\$menuentry_id_option '(gnulinux-advanced-[^']+)'", text, re.M)
    entry = re.search(r"\$menuentry_id_option '(gnulinux-" + re.escape(release) + r"-advanced-[^']+)'", text)
    if not submenu:
        raise ValueError("grub.cfg has no \"Advanced options\" submenu (an id gnulinux-advanced-...): was it written by update-grub?")
    if not entry:
        found = sorted(set(re.findall(r"\$menuentry_id_option 'gnulinux-(.+?)-advanced-[^']+'", text)))
        raise ValueError("grub.cfg has no entry for linux %s (it has: %s)" % (release, ", ".join(found) or "none"))
    return "%s>%s" % (submenu.group(1), entry.group(1))
