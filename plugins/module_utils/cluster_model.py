# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Electrode cluster model: which host is replica number i, with which address, MAC and
interface, and the cluster-wide numbers (f, CLUSTER_SIZE = 2f+1).

Everything here is pure Python on plain data so that filters, the inventory plugin and unit
tests share one implementation. Functions report problems as sentences that name the host and
the inventory variable to fix, instead of raising on the first one, so that a user sees every
mistake of an inventory at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    import netaddr
except ImportError:  # reported when a function needs it, with what to install
    netaddr = None


class MissingNetaddr(ValueError):
    pass


def _need_netaddr():
    if netaddr is None:
        raise MissingNetaddr(
            "electrode.cluster needs the Python library netaddr on the controller: "
            "pip install netaddr (requirements.txt has it)"
        )


# Upstream handlers and replicas use this UDP port; it is compiled in, not configurable.
ELECTRODE_PORT = 12345


# The spellings of a 48-bit MAC that people and tools write: colons or dashes between bytes,
# Cisco dots between 16-bit groups, or bare hex as CloudLab manifests write it. netaddr alone
# is too lenient (it reads "02:a0:c9" as a MAC), so the shape is checked first.
_MAC_SHAPES = (
    re.compile(r"^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$"),
    re.compile(r"^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$"),
    re.compile(r"^[0-9a-f]{12}$"),
)


def normalize_mac(value):
    """Return ``value`` as a lowercase colon-separated MAC (``02:a0:c9:00:01:01``).

    Raises ValueError with the offending value when it is not a MAC address.
    """
    _need_netaddr()
    text = value.strip().lower() if isinstance(value, str) else None
    if not text or not any(shape.match(text) for shape in _MAC_SHAPES):
        raise ValueError("%r is not a MAC address" % (value,))
    mac = netaddr.EUI(int(re.sub(r"[^0-9a-f]", "", text), 16), version=48, dialect=netaddr.mac_unix_expanded)
    return str(mac)


def parse_subnet(value):
    """Return a netaddr.IPNetwork for an IPv4 CIDR string, or raise ValueError."""
    _need_netaddr()
    try:
        network = netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise ValueError("%r is not an IPv4 subnet in CIDR form (e.g. 10.10.1.0/24)" % (value,))
    if network.version != 4 or "/" not in str(value):
        raise ValueError("%r is not an IPv4 subnet in CIDR form (e.g. 10.10.1.0/24)" % (value,))
    return network


def _interface_addresses(iface_facts):
    """Yield the IPv4 addresses of one interface's facts, primary first."""
    primary = iface_facts.get("ipv4") or {}
    if primary.get("address"):
        yield primary["address"]
    for secondary in iface_facts.get("ipv4_secondaries") or []:
        if secondary.get("address"):
            yield secondary["address"]


def experiment_interface(facts, subnet=None, address=None, interface=None, mac=None, host="this host"):
    """Find the experiment interface of one host in its gathered facts.

    :arg facts: the host's ``ansible_facts`` (network subset).
    :arg subnet: the experiment subnet (``electrode_experiment_subnet``), CIDR.
    :arg address: the host's experiment IP if the inventory gives it (``electrode_experiment_ip``).
    :arg interface: an interface name the inventory pins (``electrode_experiment_interface``).
    :arg mac: the MAC the inventory expects (``electrode_experiment_mac``, e.g. from a manifest).
    :returns: dict with ``interface``, ``address``, ``mac``, ``mtu`` and ``problems`` (a list of
        sentences; empty when the host is usable).
    """
    _need_netaddr()
    result = {"interface": None, "address": None, "mac": None, "mtu": None, "problems": []}
    problems = result["problems"]
    facts = facts or {}

    network = None
    if subnet not in (None, ""):
        try:
            network = parse_subnet(subnet)
        except ValueError as exc:
            problems.append("%s: electrode_experiment_subnet: %s." % (host, exc))
            return result
    if address not in (None, ""):
        try:
            netaddr.IPAddress(address, 4)
        except (netaddr.AddrFormatError, TypeError, ValueError):
            problems.append("%s: electrode_experiment_ip %r is not an IPv4 address." % (host, address))
            return result
        if network is not None and netaddr.IPAddress(address) not in network:
            problems.append(
                "%s: electrode_experiment_ip %s is outside electrode_experiment_subnet %s: fix one of them."
                % (host, address, network.cidr)
            )
            return result
    elif network is None:
        problems.append(
            "%s: neither electrode_experiment_ip nor electrode_experiment_subnet is set: set the "
            "experiment subnet for the group (e.g. electrode_experiment_subnet: 10.10.1.0/24)." % host
        )
        return result
    expected_mac = None
    if mac not in (None, ""):
        try:
            expected_mac = normalize_mac(mac)
        except ValueError as exc:
            problems.append("%s: electrode_experiment_mac: %s." % (host, exc))
            return result

    names = [name for name in facts.get("interfaces", []) if name != "lo"]
    if not names:
        problems.append(
            "%s: no network interfaces in the gathered facts: gather the 'network' subset before "
            "computing the cluster model." % host
        )
        return result

    def iface(name):
        return facts.get(name.replace("-", "_")) or facts.get(name) or {}

    if interface not in (None, ""):
        if interface not in names:
            problems.append(
                "%s: electrode_experiment_interface %r does not exist on the host (it has: %s)."
                % (host, interface, ", ".join(sorted(names)))
            )
            return result
        candidates = [interface]
    else:
        candidates = sorted(names)

    matches = []
    for name in candidates:
        for addr in _interface_addresses(iface(name)):
            if address not in (None, ""):
                if addr == address:
                    matches.append((name, addr))
            elif netaddr.IPAddress(addr) in network:
                matches.append((name, addr))
    if expected_mac is not None and len(matches) != 1:
        by_mac = [
            (name, next(iter(_interface_addresses(iface(name))), None))
            for name in candidates
            if _safe_mac(iface(name).get("macaddress")) == expected_mac
        ]
        if len(by_mac) == 1 and not matches:
            matches = by_mac

    wanted = address if address not in (None, "") else "an address in %s" % network.cidr
    if not matches:
        seen = ["%s %s" % (name, "/".join(_interface_addresses(iface(name))) or "(no IPv4)") for name in candidates]
        problems.append(
            "%s: no interface has %s (interfaces: %s): check electrode_experiment_ip / "
            "electrode_experiment_subnet for this host." % (host, wanted, "; ".join(seen))
        )
        return result
    if len(matches) > 1:
        problems.append(
            "%s: several interfaces have %s (%s): set electrode_experiment_interface for this host."
            % (host, wanted, ", ".join("%s %s" % m for m in matches))
        )
        return result

    name, addr = matches[0]
    facts_of = iface(name)
    found_mac = _safe_mac(facts_of.get("macaddress"))
    if found_mac is None:
        problems.append("%s: interface %s has no MAC address in the gathered facts." % (host, name))
        return result
    if expected_mac is not None and expected_mac != found_mac:
        problems.append(
            "%s: electrode_experiment_mac is %s but interface %s (%s) has MAC %s: the inventory "
            "describes another machine or NIC; fix electrode_experiment_mac or the address."
            % (host, expected_mac, name, addr, found_mac)
        )
        return result
    result.update(interface=name, address=addr, mac=found_mac, mtu=facts_of.get("mtu"))
    return result


def _safe_mac(value):
    try:
        return normalize_mac(value)
    except ValueError:
        return None


def cluster_model(nodes, replicas, clients, replica_group="replicas", client_group="clients", build_host=None):
    """Build the validated cluster model from per-host experiment interfaces.

    :arg nodes: mapping host -> dict with ``address``, ``mac``, ``interface`` (as returned by
        :func:`experiment_interface`) and optionally ``replica_index`` (the inventory's
        ``electrode_replica_index`` override).
    :arg replicas: replica host names in inventory order (the hosts of ``replica_group``).
    :arg clients: client host names (the hosts of ``client_group``).
    :arg replica_group: the inventory group the replicas come from, named in the problems.
    :arg client_group: the inventory group the clients come from, named in the problems.
    :arg build_host: the host that builds Electrode (``electrode_build_host``); default: the
        replica with index 0.
    :returns: dict with ``f``, ``cluster_size``, ``replicas`` (ordered by index), ``clients``,
        ``macs``, ``addresses``, ``port``, ``build_host`` and ``problems``.
    """
    replicas = list(replicas or [])
    clients = list(clients or [])
    problems = []
    model = {
        "f": None,
        "cluster_size": None,
        "port": ELECTRODE_PORT,
        "replicas": [],
        "clients": [],
        "macs": [],
        "addresses": [],
        "build_host": None,
        "problems": problems,
    }

    problems.extend(group_problems({replica_group: replicas, client_group: clients}, replica_group, client_group))

    missing = [h for h in replicas + clients if not (nodes.get(h) or {}).get("address")]
    for host in missing:
        problems.append("%s: no experiment interface was found for this host (see the problems above)." % host)

    indexes = _replica_indexes(nodes, replicas, problems)
    _uniqueness(nodes, replicas + clients, "address", "electrode_experiment_ip", problems)
    _uniqueness(nodes, replicas + clients, "mac", "electrode_experiment_mac", problems)
    if build_host not in (None, "") and build_host not in replicas + clients:
        problems.append(
            "electrode_build_host %r is neither a replica nor a client of this inventory: set it to one of %s, "
            "or leave it unset for the first replica." % (build_host, ", ".join(replicas + clients))
        )
    if problems:
        return model

    ordered = sorted(replicas, key=lambda h: indexes[h])
    for host in ordered:
        node = nodes[host]
        model["replicas"].append(
            {
                "host": host,
                "index": indexes[host],
                "address": node["address"],
                "mac": node["mac"],
                "interface": node["interface"],
            }
        )
    for host in clients:
        node = nodes[host]
        model["clients"].append(
            {"host": host, "address": node["address"], "mac": node["mac"], "interface": node["interface"]}
        )
    model["f"] = (len(replicas) - 1) // 2
    model["cluster_size"] = len(replicas)
    model["macs"] = [r["mac"] for r in model["replicas"]]
    model["addresses"] = [r["address"] for r in model["replicas"]]
    model["build_host"] = build_host or model["replicas"][0]["host"]
    return model


def group_problems(groups, replica_group="replicas", client_group="clients"):
    """The inventory's groups checked before any fact is gathered: an odd number of replicas,
    at least 3, at least one client, and no host in both groups. Names the groups as given."""
    replicas = list((groups or {}).get(replica_group) or [])
    clients = list((groups or {}).get(client_group) or [])
    problems = cluster_shape_problems(
        len(replicas),
        len(clients),
        "The inventory group '%s'" % replica_group,
        "The inventory group '%s'" % client_group,
    )
    for host in sorted(set(replicas) & set(clients)):
        problems.append(
            "%s is in both groups '%s' and '%s': put it in one of them." % (host, replica_group, client_group)
        )
    return problems


def cluster_model_from_hostvars(hostvars, groups, replica_group="replicas", client_group="clients"):
    """:func:`cluster_model` from Ansible's ``hostvars`` and ``groups``: each host's
    ``electrode_node`` (set by the experiment_interface step) and ``electrode_replica_index``."""
    replicas = list((groups or {}).get(replica_group) or [])
    clients = list((groups or {}).get(client_group) or [])
    nodes = {}
    build_hosts = []
    for host in replicas + clients:
        host_vars = hostvars[host] if host in hostvars else {}
        node = dict(host_vars.get("electrode_node") or {})
        node["replica_index"] = host_vars.get("electrode_replica_index")
        nodes[host] = node
        build_hosts.append(host_vars.get("electrode_build_host"))
    # A cluster-wide setting (group_vars/all): the first replica's value stands for all.
    return cluster_model(nodes, replicas, clients, replica_group, client_group, build_hosts[0] if build_hosts else None)


def cluster_shape_problems(replica_count, client_count, replicas_name, clients_name):
    """Electrode needs CLUSTER_SIZE = 2f+1 replicas with f >= 1, and a client for the benchmark.

    ``replicas_name`` and ``clients_name`` say where the counts come from (an inventory group,
    a lab variable), so that the sentences tell the user what to change.
    """
    problems = []
    if replica_count < 3 or replica_count % 2 == 0:
        problems.append(
            "%s gives %d replica(s): Electrode needs an odd number of replicas, at least 3 "
            "(2f+1: 3, 5, 7 ...)." % (replicas_name, replica_count)
        )
    if client_count < 1:
        problems.append("%s gives no client: add at least one host that runs the benchmark client." % clients_name)
    return problems


def _replica_indexes(nodes, replicas, problems):
    indexes = {}
    overrides = {}
    for position, host in enumerate(replicas):
        value = (nodes.get(host) or {}).get("replica_index")
        if value in (None, ""):
            indexes[host] = position
            continue
        try:
            number = int(value)
            if isinstance(value, bool) or str(number) != str(value).strip():
                raise ValueError
        except (TypeError, ValueError):
            problems.append("%s: electrode_replica_index %r is not a whole number." % (host, value))
            continue
        overrides[host] = number
    if overrides:
        if len(overrides) != len(replicas):
            unset = [h for h in replicas if h not in overrides]
            problems.append(
                "electrode_replica_index is set on %s but not on %s: set it on every replica or on none."
                % (", ".join(sorted(overrides)), ", ".join(unset))
            )
            return indexes
        wanted = set(range(len(replicas)))
        if set(overrides.values()) != wanted or len(set(overrides.values())) != len(replicas):
            problems.append(
                "electrode_replica_index must number the replicas 0..%d once each; got %s."
                % (len(replicas) - 1, ", ".join("%s=%s" % (h, overrides[h]) for h in replicas))
            )
            return indexes
        indexes = overrides
    return indexes


def _uniqueness(nodes, hosts, key, variable, problems):
    owners = {}
    for host in hosts:
        value = (nodes.get(host) or {}).get(key)
        if value:
            owners.setdefault(value, []).append(host)
    for value, owner in sorted(owners.items()):
        if len(owner) > 1:
            problems.append(
                "%s: %s %s is shared by several hosts: every node needs its own." % (", ".join(owner), variable, value)
            )
