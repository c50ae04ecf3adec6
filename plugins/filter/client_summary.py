# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.bench import ClientOutputError, client_summary


def _client_summary(text, partial=False):
    try:
        return client_summary(str(text) if text is not None else "", partial=bool(partial))
    except ClientOutputError as exc:
        raise AnsibleFilterError("client_summary: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"client_summary": _client_summary}
