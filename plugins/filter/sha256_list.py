# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.kernel import sha256_list


def _sha256_list(text):
    try:
        return sha256_list(text)
    except ValueError as exc:
        raise AnsibleFilterError("sha256_list: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"sha256_list": _sha256_list}
