# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import cluster_model_from_hostvars


def _cluster_model(hostvars, groups, replica_group="replicas", client_group="clients"):
    return cluster_model_from_hostvars(hostvars, groups, replica_group, client_group)


class FilterModule(object):
    def filters(self):
        return {"cluster_model": _cluster_model}
