# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.bench import cell_order, load_points


def _bench_order(variants, repetitions, threads=1, clients=1):
    return cell_order(list(variants), load_points(threads, clients), int(repetitions))


class FilterModule(object):
    def filters(self):
        return {"bench_order": _bench_order}
