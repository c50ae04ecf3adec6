# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.bench import run_validity


def _bench_run_validity(before, after, clients):
    return run_validity(dict(before or {}), dict(after or {}), dict(clients or {}))


class FilterModule(object):
    def filters(self):
        return {"bench_run_validity": _bench_run_validity}
