# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""gpg_verify.verify with the real gpg and gpgv: a throwaway key made for each test session signs
a clearsigned list, a detached file and an uncompressed tar, and another key that is not in the
keyring signs too."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import lzma
import os
import subprocess
import time

import pytest

from ansible_collections.electrode.cluster.plugins.modules.gpg_verify import verify


def gpg(home, *args, **kwargs):
    return subprocess.run(["gpg", "--homedir", str(home), "--batch", "--quiet", "--pinentry-mode", "loopback",
                           "--passphrase", ""] + list(args), check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, **kwargs).stdout


def make_key(home, name):
    """A throwaway key. gpg starts its agent for it, which on a loaded machine (two CPUs busy with
    the lab) was seen to fail once in a while (exit 2): tried three times, the agent stopped between."""
    home.mkdir(mode=0o700)
    for attempt in range(3):
        try:
            gpg(home, "--quick-gen-key", "%s <%s@example.invalid>" % (name, name), "ed25519", "sign", "never")
            break
        except subprocess.CalledProcessError as exc:
            if attempt == 2:
                raise AssertionError("gpg could not make a key in %s: %s" % (home, exc.stderr.decode(errors="replace")))
            subprocess.run(["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"], check=False)
            time.sleep(1)
    listing = gpg(home, "--with-colons", "--list-keys").decode()
    return [line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")][0]


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    base = tmp_path_factory.mktemp("gpg")
    trusted, other = base / "trusted", base / "other"
    fingerprints = {"trusted": make_key(trusted, "trusted"), "other": make_key(other, "other")}
    keyring = base / "keyring.gpg"
    gpg(trusted, "--output", str(keyring), "--export")
    return {"trusted": trusted, "other": other, "keyring": str(keyring), "fpr": fingerprints}


def run(argv, shell):
    done = subprocess.run(argv, shell=shell, executable="/bin/bash" if shell else None,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    return done.returncode, done.stdout, done.stderr


SUMS = "a" * 64 + "  linux-6.1.tar.xz\n" + "b" * 64 + "  linux-6.1.tar.gz\n"


def test_a_clearsigned_list_gives_its_signer_and_its_text(keys, tmp_path):
    (tmp_path / "sums").write_text(SUMS)
    gpg(keys["trusted"], "--output", str(tmp_path / "sums.asc"), "--clearsign", str(tmp_path / "sums"))
    result = verify(run, "gpgv", keys["keyring"], str(tmp_path / "sums.asc"))
    assert result["valid"] and result["rc"] == 0
    assert result["signers"] == [keys["fpr"]["trusted"]]
    assert result["signatures"][0]["fingerprint"] == keys["fpr"]["trusted"]
    assert result["content"] == SUMS


def test_a_key_outside_the_keyring_is_no_signer_and_its_text_is_not_returned(keys, tmp_path):
    (tmp_path / "sums").write_text(SUMS)
    gpg(keys["other"], "--output", str(tmp_path / "sums.asc"), "--clearsign", str(tmp_path / "sums"))
    result = verify(run, "gpgv", keys["keyring"], str(tmp_path / "sums.asc"))
    assert not result["valid"] and result["rc"] != 0
    assert result["signers"] == [] and result["content"] is None
    assert "No public key" in result["stderr"] or "public key" in result["stderr"]


def test_a_detached_signature_over_a_changed_file_is_bad(keys, tmp_path):
    data = tmp_path / "CHECKSUMS"
    data.write_text(SUMS)
    gpg(keys["trusted"], "--output", str(tmp_path / "CHECKSUMS.gpg"), "--detach-sign", str(data))
    good = verify(run, "gpgv", keys["keyring"], str(tmp_path / "CHECKSUMS.gpg"), str(data))
    assert good["valid"] and good["signers"] == [keys["fpr"]["trusted"]] and "content" not in good
    data.write_text(SUMS.replace("a", "c", 1))
    bad = verify(run, "gpgv", keys["keyring"], str(tmp_path / "CHECKSUMS.gpg"), str(data))
    assert not bad["valid"] and bad["signers"] == [] and "BAD signature" in bad["stderr"]


def test_a_signature_over_the_uncompressed_tar_is_checked_through_xz(keys, tmp_path):
    tar = tmp_path / "linux-6.1.tar"
    tar.write_bytes(os.urandom(300000))
    gpg(keys["trusted"], "--output", str(tmp_path / "linux-6.1.tar.sign"), "--armor", "--detach-sign", str(tar))
    (tmp_path / "linux-6.1.tar.xz").write_bytes(lzma.compress(tar.read_bytes()))
    result = verify(run, "gpgv", keys["keyring"], str(tmp_path / "linux-6.1.tar.sign"),
                    str(tmp_path / "linux-6.1.tar.xz"), "xz", "xz")
    assert result["valid"] and result["signers"] == [keys["fpr"]["trusted"]]
    # The signature is over the tar, not over the compressed file.
    direct = verify(run, "gpgv", keys["keyring"], str(tmp_path / "linux-6.1.tar.sign"), str(tmp_path / "linux-6.1.tar.xz"))
    assert not direct["valid"]
    # A file that is not xz: the pipeline fails, whatever gpgv said of the empty data.
    (tmp_path / "broken.xz").write_bytes(b"not xz")
    broken = verify(run, "gpgv", keys["keyring"], str(tmp_path / "linux-6.1.tar.sign"), str(tmp_path / "broken.xz"), "xz", "xz")
    assert not broken["valid"] and broken["rc"] != 0
