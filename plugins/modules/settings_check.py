#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: settings_check
version_added: 0.1.0
short_description: Check a role's settings on a host before anything changes
description:
  - Validates the settings of one of the collection's roles, as the task sees them (the role's
    defaults included when it runs inside that role), against the role's
    C(meta/argument_specs.yml) (types, choices, the options of a list of dicts), then against the
    rules an argument spec cannot state (patterns, relations between settings, the node's online
    CPUs, architecture and distribution), which live in C(module_utils/settings.py).
  - Every problem is returned at once, each naming the host and the variable.
  - The facts play runs it for every stage a playbook runs, through each role's C(settings) task
    file, before any stage changes anything; a role's C(main) runs it where the role is used alone.
  - An action plugin, run on the controller; it never changes anything.
options:
  role:
    description: The role whose settings are checked.
    type: str
    required: true
    choices: [mainline_kernel, build_deps, kernel_source, electrode_build, electrode_services, bench]
  collect:
    description:
      - Add the problems to the host's fact C(electrode_settings_problems) instead of failing, so
        that the caller names every problem of every role and host together.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
# roles/electrode_services/tasks/settings.yml
- name: Check the settings of electrode_services
  electrode.cluster.settings_check:
    role: electrode_services
"""

RETURN = r"""
role:
  description: The role checked.
  returned: always
  type: str
problems:
  description: Every problem found, each starting with the host and naming the variable.
  returned: always
  type: list
  elements: str
  sample: ["replica1: value of electrode_protocol must be one of: vr, fastpaxos, spec, unreplicated, got: raft"]
"""
