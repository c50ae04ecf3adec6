#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: gpg_verify
version_added: 0.1.0
short_description: Check an OpenPGP signature with gpgv and return who signed, as data
description:
  - Runs C(gpgv) with O(keyring) on a detached signature over O(data), or on a clearsigned
    O(signature) alone, and returns the good signatures found (read from gpgv's machine-readable
    C(--status-fd) lines, GnuPG's doc/DETAILS), and a clearsigned file's content.
  - Changes nothing and does not fail on a bad or unknown signature; the caller decides which
    signers it trusts (RV(signers) against its pinned fingerprints) and says so in its own words.
    It fails only where gpgv cannot be run, or a file it is given does not exist.
options:
  keyring:
    description: The keyring holding the trusted public keys (an exported, binary keyring, as C(gpg --export) writes).
    type: path
    required: true
  signature:
    description: The detached signature, or the clearsigned file where O(data) is not given.
    type: path
    required: true
  data:
    description: The signed file of a detached O(signature).
    type: path
  decompress:
    description:
      - Check the signature over O(data) as decompressed by this tool (kernel.org signs the
        uncompressed C(.tar) of its C(.tar.xz)); the decompressed data is streamed, not stored.
    type: str
    choices: [none, xz]
    default: none
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Read-only; it runs in check mode too.
  diff_mode:
    support: none
  platform:
    platforms: posix
requirements:
  - gpgv (Debian and Ubuntu package C(gpgv)); C(xz) for O(decompress=xz).
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Check the signature of sha256sums.asc (clearsigned)
  electrode.cluster.gpg_verify:
    keyring: /var/tmp/kernel/keyring.gpg
    signature: /var/tmp/kernel/sha256sums.asc
  register: sums

- name: Fail unless a pinned key signed it
  ansible.builtin.assert:
    that: sums.signers | intersect(['647F28654894E3BD457199BE38DBBDC86092693E']) | length > 0

- name: Check kernel.org's signature over the uncompressed tar
  electrode.cluster.gpg_verify:
    keyring: /var/tmp/kernel/keyring.gpg
    signature: /var/tmp/kernel/linux-6.1.tar.sign
    data: /var/tmp/kernel/linux-6.1.tar.xz
    decompress: xz
"""

RETURN = r"""
valid:
  description: Whether gpgv accepted the signature (exit status 0) and reported at least one good signature.
  returned: always
  type: bool
signers:
  description: The primary key fingerprint of every good signature (upper case, no spaces).
  returned: always
  type: list
  elements: str
  sample: ["647F28654894E3BD457199BE38DBBDC86092693E"]
signatures:
  description: Every good signature, with the signing key's fingerprint, its primary key's, and the signature's date.
  returned: always
  type: list
  elements: dict
  sample: [{"fingerprint": "647F28654894E3BD457199BE38DBBDC86092693E", "primary": "647F28654894E3BD457199BE38DBBDC86092693E",
            "created": "2024-01-01"}]
content:
  description: The signed text of a clearsigned O(signature) (where O(data) is not given and the signature is good).
  returned: when O(data) is not given
  type: str
rc:
  description: gpgv's exit status (with O(decompress=xz), the pipeline's).
  returned: always
  type: int
stderr:
  description: What gpgv (and the decompressor) said, for the caller's message.
  returned: always
  type: str
"""

import os
import shlex
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.electrode.cluster.plugins.module_utils.signatures import valid_signatures


def verify(run, gpgv, keyring, signature, data=None, decompress="none", xz=None):
    """Run gpgv through ``run(argv_or_shell, shell)`` -> (rc, stdout, stderr) and read its answer."""
    work = tempfile.mkdtemp(prefix="electrode-gpg-verify-")
    try:
        output = os.path.join(work, "content")
        base = [gpgv, "--status-fd", "1", "--keyring", keyring]
        if data is None:
            # The signed text goes to a file, the status lines alone to stdout.
            rc, out, err = run(base + ["--output", output, signature], False)
        elif decompress == "xz":
            command = "set -o pipefail; %s -cd %s | %s %s -" % (
                shlex.quote(xz), shlex.quote(data), " ".join(shlex.quote(a) for a in base), shlex.quote(signature))
            rc, out, err = run(command, True)
        else:
            rc, out, err = run(base + [signature, data], False)
        signatures = valid_signatures(out)
        result = dict(rc=rc, stderr=err or "", signatures=signatures,
                      signers=sorted(set(s["primary"] for s in signatures)),
                      valid=rc == 0 and bool(signatures))
        if data is None:
            content = None
            if result["valid"] and os.path.exists(output):
                with open(output, "rb") as handle:
                    content = handle.read().decode("utf-8", "replace")
            result["content"] = content
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            keyring=dict(type="path", required=True),
            signature=dict(type="path", required=True),
            data=dict(type="path"),
            decompress=dict(type="str", choices=["none", "xz"], default="none"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params["decompress"] != "none" and not params["data"]:
        module.fail_json(msg="decompress: %s needs data (the compressed file the signature covers)" % params["decompress"])
    for name in ("keyring", "signature", "data"):
        if params[name] and not os.path.isfile(params[name]):
            module.fail_json(msg="%s: %s does not exist or is not a file" % (name, params[name]))
    gpgv = module.get_bin_path("gpgv", required=True)
    xz = module.get_bin_path("xz", required=params["decompress"] == "xz")

    def run(command, shell):
        if shell:
            return module.run_command(command, use_unsafe_shell=True, executable=module.get_bin_path("bash", required=True))
        return module.run_command(command)

    result = verify(run, gpgv, params["keyring"], params["signature"], params["data"], params["decompress"], xz)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
