# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.cloudlab_manifest import (
    ManifestError,
    build_inventory,
    parse_manifest,
)


def _cloudlab_inventory(manifest, user, f=None, network=None):
    try:
        nodes, links = parse_manifest(str(manifest))
        result = build_inventory(nodes, links, str(user), f=f, network=network)
    except ManifestError as exc:
        raise AnsibleFilterError("cloudlab_inventory: %s" % exc)
    for name, variables in result["hosts"].items():
        variables["group"] = "replicas" if name in result["replicas"] else "clients"
    return result


class FilterModule(object):
    def filters(self):
        return {"cloudlab_inventory": _cloudlab_inventory}
