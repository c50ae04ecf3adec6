# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.bench import xdp_delta


def _as_counters(reading):
    return dict(reading) if isinstance(reading, dict) else str(reading or "")


def _bench_xdp_delta(before, after):
    return xdp_delta(_as_counters(before), _as_counters(after))


class FilterModule(object):
    def filters(self):
        return {"bench_xdp_delta": _bench_xdp_delta}
