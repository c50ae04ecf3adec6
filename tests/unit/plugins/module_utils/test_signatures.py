# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gpgv status lines and sha256 lists read as data."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.kernel import sha256_list
from ansible_collections.electrode.cluster.plugins.module_utils.signatures import valid_signatures

PRIMARY = "647F28654894E3BD457199BE38DBBDC86092693E"
SUBKEY = "ABAF11C65A2970B130ABE3C479BE3E4300411886"

# gpgv 2.2's status output for a good signature by a subkey, with the lines around it.
STATUS = """[GNUPG:] NEWSIG
[GNUPG:] KEY_CONSIDERED %(p)s 0
[GNUPG:] SIG_ID 3n1BrU2qo 2024-01-01 1704067200
[GNUPG:] GOODSIG 79BE3E4300411886 Greg Kroah-Hartman <gregkh@kernel.org>
[GNUPG:] VALIDSIG %(s)s 2024-01-01 1704067200 0 4 0 22 10 00 %(p)s
""" % {"p": PRIMARY, "s": SUBKEY}


def test_a_subkeys_signature_names_its_primary_key():
    assert valid_signatures(STATUS) == [{"fingerprint": SUBKEY, "primary": PRIMARY, "created": "2024-01-01"}]


@pytest.mark.parametrize("text", [
    "",
    "[GNUPG:] BADSIG 79BE3E4300411886 someone\n",
    "[GNUPG:] ERRSIG 79BE3E4300411886 22 10 00 1704067200 9 -\n[GNUPG:] NO_PUBKEY 79BE3E4300411886\n",
    # Text that is not a status line, even if it looks like one after other words.
    "note: [GNUPG:] VALIDSIG %s 2024-01-01 1 0 4 0 22 10 00 %s\n" % (SUBKEY, PRIMARY),
    "[GNUPG:] VALIDSIG not-a-fingerprint 2024-01-01\n",
])
def test_no_good_signature_gives_no_signer(text):
    assert valid_signatures(text) == []


def test_a_line_without_a_primary_key_names_the_signing_key():
    assert valid_signatures("[GNUPG:] VALIDSIG %s 2024-01-01 1704067200 0 3\n" % PRIMARY.lower())[0]["primary"] == PRIMARY


def test_a_clearsigned_sha256_list_reads_as_names_and_digests():
    text = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
            + "A" * 64 + "  linux-6.1.tar.xz\n" + "b" * 64 + " *linux-6.1.tar.gz\n"
            + "c" * 40 + "  linux-6.1.tar.bz2\n-----BEGIN PGP SIGNATURE-----\n")
    assert sha256_list(text) == {"linux-6.1.tar.xz": "a" * 64, "linux-6.1.tar.gz": "b" * 64}


def test_a_name_listed_twice_with_different_digests_is_refused():
    with pytest.raises(ValueError, match="linux-6.1.tar.xz is listed twice"):
        sha256_list("a" * 64 + "  linux-6.1.tar.xz\n" + "b" * 64 + "  linux-6.1.tar.xz\n")
