# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import lab_nodes


def _lab_nodes(subnet, replica_count, client_count):
    try:
        return lab_nodes(replica_count, client_count, subnet)
    except ValueError as exc:
        raise AnsibleFilterError("lab_nodes: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"lab_nodes": _lab_nodes}
