# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import lab_network_problems


def _lab_network_problems(subnet, bridge, links, routes):
    return lab_network_problems(subnet, bridge, links, routes)


class FilterModule(object):
    def filters(self):
        return {"lab_network_problems": _lab_network_problems}
