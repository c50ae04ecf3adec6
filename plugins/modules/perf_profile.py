#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: perf_profile
version_added: 0.1.0
short_description: Read a perf profile's top symbols as data, and write its loader for speedscope's viewer
description:
  - Reads O(src), a profile as C(perf script) prints it (C(perf record -g)), and returns its sample
    count and the symbols holding the most samples, where the samples were taken (RV(top_self)) and
    under which (RV(top_total)).
  - With O(loader), writes there the script through which speedscope's self-contained viewer opens
    the profile from a local file (its C(index.html#localProfilePath=<loader>)), as speedscope's own
    command line does, and beside it a page of the same name ending in C(.html) that opens the
    viewer at O(viewer) with it (the viewer needs the loader's absolute path, which the page works
    out where it is opened); the bench role's report links each profile's page.
options:
  src:
    description: The profile, as C(perf script) printed it.
    type: path
    required: true
  loader:
    description: Where to write the viewer's loader (a C(.js) file); not written when omitted.
    type: path
  name:
    description: The profile's name (the loader's file name where not given).
    type: str
  viewer:
    description: The viewer's C(index.html), relative to the loader's folder.
    type: str
    default: ../viewer/index.html
  top:
    description: How many symbols RV(top_self) and RV(top_total) list.
    type: int
    default: 15
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the profile in check mode too; says whether the loader would change, without writing it.
  diff_mode:
    support: none
  platform:
    platforms: posix
seealso:
  - name: speedscope
    description: The flame graph viewer whose loader this writes (MIT licence).
    link: https://www.speedscope.app/
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Read the leader's profile and write its flame graph's loader
  electrode.cluster.perf_profile:
    src: results/20261205T101500Z-default/profiles/electrode-replica0.perf.txt
    loader: results/20261205T101500Z-default/profiles/electrode-replica0.js
    name: electrode on replica0
  register: profile

- name: Show where the leader spends its time
  ansible.builtin.debug:
    msg: "{{ profile.top_self[:5] | map(attribute='symbol') | list }}"
"""

RETURN = r"""
samples:
  description: The profile's samples.
  returned: always
  type: int
  sample: 4210
top_self:
  description: The symbols where most samples were taken (the innermost frame), most first.
  returned: always
  type: list
  elements: dict
  contains:
    symbol:
      description: The symbol, without its offset (C([unknown]) where perf had none).
      type: str
    object:
      description: The binary or library it is in (its file name; C([kernel.kallsyms]) for the kernel).
      type: str
    samples:
      description: Its samples.
      type: int
    share:
      description: Its share of all samples (0 to 1).
      type: float
  sample: [{symbol: __sys_sendto, object: "[kernel.kallsyms]", samples: 512, share: 0.1216}]
top_total:
  description: The symbols under which most samples were taken (each symbol once a sample), most first; as RV(top_self).
  returned: always
  type: list
  elements: dict
loader:
  description: Where the loader is (or would be, in check mode) written.
  returned: when O(loader) is given
  type: str
opener:
  description: Where the page that opens the profile in the viewer is (or would be) written.
  returned: when O(loader) is given
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.electrode.cluster.plugins.module_utils.perf_profile import speedscope_loader, speedscope_opener, top_symbols


def _write(module, path, content):
    """Write ``content`` to ``path`` unless it holds it already (not in check mode); whether it changed."""
    current = None
    if os.path.isfile(path):
        with open(path) as handle:
            current = handle.read()
    if current == content:
        return False
    if not module.check_mode:
        with open(path, "w") as handle:
            handle.write(content)
    return True


def run(module):
    params = module.params
    src = params["src"]
    if not os.path.isfile(src):
        module.fail_json(msg="perf_profile: %s does not exist: record the profile first (perf record -g, then perf script)" % src)
    with open(src, "rb") as handle:
        data = handle.read()
    result = dict(changed=False, **top_symbols(data.decode("utf-8", "replace"), params["top"]))
    if params["loader"]:
        loader = params["loader"]
        opener = os.path.splitext(loader)[0] + ".html"
        result["loader"], result["opener"] = loader, opener
        changed = _write(module, loader, speedscope_loader(params["name"] or os.path.basename(src), data))
        changed = _write(module, opener, speedscope_opener(os.path.basename(loader), params["viewer"])) or changed
        result["changed"] = changed
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            src=dict(type="path", required=True),
            loader=dict(type="path"),
            name=dict(type="str"),
            viewer=dict(type="str", default="../viewer/index.html"),
            top=dict(type="int", default=15),
        ),
        supports_check_mode=True,
    )
    if module.params["top"] < 1:
        module.fail_json(msg="perf_profile: top is %d: give 1 or more" % module.params["top"])
    module.exit_json(**run(module))


if __name__ == "__main__":
    main()
