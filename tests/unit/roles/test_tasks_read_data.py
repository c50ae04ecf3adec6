# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' and playbooks' tasks read what a command printed as data (JSON, or a module's
return values), not as text: no line selected, counted, split or searched by a pattern, no word
looked for in a command's output. A command's output may still be shown to the user as it is
(a build's or a journal's last lines in a failure message): those places are listed below."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FILES = sorted(os.path.relpath(p, ROOT) for pattern in ("roles/*/tasks/*.yml", "roles/*/handlers/*.yml",
                                                        "roles/*/vars/*.yml", "playbooks/*.yml", "*.yml")
               for p in glob.glob(os.path.join(ROOT, pattern)))

# What reading output as text looks like in YAML.
TEXT_READS = [
    (re.compile(r"\.stdout_lines\b"), "a command's output taken line by line"),
    (re.compile(r"""(['"])[^'"]*\1\s+(not\s+)?in\s+[\w.\[\]'"]+\.(stdout|stderr)\b"""), "a word looked for in a command's output"),
    (re.compile(r"\.(stdout|stderr)\s*\|\s*(regex_\w+|split|splitlines)\b"), "a command's output searched or split by a pattern"),
    (re.compile(r"\.(stdout|stderr)\.(split|splitlines|startswith|endswith|find)\("), "a command's output split or searched"),
]

# (file, the line's text) -> why it is not a text read.
SHOWN_AS_IS = {
    ("roles/electrode_build/tasks/build.yml", "{{ __electrode_build_log.stdout_lines | default([]) }}"):
        "the build log's last lines, shown in the failure message",
    ("roles/electrode_services/tasks/health.yml", "{{ __electrode_services_journal.stdout_lines | default([]) }}"):
        "the units' last log lines, shown in the failure message",
}


def text_reads(path, root=ROOT):
    found = []
    with open(os.path.join(root, path)) as handle:
        for number, line in enumerate(handle, 1):
            if line.lstrip().startswith("#"):
                continue
            for pattern, what in TEXT_READS:
                if pattern.search(line) and (path, line.strip()) not in SHOWN_AS_IS:
                    found.append("%s:%d: %s: %s" % (path, number, what, line.strip()))
    return found


def test_the_files_are_found():
    assert "roles/kernel_source/tasks/tarball.yml" in FILES and "playbooks/site.yml" in FILES


@pytest.mark.parametrize("path", FILES)
def test_no_command_output_is_read_as_text(path):
    assert text_reads(path) == []


def test_the_check_finds_what_it_looks_for(tmp_path):
    # Each kind of text read that this collection had; a comment and JSON read are not text reads.
    samples = [
        "that: __kernel_source_tools.stdout_lines | length == 5",
        "changed_when: \"'written' in __electrode_services_recorded.stdout\"",
        "{{ __kernel_source_sums.stdout | regex_search('(?m)^([0-9a-f]{64})') }}",
        "{{ result.stdout.split()[0] }}",
        "# a comment: x.stdout_lines",
        "when: (x.stdout | from_json).ok",
    ]
    (tmp_path / "sample.yml").write_text("\n".join(samples) + "\n")
    assert [line.split(": ")[1] for line in text_reads("sample.yml", str(tmp_path))] == [
        "a command's output taken line by line", "a word looked for in a command's output",
        "a command's output searched or split by a pattern", "a command's output split or searched"]


def test_every_place_shown_as_is_is_still_there():
    for path, line in SHOWN_AS_IS:
        with open(os.path.join(ROOT, path)) as handle:
            assert line in [text.strip() for text in handle], (path, line)
