# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""module_utils/perf_profile.py: perf script's samples read back as stacks, the top symbols by
where samples were taken and under which, and the viewer's loader; once on a real profile of a
program whose hot function is known, where perf and a compiler are there."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import shutil
import subprocess

import pytest

from ansible_collections.electrode.cluster.plugins.module_utils.perf_profile import (
    samples, speedscope_loader, speedscope_opener, top_symbols)

# perf script's default output: a command with a space, a pid/tid, kernel and user frames, a C++
# symbol with parentheses, an unknown frame, and a sample perf could not unwind.
SCRIPT = """\
replica 0 4211/4213 1021.000100:     250000 cpu-clock:
\tffffffff81d73cd2 __sys_sendto+0x72 ([kernel.kallsyms])
\t           f82ad sendto+0xd (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t          41a2b0 specpaxos::vr::VRReplica::HandleRequest(TransportAddress const&)+0x40 (/opt/electrode/bench/replica)
\t          400123 main+0x9 (/opt/electrode/bench/replica)

replica 0 4211/4213 1021.000200:     250000 cpu-clock:
\t          41a2b0 specpaxos::vr::VRReplica::HandleRequest(TransportAddress const&)+0x40 (/opt/electrode/bench/replica)
\t          400123 main+0x9 (/opt/electrode/bench/replica)

replica 0 4211/4213 1021.000300:     250000 cpu-clock:
\tffffffff81d73cd2 __sys_sendto+0x72 ([kernel.kallsyms])
\t    7f0011223344 [unknown] ([unknown])

replica 0 4211/4213 1021.000400:     250000 cpu-clock:

"""


def test_each_sample_is_its_stack_innermost_first():
    stacks = samples(SCRIPT)
    assert len(stacks) == 4
    assert stacks[0] == [("__sys_sendto", "[kernel.kallsyms]"), ("sendto", "libc.so.6"),
                         ("specpaxos::vr::VRReplica::HandleRequest(TransportAddress const&)", "replica"),
                         ("main", "replica")]
    assert stacks[2][1] == ("[unknown]", "[unknown]")
    assert stacks[3] == []


def test_top_symbols_count_where_and_under_which_samples_were_taken():
    top = top_symbols(SCRIPT, top=3)
    assert top["samples"] == 4
    assert [(s["symbol"], s["samples"], s["share"]) for s in top["top_self"]] == [
        ("__sys_sendto", 2, 0.5), ("[no stack]", 1, 0.25),
        ("specpaxos::vr::VRReplica::HandleRequest(TransportAddress const&)", 1, 0.25)]
    # Each symbol once a sample, wherever in its stack: main is under 2 of 4, HandleRequest too.
    total = dict((s["symbol"], s["samples"]) for s in top_symbols(SCRIPT, top=10)["top_total"])
    assert total["main"] == 2 and total["__sys_sendto"] == 2 and total["sendto"] == 1
    # An unknown frame is no symbol to hold time under (where a sample was taken, it still counts).
    assert "[unknown]" not in total and total["[no stack]"] == 1


def test_an_empty_profile_has_no_symbols():
    assert top_symbols("") == {"samples": 0, "top_self": [], "top_total": []}


def test_the_loader_hands_the_profile_to_the_viewer_unchanged():
    data = SCRIPT.encode("utf-8")
    loader = speedscope_loader('electrode "on" replica0', data)
    assert loader.startswith("speedscope.loadFileFromBase64(")
    name, encoded = json.loads("[" + loader.strip()[len("speedscope.loadFileFromBase64("):-1] + "]")
    assert name == 'electrode "on" replica0' and base64.b64decode(encoded) == data


def test_the_opener_finds_the_viewer_and_the_loader_where_it_is_opened():
    page = speedscope_opener('a "b" <c>.js', "../viewer/index.html")
    assert 'location.replace(new URL("../viewer/index.html", location.href).href + "#localProfilePath="' in page
    assert 'new URL("a \\"b\\" <c>.js", location.href).pathname' in page
    assert "Opening a &quot;b&quot; &lt;c&gt;.js in speedscope's viewer" in page


@pytest.mark.skipif(not (shutil.which("perf") and shutil.which("cc")), reason="needs perf and a C compiler")
def test_a_real_profile_names_the_hot_function(tmp_path):
    source = tmp_path / "hot.c"
    source.write_text(
        "volatile unsigned long sink;\n"
        "__attribute__((noinline)) void hot(void) { for (unsigned long i = 0; i < 150000000UL; i++) sink += i * 3; }\n"
        "__attribute__((noinline)) void warm(void) { for (unsigned long i = 0; i < 30000000UL; i++) sink += i ^ 5; }\n"
        "int main(void) { hot(); warm(); return 0; }\n")
    binary, data = str(tmp_path / "hot"), str(tmp_path / "perf.data")
    subprocess.check_call(["cc", "-O1", "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer", "-o", binary, str(source)])
    record = subprocess.run(["perf", "record", "-e", "cpu-clock", "-F", "999", "-g", "-o", data, "--", binary],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if record.returncode != 0:
        pytest.skip("perf cannot record here: %s" % record.stderr.decode("utf-8", "replace")[-300:])
    text = subprocess.run(["perf", "script", "-i", data], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          check=True).stdout.decode("utf-8", "replace")
    top = top_symbols(text, top=50)
    assert top["samples"] >= 20
    assert top["top_self"][0]["symbol"] == "hot" and top["top_self"][0]["object"] == "hot"
    shares = dict((s["symbol"], s["share"]) for s in top["top_self"])
    assert shares["hot"] > shares.get("warm", 0)
    # With stacks (-g): nearly every sample has its callers too, and the total counts them.
    stacks = samples(text)
    assert sum(1 for stack in stacks if len(stack) >= 2) >= 0.9 * len(stacks)
    assert top["top_total"][0]["samples"] >= top["top_self"][0]["samples"]
    assert os.path.getsize(data) > 0
