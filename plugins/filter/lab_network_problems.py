# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.lab import lab_network_problems


def _lab_network_problems(subnet, bridge, links, routes, nameservers=None, connections=None):
    return lab_network_problems(subnet, bridge, links, routes, nameservers, connections)


class FilterModule(object):
    def filters(self):
        return {"lab_network_problems": _lab_network_problems}
