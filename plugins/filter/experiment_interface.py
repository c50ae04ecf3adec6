# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import experiment_interface


def _experiment_interface(facts, subnet=None, address=None, interface=None, mac=None, host="this host"):
    return experiment_interface(facts, subnet=subnet, address=address, interface=interface, mac=mac, host=host)


class FilterModule(object):
    def filters(self):
        return {"experiment_interface": _experiment_interface}
