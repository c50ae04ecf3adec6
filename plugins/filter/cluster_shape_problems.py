# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import cluster_shape_problems


def _cluster_shape_problems(replica_count, client_count, replicas_name, clients_name):
    return cluster_shape_problems(int(replica_count), int(client_count), replicas_name, clients_name)


class FilterModule(object):
    def filters(self):
        return {"cluster_shape_problems": _cluster_shape_problems}
