# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.kernel import grub_default


def _grub_default(menu_text, release):
    try:
        return grub_default(menu_text, release)
    except ValueError as exc:
        raise AnsibleFilterError("grub_default: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"grub_default": _grub_default}
