# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.bench import ClientOutputError, combine_clients


def _bench_combine(summaries):
    try:
        return combine_clients(list(summaries))
    except (ClientOutputError, KeyError, TypeError) as exc:
        raise AnsibleFilterError("bench_combine: expects client_summary results: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"bench_combine": _bench_combine}
