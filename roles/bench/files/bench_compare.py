# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare two or more results folders of bench.yml: one table and plot, and where their provenance
differs (plugins/plugin_utils/bench_compare.py). From a checkout set up by scripts/setup.sh, or an
installed collection:

    .venv/bin/python roles/bench/files/bench_compare.py RESULTS_DIR RESULTS_DIR... [--out OUT]
"""
import os
import sys


def _collections_root():
    """The folder above ansible_collections/electrode/cluster: the installed collection's, or the
    checkout's .ansible/collections (scripts/setup.sh links the checkout there)."""
    # This file is <collection>/roles/bench/files/bench_compare.py.
    collection = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    parts = collection.split(os.sep)
    if parts[-3:-2] == ["ansible_collections"]:
        return os.sep.join(parts[:-3])
    linked = os.path.join(collection, ".ansible", "collections")
    if os.path.isdir(os.path.join(linked, "ansible_collections", "electrode", "cluster")):
        return linked
    sys.exit("bench_compare: run it from an installed collection or a checkout set up by scripts/setup.sh")


if __name__ == "__main__":
    sys.path.insert(0, _collections_root())
    from ansible_collections.electrode.cluster.plugins.plugin_utils.bench_compare import main

    main()
