# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A profile recorded with ``perf record -g``, as ``perf script`` prints it: its samples' stacks,
the symbols that hold the most samples, and the loader through which speedscope's viewer opens it
from a local file.

``perf script``'s default output is one block a sample: a header line (the command, which may hold
spaces, the pid or pid/tid, the time, the period and the event), then one indented line a frame,
innermost first (``address symbol+offset (object)``), then a blank line. Pure functions, for the
``perf_profile`` module and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import re

_FRAME = re.compile(r"^\s+(?:[0-9a-fA-F]+\s+)?(?P<symbol>.*?)(?:\+0x[0-9a-fA-F]+)?\s+\((?P<object>[^()]*)\)\s*$")


def _frame(line):
    match = _FRAME.match(line)
    if not match:
        return None
    symbol = match.group("symbol").strip() or "[unknown]"
    return (symbol, os.path.basename(match.group("object")) or "[unknown]")


def samples(text):
    """Each sample's stack, innermost frame first, as (symbol, object) pairs; a sample with no
    frame (perf could not unwind it) is an empty stack."""
    stacks = []
    current = None
    for line in (text or "").splitlines():
        if not line.strip():
            if current is not None:
                stacks.append(current)
            current = None
        elif line[0] in " \t":
            frame = _frame(line)
            if current is not None and frame is not None:
                current.append(frame)
        else:
            if current is not None:
                stacks.append(current)
            current = []
    if current is not None:
        stacks.append(current)
    return stacks


def _ranked(counts, total, top):
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [{"symbol": symbol, "object": obj, "samples": count, "share": round(float(count) / total, 4)}
            for (symbol, obj), count in ranked]


def top_symbols(text, top=15):
    """What the profile says at a glance: its sample count, the symbols where the samples were
    taken (``top_self``: the innermost frame) and those under which they were taken (``top_total``: each
    symbol once a sample, wherever in its stack, unknown frames left out), the ``top`` of each by
    samples, with their share of all samples."""
    stacks = samples(text)
    own = {}
    under = {}
    for stack in stacks:
        leaf = stack[0] if stack else ("[no stack]", "[unknown]")
        own[leaf] = own.get(leaf, 0) + 1
        # Unknown frames (perf found no symbol) say nothing about what holds the time above them.
        for frame in set(f for f in stack if f[0] != "[unknown]") or {leaf}:
            under[frame] = under.get(frame, 0) + 1
    total = len(stacks)
    if not total:
        return {"samples": 0, "top_self": [], "top_total": []}
    return {"samples": total, "top_self": _ranked(own, total, top), "top_total": _ranked(under, total, top)}


def speedscope_loader(name, data):
    """A script that hands ``data`` (the profile file's bytes) to speedscope's viewer: its
    index.html loads it with ``#localProfilePath=<the script's path>``, which works from a local
    file where fetching the profile would not (as speedscope's own command line does)."""
    encoded = base64.b64encode(data).decode("ascii")
    return "speedscope.loadFileFromBase64(%s, %s)\n" % (json.dumps(name), json.dumps(encoded))


def speedscope_opener(loader, viewer="../viewer/index.html"):
    """A page that opens the profile of ``loader`` (the loader's file name, beside the page) in the
    viewer at ``viewer`` (relative to the page). The viewer loads a local profile only by its
    absolute path (``#localProfilePath=``); the page works it out where it is opened, so the
    results folder can be moved or copied whole."""
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Opening the flame graph</title>\n<script>\n"
        "location.replace(new URL(%s, location.href).href + \"#localProfilePath=\"\n"
        "  + encodeURIComponent(decodeURIComponent(new URL(%s, location.href).pathname)));\n"
        "</script></head><body><p>Opening %s in speedscope's viewer (%s).</p></body></html>\n"
        % (json.dumps(viewer), json.dumps(loader), _html(loader), _html(viewer)))


def _html(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
