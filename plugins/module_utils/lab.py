# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local lab's rules: how its nodes are named, addressed and laid out on disk, and what the
lab may use on its host without cutting the host off from anything it reaches today.

Pure Python on plain data (the host's ``ip -j`` output, the text of resolver files, ``ss``
output), shared by the lab role's filters and the unit tests. Problems are sentences that name
the variable to change and say why.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import (
    cluster_shape_problems,
    parse_subnet,
)

try:
    import netaddr
except ImportError:  # cluster_model.parse_subnet says what to install
    netaddr = None


# The alias that marks a bridge as the lab's. There is one lab per host: every bridge with this
# alias is the lab's, the current one or one a previous run made under another name.
BRIDGE_ALIAS = "electrode-lab"

# Addresses a subnet needs besides the nodes: network, broadcast and the host's end of the bridge.
_RESERVED = 3


def node_paths(name, state_dir, run_dir):
    """Where one node lives on the host, and the process patterns that find its launcher and
    its systemd-nspawn (``pgrep --full`` regular expressions)."""
    node_dir = "%s/nodes/%s" % (state_dir.rstrip("/"), name)
    return {
        "name": name,
        "dir": node_dir,
        "root": node_dir + "/root",
        "upper": node_dir + "/upper",
        "work": node_dir + "/work",
        "launcher": node_dir + "/launcher.sh",
        "console": node_dir + "/console.log",
        "run_dir": "%s/%s" % (run_dir.rstrip("/"), name),
        "bpffs": "%s/%s/bpffs" % (run_dir.rstrip("/"), name),
        "veth": "vb-" + name,
        "launcher_pattern": "/bin/bash %s/launcher.sh" % node_dir,
        "nspawn_pattern": "systemd-nspawn .*--directory=%s/root " % node_dir,
    }


def lab_nodes(replica_count, client_count, subnet, state_dir, run_dir):
    """The lab's nodes, replicas first, then clients, with consecutive addresses from the start
    of the subnet and their paths on the host. Raises ValueError when they do not fit."""
    network = parse_subnet(subnet)
    replica_count, client_count = int(replica_count), int(client_count)
    total = replica_count + client_count
    room = max(network.size - _RESERVED, 0)
    if total > room:
        raise ValueError(
            "lab_subnet %s has room for %d node(s), and the lab has %d: use a larger lab_subnet."
            % (network.cidr, room, total)
        )
    nodes = []
    for number in range(total):
        is_replica = number < replica_count
        name = ("replica%d" % number) if is_replica else ("client%d" % (number - replica_count))
        node = node_paths(name, state_dir, run_dir)
        node.update(
            group="replicas" if is_replica else "clients",
            address=str(network.network + 1 + number),
            prefix=network.prefixlen,
        )
        nodes.append(node)
    return nodes


def lab_plan(subnet, replica_count, client_count, state_dir, run_dir):
    """Everything the lab role computes before it changes anything: the nodes, the host's
    address on the bridge (the subnet's last usable one), the bridge alias, and the problems
    with the settings (an empty list when the plan can be carried out)."""
    plan = {
        "nodes": [],
        "network": None,
        "prefix": None,
        "host_address": None,
        "bridge_alias": BRIDGE_ALIAS,
        "problems": [],
    }
    try:
        counts = int(replica_count), int(client_count)
    except (TypeError, ValueError):
        plan["problems"].append(
            "lab_replica_count=%r and lab_client_count=%r must be whole numbers." % (replica_count, client_count)
        )
        return plan
    plan["problems"].extend(cluster_shape_problems(counts[0], counts[1], "lab_replica_count", "lab_client_count"))
    try:
        network = parse_subnet(subnet)
    except ValueError as exc:
        plan["problems"].append("lab_subnet: %s." % exc)
        return plan
    plan.update(network=str(network.cidr), prefix=network.prefixlen)
    if network.size >= 4:
        plan["host_address"] = str(netaddr.IPAddress(network.last - 1))
    if plan["problems"]:
        return plan
    try:
        plan["nodes"] = lab_nodes(counts[0], counts[1], subnet, state_dir, run_dir)
    except ValueError as exc:
        plan["problems"].append(str(exc))
    return plan


def is_lab_bridge(link):
    """True for a bridge the lab made (``ip -j -d link`` entry)."""
    kind = (link.get("linkinfo") or {}).get("info_kind")
    return kind == "bridge" and link.get("ifalias") == BRIDGE_ALIAS


def resolver_addresses(text):
    """Name server addresses in the text of a resolver file: ``nameserver`` lines of
    resolv.conf (also systemd-resolved's and NetworkManager's upstream copies) and ``server=``
    lines of dnsmasq. Scope ids and ports are dropped; what is not an address is skipped."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith(("#", ";")):
            continue
        match = re.match(r"^nameserver\s+(\S+)", line)
        if match:
            candidate = match.group(1)
        else:
            match = re.match(r"^server\s*=\s*(?:/[^/]*/)*([^#@\s]+)", line)
            if not match:
                continue
            candidate = match.group(1)
        candidate = candidate.split("%", 1)[0]
        if _ip(candidate) is not None and candidate not in found:
            found.append(candidate)
    return found


def connection_peers(ss_output):
    """The (local, peer) IPv4 addresses of established connections in ``ss -Htun state
    established`` output (columns: netid, recv-q, send-q, local, peer). IPv4-mapped IPv6
    addresses count as IPv4."""
    pairs = []
    for line in (ss_output or "").splitlines():
        columns = line.split()
        if len(columns) < 5:
            continue
        local, peer = _endpoint_ip(columns[3]), _endpoint_ip(columns[4])
        if local is not None and peer is not None and (local, peer) not in pairs:
            pairs.append((local, peer))
    return pairs


def _endpoint_ip(endpoint):
    host = endpoint.rsplit(":", 1)[0] if ":" in endpoint else endpoint
    host = host.strip("[]").split("%", 1)[0]
    address = _ip(host)
    if address is None:
        return None
    if address.version == 6 and address.is_ipv4_mapped():
        address = address.ipv4()
    return str(address) if address.version == 4 else None


def _ip(text):
    try:
        return netaddr.IPAddress(text)
    except (netaddr.AddrFormatError, TypeError, ValueError):
        return None


def lab_network_problems(subnet, bridge, links, routes, nameservers=None, connections=None):
    """Check that the lab may use ``bridge`` and ``subnet`` on this host without cutting the
    host off from anything it reaches now.

    :arg links: the host's ``ip -j -d addr show`` output (parsed JSON).
    :arg routes: the host's ``ip -j route show table all`` output (parsed JSON).
    :arg nameservers: mapping of resolver file -> its text (see :func:`resolver_addresses`).
    :arg connections: ``ss -Htun state established`` output (see :func:`connection_peers`).
    :returns: a list of sentences, empty when the bridge name and the subnet are free, or the lab's.
    """
    problems = []
    try:
        network = parse_subnet(subnet)
    except ValueError as exc:
        return ["lab_subnet: %s." % exc]
    if not isinstance(bridge, str) or not 1 <= len(bridge) <= 15 or "/" in bridge or " " in bridge:
        return ["lab_bridge %r is not a valid interface name (1 to 15 characters, no '/' or spaces)." % (bridge,)]

    def taken(address, what):
        if _ip(address) is not None and netaddr.IPAddress(address) in network:
            problems.append(
                "lab_subnet %s contains %s, %s: the host would lose it behind the lab bridge; choose "
                "another lab_subnet." % (network.cidr, address, what)
            )

    lab_links = set()
    host_addresses = set()  # the host's own addresses, outside the lab's bridges
    for link in links or []:
        if is_lab_bridge(link):
            lab_links.add(link.get("ifname"))
    for link in links or []:
        if link.get("ifname") not in lab_links:
            host_addresses.update(i.get("local") for i in link.get("addr_info") or [])
    for link in links or []:
        name = link.get("ifname")
        if name == bridge and name not in lab_links:
            kind = ((link.get("linkinfo") or {}).get("info_kind")) or "device"
            problems.append(
                "lab_bridge %s already exists on this host and is not the lab's (%s%s): choose another "
                "lab_bridge." % (bridge, kind, ", alias %r" % link["ifalias"] if link.get("ifalias") else "")
            )
            continue
        if name in lab_links:
            continue
        for info in link.get("addr_info") or []:
            if info.get("family") != "inet":
                continue
            other = netaddr.IPNetwork("%s/%s" % (info.get("local"), info.get("prefixlen", 32)))
            if other.ip in network or network.ip in other.cidr:
                problems.append(
                    "lab_subnet %s overlaps %s/%s on the host's interface %s: choose another lab_subnet."
                    % (network.cidr, info.get("local"), info.get("prefixlen"), name)
                )
    for route in routes or []:
        if route.get("dev") in lab_links or route.get("type") in ("local", "broadcast"):
            continue
        gateways = [route.get("gateway")] + [hop.get("gateway") for hop in route.get("nexthops") or []]
        for gateway in [g for g in gateways if g]:
            taken(gateway, "the host's gateway for %s (dev %s)" % (route.get("dst", "?"), route.get("dev", "?")))
        dst = route.get("dst")
        if dst in (None, "default"):
            continue
        try:
            other = netaddr.IPNetwork(dst)
        except (netaddr.AddrFormatError, ValueError):
            continue
        if other.version == 4 and (other.first <= network.last and network.first <= other.last):
            problems.append(
                "lab_subnet %s overlaps the host's route to %s via %s: choose another lab_subnet."
                % (network.cidr, dst, route.get("dev") or route.get("gateway") or "?")
            )
    for path, text in sorted((nameservers or {}).items()):
        for address in resolver_addresses(text):
            taken(address, "a name server of the host (%s)" % path)
    for local, peer in connection_peers(connections):
        # From a lab bridge: the host talking to the lab's nodes. From an address the host no
        # longer has (a lab that was destroyed, with an ssh master still open): a dead socket.
        if local not in host_addresses:
            continue
        taken(peer, "the peer of an open connection of the host (from %s; e.g. the controller's ssh session)" % local)
    return sorted(set(problems))
