# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.electrode.cluster.plugins.module_utils.bench_stats import within_target


def _bench_target_met(runs, target, confidence=0.95):
    try:
        cells = {}
        for run in runs or []:
            cells.setdefault(str(run["cell"]), []).append(run.get("throughput"))
        return all(within_target(values, float(target), float(confidence)) for values in cells.values()) and bool(cells)
    except (KeyError, TypeError, ValueError) as exc:
        raise AnsibleFilterError("bench_target_met: %s" % exc)


class FilterModule(object):
    def filters(self):
        return {"bench_target_met": _bench_target_met}
