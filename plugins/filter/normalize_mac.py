# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import normalize_mac


def _normalize_mac(value):
    try:
        return normalize_mac(value)
    except ValueError as exc:
        raise AnsibleFilterError("normalize_mac: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"normalize_mac": _normalize_mac}
