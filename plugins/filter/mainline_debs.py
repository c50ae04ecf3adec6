# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.kernel import mainline_debs


def _mainline_debs(checksums_text, version, flavour="generic", arch="amd64"):
    try:
        return mainline_debs(checksums_text, version, flavour, arch)
    except ValueError as exc:
        raise AnsibleFilterError("mainline_debs: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"mainline_debs": _mainline_debs}
