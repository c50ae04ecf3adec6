# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""NIC settings: ethtool's coalescing, channel and ring output read into data, plans of what
to change (what is unsupported, what is out of range), and CPU lists for IRQ affinity.

Pure functions on text and plain data, so that the ethtool and irq_affinity modules and the unit
tests (on outputs recorded from real drivers) share one implementation. ethtool 6.1 has no JSON
output for -c/-l/-g on most drivers, so its text is read: ``name: value`` lines, ``n/a`` for what
the driver does not support.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# ethtool -C parameter names (as ethtool -c prints them, lowercased) that take on/off.
_BOOLEAN = ("adaptive-rx", "adaptive-tx", "cqe-mode-rx", "cqe-mode-tx")

COALESCE_PARAMETERS = _BOOLEAN + (
    "stats-block-usecs", "sample-interval", "pkt-rate-low", "pkt-rate-high",
    "rx-usecs", "rx-frames", "rx-usecs-irq", "rx-frames-irq",
    "tx-usecs", "tx-frames", "tx-usecs-irq", "tx-frames-irq",
    "rx-usecs-low", "rx-frames-low", "tx-usecs-low", "tx-frames-low",
    "rx-usecs-high", "rx-frames-high", "tx-usecs-high", "tx-frames-high",
)
CHANNEL_PARAMETERS = ("rx", "tx", "other", "combined")
RING_PARAMETERS = ("rx", "rx-mini", "rx-jumbo", "tx")

# What the -c output calls a few parameters that ethtool -C names otherwise.
_COALESCE_ALIASES = {"rx-frame-low": "rx-frames-low", "tx-frame-low": "tx-frames-low",
                     "rx-frame-high": "rx-frames-high", "tx-frame-high": "tx-frames-high"}


def _value(text):
    text = text.strip()
    if text in ("on", "off"):
        return text == "on"
    if re.match(r"^\d+$", text):
        return int(text)
    return None  # n/a, or something this version does not know


def parse_coalesce(text):
    """``ethtool -c IFACE`` output -> {parameter: int, bool or None (n/a)}."""
    values = {}
    for line in (text or "").splitlines():
        paired = re.match(r"^(Adaptive|CQE mode)\s+RX:\s*(\S+)\s+TX:\s*(\S+)", line.strip())
        if paired:
            prefix = "adaptive" if paired.group(1) == "Adaptive" else "cqe-mode"
            values[prefix + "-rx"] = _value(paired.group(2))
            values[prefix + "-tx"] = _value(paired.group(3))
            continue
        match = re.match(r"^([a-z][a-z-]*):\s*(\S*)\s*$", line.strip())
        if match:
            name = _COALESCE_ALIASES.get(match.group(1), match.group(1))
            if name in COALESCE_PARAMETERS:
                values[name] = _value(match.group(2))
    return values


def _parse_maximums_and_current(text, names):
    result = {"max": {}, "current": {}}
    section = None
    for line in (text or "").splitlines():
        stripped = line.strip()
        if stripped.startswith("Pre-set maximums"):
            section = "max"
            continue
        if stripped.startswith("Current hardware settings"):
            section = "current"
            continue
        match = re.match(r"^([A-Za-z][A-Za-z ]*?):\s*(\S+)\s*$", stripped)
        if section and match:
            name = match.group(1).lower().replace(" ", "-")
            if name in names:
                result[section][name] = _value(match.group(2))
    return result


def parse_channels(text):
    """``ethtool -l IFACE`` output -> {'max': {rx, tx, other, combined}, 'current': {...}}."""
    return _parse_maximums_and_current(text, CHANNEL_PARAMETERS)


def parse_ring(text):
    """``ethtool -g IFACE`` output -> {'max': {rx, rx-mini, rx-jumbo, tx}, 'current': {...}}."""
    return _parse_maximums_and_current(text, RING_PARAMETERS)


def parse_driver_info(text):
    """``ethtool -i IFACE`` output -> {driver, version, firmware_version, bus_info}; a field the
    driver leaves empty (a veth has no bus or firmware) is None."""
    wanted = {"driver": "driver", "version": "version", "firmware-version": "firmware_version", "bus-info": "bus_info"}
    info = dict((name, None) for name in wanted.values())
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in wanted:
            info[wanted[key.strip()]] = value.strip() or None
    return info


_READ_FLAGS = {"coalesce": ("-c", parse_coalesce), "channels": ("-l", parse_channels), "ring": ("-g", parse_ring)}


def read_settings(run_command, ethtool, name, categories=("coalesce", "channels", "ring")):
    """The interface's current settings per category, read with ``ethtool -c/-l/-g``.

    ``run_command`` is AnsibleModule.run_command (argv -> rc, out, err). A category the driver
    does not support at all ("Operation not supported", as coalescing on veth) is None. Returns
    (settings, error): error is the first failure that is not "not supported", else None.
    """
    settings = {}
    for category in categories:
        flag, parse = _READ_FLAGS[category]
        rc, out, err = run_command([ethtool, flag, name])
        if rc == 0:
            settings[category] = parse(out)
        elif "not supported" in (err + out).lower():
            settings[category] = None
        else:
            return settings, "ethtool %s %s failed: %s" % (flag, name, (err or out).strip())
    return settings, None


def option_name(key):
    """Module option keys use underscores (rx_usecs); ethtool uses dashes (rx-usecs)."""
    return key.replace("_", "-")


def plan_coalesce(current, wanted):
    """Compare wanted coalescing settings with the parsed current ones.

    :arg current: :func:`parse_coalesce` output, or None when the driver supports no coalescing
        (``ethtool -c`` failed with "Operation not supported").
    :returns: (changes {param: value}, unsupported [param], problems [sentence]).
    """
    changes, unsupported, problems = {}, [], []
    for key, value in sorted((wanted or {}).items()):
        if value is None:
            continue
        name = option_name(key)
        if name not in COALESCE_PARAMETERS:
            problems.append("coalesce: %r is not an ethtool coalescing parameter (known: %s)."
                            % (key, ", ".join(p.replace("-", "_") for p in COALESCE_PARAMETERS)))
            continue
        if name in _BOOLEAN and not isinstance(value, bool):
            problems.append("coalesce: %s takes true or false, not %r." % (key, value))
            continue
        if name not in _BOOLEAN and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            problems.append("coalesce: %s takes a whole number >= 0, not %r." % (key, value))
            continue
        if current is None or current.get(name) is None:
            unsupported.append(name)
        elif current[name] != value:
            changes[name] = value
    return changes, unsupported, problems


def plan_counts(kind, current, wanted, names):
    """Compare wanted channel or ring counts with :func:`parse_channels`/:func:`parse_ring` output.

    A count the driver reports as n/a is unsupported; one above the driver's pre-set maximum is a
    problem (bad input), named with the maximum.
    """
    changes, unsupported, problems = {}, [], []
    for key, value in sorted((wanted or {}).items()):
        if value is None:
            continue
        name = option_name(key)
        if name not in names:
            problems.append("%s: %r is not one of %s." % (kind, key, ", ".join(n.replace("-", "_") for n in names)))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append("%s: %s takes a whole number >= 0, not %r." % (kind, key, value))
            continue
        maximum = (current or {}).get("max", {}).get(name)
        now = (current or {}).get("current", {}).get(name)
        if current is None or now is None or maximum is None:
            unsupported.append(name)
        elif value > maximum:
            problems.append("%s: %s %d is above the NIC's maximum of %d." % (kind, key, value, maximum))
        elif now != value:
            changes[name] = value
    return changes, unsupported, problems


def ethtool_arguments(changes):
    """{param: value} -> ['param', 'value', ...] in a stable order, on/off for booleans."""
    arguments = []
    for name in sorted(changes):
        value = changes[name]
        arguments += [name, ("on" if value else "off") if isinstance(value, bool) else str(value)]
    return arguments


def parse_cpu_list(text):
    """A kernel CPU list ('0-3,8,10-11') -> sorted list of ints. Raises ValueError."""
    cpus = set()
    for part in str(text).strip().split(","):
        part = part.strip()
        match = re.match(r"^(\d+)(?:-(\d+))?$", part)
        if not match:
            raise ValueError("%r is not a CPU list (e.g. 0, 0-3 or 0,2-3)" % (text,))
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first:
            raise ValueError("%r is not a CPU list: %s runs backwards" % (text, part))
        cpus.update(range(first, last + 1))
    return sorted(cpus)


def format_cpu_list(cpus):
    """Sorted ints -> the kernel's compact form ('0-3,8')."""
    ranges, start, previous = [], None, None
    for cpu in sorted(set(cpus)):
        if start is None:
            start = previous = cpu
        elif cpu == previous + 1:
            previous = cpu
        else:
            ranges.append((start, previous))
            start = previous = cpu
    if start is not None:
        ranges.append((start, previous))
    return ",".join(str(a) if a == b else "%d-%d" % (a, b) for a, b in ranges)


def cpu_list_problems(cpus, online):
    """Problems of the CPU list ``cpus`` on a host whose online CPUs are ``online`` (both in the
    kernel's form); empty when every CPU of the list is online."""
    try:
        wanted = parse_cpu_list(cpus)
    except ValueError as exc:
        return ["cpus: %s." % exc]
    online_cpus = parse_cpu_list(online)
    outside = sorted(set(wanted) - set(online_cpus))
    if outside:
        return [
            "cpus %s names CPU(s) %s, outside this host's online CPUs %s."
            % (cpus, format_cpu_list(outside), format_cpu_list(online_cpus))
        ]
    return []
