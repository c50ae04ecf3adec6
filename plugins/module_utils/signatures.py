# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gpgv's machine-readable status lines (the sha256 lists that signed files carry: kernel.sha256_list).

gpgv ``--status-fd`` writes one ``[GNUPG:] KEYWORD args...`` line per event (GnuPG's
doc/DETAILS). A good signature gives ``VALIDSIG <fingerprint> <creation date> <timestamp>
<expiry> <version> <reserved> <pubkey algo> <hash algo> <class> [<primary key fingerprint>]``:
the signing (sub)key's fingerprint and, for v4 signatures, its primary key's, which is what a
pinned fingerprint names.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_STATUS = re.compile(r"^\[GNUPG:\] (\S+)(?: (.*))?$")
_FINGERPRINT = re.compile(r"^[0-9A-F]{40}$|^[0-9A-F]{64}$")


def valid_signatures(status_text):
    """Every good signature in gpgv's status output: ``[{"fingerprint", "primary", "created"}]``.

    ``primary`` is the primary key's fingerprint (the signing key's own where the line names no
    primary key). Lines that are not status lines (a caller that mixed other output in) are ignored.
    """
    found = []
    for line in (status_text or "").splitlines():
        match = _STATUS.match(line.rstrip("\r"))
        if not match or match.group(1) != "VALIDSIG":
            continue
        fields = (match.group(2) or "").split()
        if not fields or not _FINGERPRINT.match(fields[0].upper()):
            continue
        primary = fields[9] if len(fields) > 9 and _FINGERPRINT.match(fields[9].upper()) else fields[0]
        found.append({"fingerprint": fields[0].upper(), "primary": primary.upper(),
                      "created": fields[1] if len(fields) > 1 else None})
    return found
