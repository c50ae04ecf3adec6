# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.services import replica_restart_plan


def _plan(records, current, replicas, started=None):
    try:
        return replica_restart_plan(records, current, replicas, started)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"replica_restart_plan": _plan}
