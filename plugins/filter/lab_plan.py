# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.lab import lab_plan


def _lab_plan(subnet, replica_count, client_count, state_dir, run_dir):
    return lab_plan(subnet, replica_count, client_count, state_dir, run_dir)


class FilterModule(object):
    def filters(self):
        return {"lab_plan": _lab_plan}
