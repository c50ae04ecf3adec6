# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.electrode_source import build_plan


def _electrode_build_plan(source, cluster, features, kernel_tree="", replicas=None):
    if not isinstance(source, dict) or not isinstance(cluster, dict):
        raise AnsibleFilterError("electrode_build_plan: expects the electrode_source result and the cluster model")
    for key in ("f", "addresses", "port", "cluster_size", "macs"):
        if key not in cluster:
            raise AnsibleFilterError("electrode_build_plan: the cluster model has no %s (run cluster_facts first)" % key)
    try:
        return build_plan(source, cluster, features, kernel_tree, replicas)
    except ValueError as exc:
        raise AnsibleFilterError("electrode_build_plan: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"electrode_build_plan": _electrode_build_plan}
