# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.bench import sized_requests


def _bench_requests_for(rate, threads, duration, minimum=100):
    try:
        return sized_requests([float(rate) / int(threads)], float(duration), int(minimum))
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise AnsibleFilterError("bench_requests_for: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"bench_requests_for": _bench_requests_for}
