# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.electrode.cluster.plugins.module_utils.lab_processes import console_causes


def _lab_console_causes(text):
    return console_causes(str(text or ""))


class FilterModule(object):
    def filters(self):
        return {"lab_console_causes": _lab_console_causes}
