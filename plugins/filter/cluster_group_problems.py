# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import group_problems


def _cluster_group_problems(groups, replica_group="replicas", client_group="clients"):
    return group_problems(groups, replica_group, client_group)


class FilterModule(object):
    def filters(self):
        return {"cluster_group_problems": _cluster_group_problems}
