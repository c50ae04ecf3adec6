# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.lab import node_paths


def _lab_node_paths(name, state_dir, run_dir):
    return node_paths(name, state_dir, run_dir)


class FilterModule(object):
    def filters(self):
        return {"lab_node_paths": _lab_node_paths}
