#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: ethtool
version_added: 0.1.0
short_description: Set a NIC's interrupt coalescing, channels and ring sizes with ethtool
description:
  - Reads the interface's current coalescing (C(ethtool -c)), channels (C(ethtool -l)) and ring
    sizes (C(ethtool -g)), and changes only the settings that differ (C(ethtool -C), C(-L), C(-G)).
  - A setting the driver does not support (reported as C(n/a), or the whole query failing with
    "Operation not supported", as on veth for coalescing) is listed in RV(unsupported); with
    O(strict=true) that fails the task before anything changes.
  - A count above the driver's pre-set maximum, an unknown parameter or a value of the wrong type
    fails before anything changes.
  - Settings made with ethtool do not survive a reboot or a driver reload; the
    electrode.cluster.nic_tuning role installs a unit that applies them at boot.
options:
  name:
    description: The interface.
    type: str
    required: true
    aliases: [interface]
  coalesce:
    description:
      - Coalescing parameters, named as C(ethtool -C) names them with underscores
        (C(adaptive_rx), C(rx_usecs), C(rx_frames), C(tx_usecs), C(tx_frames), ...).
      - C(adaptive_rx), C(adaptive_tx), C(cqe_mode_rx) and C(cqe_mode_tx) take booleans, the others whole numbers.
    type: dict
  channels:
    description: Channel counts, any of C(rx), C(tx), C(other), C(combined).
    type: dict
  ring:
    description: Ring sizes, any of C(rx), C(rx_mini), C(rx_jumbo), C(tx).
    type: dict
  strict:
    description: Fail when a requested setting is not supported by the driver, instead of reporting it.
    type: bool
    default: true
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
requirements:
  - ethtool
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Interrupt per packet and one queue on the experiment interface, as Electrode's setup does
  electrode.cluster.ethtool:
    name: enp94s0f0
    coalesce:
      adaptive_rx: false
      adaptive_tx: false
      rx_usecs: 0
      rx_frames: 1
      tx_usecs: 0
      tx_frames: 1
    channels:
      combined: 1

- name: Whatever a virtual NIC supports, reporting the rest
  electrode.cluster.ethtool:
    name: eth1
    channels:
      rx: 1
      tx: 1
    strict: false
"""

RETURN = r"""
before:
  description: The settings read before any change, per category (C(coalesce), C(channels), C(ring)); C(null) where the driver supports none.
  returned: always
  type: dict
after:
  description: The same, read again after the changes (equal to RV(before) in check mode or without changes).
  returned: always
  type: dict
changes:
  description: What was (or in check mode would be) set, per category, as ethtool parameter names and values.
  returned: always
  type: dict
  sample: {"coalesce": {"adaptive-rx": false, "rx-usecs": 0}, "channels": {"combined": 1}}
unsupported:
  description: Requested settings the driver does not support, as C(category parameter).
  returned: always
  type: list
  elements: str
  sample: ["coalesce rx-usecs", "channels combined"]
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.electrode.cluster.plugins.module_utils.nic import (
    CHANNEL_PARAMETERS,
    RING_PARAMETERS,
    ethtool_arguments,
    plan_coalesce,
    plan_counts,
    read_settings,
)

_WRITE = {"coalesce": "-C", "channels": "-L", "ring": "-G"}


def read(module, ethtool, name, categories):
    """Current settings per category; None where the driver supports none of it."""
    settings, error = read_settings(module.run_command, ethtool, name, categories)
    if error:
        module.fail_json(msg=error)
    return settings


def plan(settings, params):
    changes, unsupported, problems = {}, [], []
    for category in settings:
        if category == "coalesce":
            change, missing, wrong = plan_coalesce(settings[category], params[category])
        else:
            names = CHANNEL_PARAMETERS if category == "channels" else RING_PARAMETERS
            change, missing, wrong = plan_counts(category, settings[category], params[category], names)
        if change:
            changes[category] = change
        unsupported += ["%s %s" % (category, m) for m in missing]
        problems += wrong
    return changes, unsupported, problems


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type="str", required=True, aliases=["interface"]),
            coalesce=dict(type="dict"),
            channels=dict(type="dict"),
            ring=dict(type="dict"),
            strict=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    name = module.params["name"]
    if not os.path.exists(os.path.join("/sys/class/net", name)):
        module.fail_json(
            msg="interface %s does not exist on this host (it has: %s)"
            % (name, ", ".join(sorted(os.listdir("/sys/class/net"))))
        )
    ethtool = module.get_bin_path("ethtool", required=True)
    categories = [c for c in ("coalesce", "channels", "ring") if module.params[c]]

    before = read(module, ethtool, name, categories)
    changes, unsupported, problems = plan(before, module.params)
    result = dict(changed=bool(changes), before=before, after=before, changes=changes, unsupported=unsupported)
    if problems:
        module.fail_json(msg="%s: %s" % (name, " ".join(problems)), **result)
    if unsupported and module.params["strict"]:
        module.fail_json(
            msg="%s: the driver does not support %s (set strict: false to apply the rest and report these)"
            % (name, ", ".join(unsupported)),
            **result
        )
    if module._diff:
        result["diff"] = dict(
            before={c: {k: (before[c] if c == "coalesce" else before[c]["current"])[k] for k in changes[c]} for c in changes},
            after=changes,
        )
    if changes and not module.check_mode:
        for category in ("channels", "ring", "coalesce"):
            if category in changes:
                rc, out, err = module.run_command([ethtool, _WRITE[category], name] + ethtool_arguments(changes[category]))
                if rc != 0:
                    module.fail_json(
                        msg="ethtool %s %s %s failed: %s"
                        % (_WRITE[category], name, " ".join(ethtool_arguments(changes[category])), (err or out).strip()),
                        **result
                    )
        result["after"] = read(module, ethtool, name, categories)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
