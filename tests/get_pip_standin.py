# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for get-pip.py, for ansible-test.

ansible-test runs get-pip.py (which it downloads, unless a cached copy exists) to bootstrap pip
in the virtual environments of its sanity tests. This file is placed in that cache by
scripts/test.sh, next to the pip wheel it needs, and does what get-pip.py does: run pip from
the wheel to install the packages named on the command line.
"""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    wheels = sorted(glob.glob(os.path.join(here, "pip-*.whl")))
    if not wheels:
        sys.exit("get-pip stand-in: no pip wheel in %s (scripts/test.sh downloads it)" % here)
    sys.path.insert(0, wheels[-1])
    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    # get-pip.py's own options: it installs setuptools and wheel unless told not to; this never does.
    args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
    sys.exit(pip_main(["install", "--find-links", here] + args))


if __name__ == "__main__":
    main()
