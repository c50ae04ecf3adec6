# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudLab experiment manifests (RSpec v3) to an Electrode inventory.

Pure functions on the manifest text, shared by the cloudlab inventory plugin and its unit tests:
:func:`parse_manifest` reads nodes and links (with a parser that refuses DTDs and entities),
:func:`build_inventory` chooses the experiment network, the login and the replicas, and
:func:`fetch_manifests` asks the portal's XML-RPC API for an experiment's manifests.
Errors are ManifestError with sentences that name the node and what to change.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import ssl

try:
    from xmlrpc import client as xmlrpc_client
except ImportError:  # Python 2 is not supported by this collection; keeps sanity's import test quiet
    xmlrpc_client = None

try:
    from defusedxml import ElementTree as SafeElementTree
    from defusedxml.common import DefusedXmlException
except ImportError:
    SafeElementTree = None
    DefusedXmlException = Exception

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import (
    normalize_mac,
    parse_subnet,
)

try:
    import netaddr
except ImportError:
    netaddr = None

# emulab's XML-RPC server wants this version number as each call's first argument.
PORTAL_API_VERSION = 0.1
PORTAL_DEFAULT_URL = "https://boss.emulab.net:3069/usr/testbed"


class ManifestError(ValueError):
    pass


def _local(tag):
    """Element name without its namespace, so RSpec versions and extensions parse alike."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def parse_manifest(text, source="the manifest"):
    """Read the nodes and links of one RSpec manifest.

    A document is a manifest when one of its nodes has a sliver_id, a login or a MAC address,
    whatever its root's ``type`` says; otherwise it is refused as a request.

    :returns: ``(nodes, links)``. Each node: ``client_id``, ``sliver_id``, ``hardware_type``, ``public_ipv4``,
        ``host_name``, ``logins`` (dicts with ``username``, ``hostname``, ``port``) and
        ``interfaces`` (dicts with ``client_id``, ``mac``, ``address``, ``netmask``). Each link:
        ``client_id`` and ``interfaces`` (interface client_ids). Unknown elements are ignored.
    """
    if SafeElementTree is None:
        raise ManifestError(
            "reading manifests needs the Python library defusedxml on the controller: "
            "pip install defusedxml (requirements.txt has it)"
        )
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    try:
        root = SafeElementTree.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ManifestError("%s declares a DTD or entities, which are refused: %s" % (source, exc.__class__.__name__))
    except SafeElementTree.ParseError as exc:
        raise ManifestError("%s is not well-formed XML: %s" % (source, exc))
    if _local(root.tag) != "rspec":
        raise ManifestError("%s is not an RSpec (its root element is <%s>)" % (source, _local(root.tag)))
    nodes = []
    for element in _children(root, "node"):
        client_id = element.get("client_id")
        if not client_id:
            raise ManifestError("%s has a <node> without a client_id" % source)
        hardware = _children(element, "hardware_type")
        host = _children(element, "host")
        logins = []
        for services in _children(element, "services"):
            for login in _children(services, "login"):
                logins.append(
                    {
                        "username": login.get("username"),
                        "hostname": login.get("hostname"),
                        "port": int(login.get("port") or 22),
                    }
                )
        interfaces = []
        for iface in _children(element, "interface"):
            ips = _children(iface, "ip")
            interfaces.append(
                {
                    "client_id": iface.get("client_id"),
                    "mac": iface.get("mac_address"),
                    "address": ips[0].get("address") if ips else None,
                    "netmask": ips[0].get("netmask") if ips else None,
                }
            )
        nodes.append(
            {
                "client_id": client_id,
                "sliver_id": element.get("sliver_id"),
                "aggregate": element.get("component_manager_id"),
                "hardware_type": hardware[0].get("name") if hardware else None,
                "public_ipv4": host[0].get("ipv4") if host else None,
                "host_name": host[0].get("name") if host else None,
                "logins": logins,
                "interfaces": interfaces,
            }
        )
    if not nodes:
        raise ManifestError("%s has no <node>" % source)
    if not any(_made(node) for node in nodes):
        raise ManifestError(
            "%s is a request RSpec (a profile or a saved request), not an experiment's manifest: none of its nodes has "
            "a sliver_id, a <login> or a MAC address, which CloudLab adds when it makes the machines. Start the "
            "experiment, then use its manifest (the experiment page's \"Manifest\" tab, saved as the manifest option's "
            "file, or the portal API: set experiment and portal_certificate instead)" % source
        )
    links = []
    for element in _children(root, "link"):
        links.append(
            {
                "client_id": element.get("client_id"),
                "interfaces": [ref.get("client_id") for ref in _children(element, "interface_ref")],
            }
        )
    return nodes, links


def _made(node):
    """Whether a parsed node shows what only a manifest has: a sliver, a login or a MAC.

    The root's ``type`` attribute is not evidence: manifests saved from the portal can keep
    ``type="request"`` and the request schema there, and a request may already carry addresses.
    """
    return bool(node["sliver_id"] or node["logins"] or any(i["mac"] for i in node["interfaces"]))


def _experiment_interfaces(nodes, links, network):
    """Map node client_id -> its interface on the experiment network."""
    by_id = dict((n["client_id"], n) for n in nodes)
    chosen = {}
    if network:
        subnet = None
        if re.match(r"^[0-9.]+/[0-9]+$", network):
            subnet = parse_subnet(network)
        if subnet is not None:
            for node in nodes:
                found = [i for i in node["interfaces"] if i["address"] and netaddr.IPAddress(i["address"]) in subnet]
                if len(found) > 1:
                    raise ManifestError(
                        "%s has %d interfaces in %s: name the link in the network option instead"
                        % (node["client_id"], len(found), network)
                    )
                if found:
                    chosen[node["client_id"]] = found[0]
            if not chosen:
                raise ManifestError("no node has an interface in %s (the network option)" % network)
            return chosen
        link = [lk for lk in links if lk["client_id"] == network]
        if not link:
            raise ManifestError(
                "the manifest has no link %r (the network option); its links: %s"
                % (network, ", ".join(lk["client_id"] for lk in links) or "none")
            )
        members = set(link[0]["interfaces"])
    else:
        with_addresses = [
            lk
            for lk in links
            if any(i["client_id"] in lk["interfaces"] and i["address"] for n in nodes for i in n["interfaces"])
        ]
        if len(with_addresses) > 1:
            raise ManifestError(
                "the manifest has several links (%s): set the network option to the experiment "
                "link's name or its subnet" % ", ".join(lk["client_id"] for lk in with_addresses)
            )
        if with_addresses:
            members = set(with_addresses[0]["interfaces"])
        else:
            members = set(i["client_id"] for n in nodes for i in n["interfaces"])
    for node in nodes:
        found = [i for i in node["interfaces"] if i["client_id"] in members]
        if len(found) > 1:
            raise ManifestError(
                "%s has %d interfaces on the experiment network: set the network option" % (node["client_id"], len(found))
            )
        if found:
            chosen[node["client_id"]] = found[0]
    del by_id
    return chosen


def _largest_f(node_count):
    """The largest f whose 2f+1 replicas leave at least one client."""
    return (node_count - 2) // 2


def build_inventory(nodes, links, user, f=None, replicas=None, clients=None, network=None):
    """Choose replicas, clients, logins and experiment addresses.

    :returns: dict with ``hosts`` (client_id -> host variables, in manifest order), ``replicas``,
        ``clients`` (client_id lists) and ``f``.
    """
    if netaddr is None:
        raise ManifestError("electrode.cluster needs the Python library netaddr on the controller: pip install netaddr")
    names = [n["client_id"] for n in nodes]
    if len(set(names)) != len(names):
        raise ManifestError("the manifest names a node twice: %s" % ", ".join(sorted(set(n for n in names if names.count(n) > 1))))

    unknown = [n for n in list(replicas or []) + list(clients or []) if n not in names]
    if unknown:
        raise ManifestError(
            "the replicas/clients options name nodes the manifest does not have: %s (it has: %s)"
            % (", ".join(unknown), ", ".join(names))
        )
    if replicas:
        replicas = list(replicas)
        if f is not None and len(replicas) != 2 * int(f) + 1:
            raise ManifestError("f=%s needs %d replicas but the replicas option lists %d" % (f, 2 * int(f) + 1, len(replicas)))
    else:
        if f is None:
            f = _largest_f(len(names))
            if f < 1:
                raise ManifestError(
                    "the manifest has %d node(s): Electrode needs at least 4 (3 replicas and a client)" % len(names)
                )
        f = int(f)
        if f < 1 or 2 * f + 1 > len(names) - (0 if clients else 1):
            raise ManifestError(
                "f=%d needs %d replicas and a client, but the manifest has %d node(s)" % (f, 2 * f + 1, len(names))
            )
        pool = [n for n in names if n not in (clients or [])]
        replicas = pool[: 2 * f + 1]
    if len(replicas) < 3 or len(replicas) % 2 == 0:
        raise ManifestError("the replicas option lists %d node(s): Electrode needs an odd number, at least 3" % len(replicas))
    clients = list(clients) if clients else [n for n in names if n not in replicas]
    both = sorted(set(replicas) & set(clients))
    if both:
        raise ManifestError("%s in both the replicas and the clients options" % ", ".join(both))
    if not clients:
        raise ManifestError("no node is left for the client: list fewer replicas or more nodes")

    experiment = _experiment_interfaces(nodes, links, network)
    hosts = {}
    for node in nodes:
        name = node["client_id"]
        if name not in replicas and name not in clients:
            continue
        logins = [lg for lg in node["logins"] if lg["username"] == user]
        if not logins:
            raise ManifestError(
                "%s: no <login> for user %r (the manifest has: %s): set the user option"
                % (name, user, ", ".join(sorted(set(lg["username"] or "?" for lg in node["logins"]))) or "none")
            )
        iface = experiment.get(name)
        if iface is None:
            raise ManifestError("%s has no interface on the experiment network" % name)
        if not iface["address"]:
            raise ManifestError("%s: interface %s has no IP address in the manifest" % (name, iface["client_id"]))
        if not iface["mac"]:
            raise ManifestError("%s: interface %s has no mac_address in the manifest" % (name, iface["client_id"]))
        try:
            mac = normalize_mac(iface["mac"])
        except ValueError as exc:
            raise ManifestError("%s: interface %s: %s" % (name, iface["client_id"], exc))
        variables = {
            "ansible_host": logins[0]["hostname"],
            "ansible_user": user,
            "ansible_port": logins[0]["port"],
            "electrode_experiment_ip": iface["address"],
            "electrode_experiment_mac": mac,
            "cloudlab_node_id": name,
            "cloudlab_hardware_type": node["hardware_type"],
            "cloudlab_public_ipv4": node["public_ipv4"],
            "cloudlab_aggregate": node.get("aggregate"),
        }
        if iface["netmask"]:
            cidr = netaddr.IPNetwork("%s/%s" % (iface["address"], iface["netmask"])).cidr
            variables["electrode_experiment_subnet"] = str(cidr)
        hosts[name] = variables
    return {"hosts": hosts, "replicas": replicas, "clients": clients, "f": (len(replicas) - 1) // 2}


class _Transport(xmlrpc_client.SafeTransport if xmlrpc_client else object):
    """SafeTransport with a timeout."""

    def __init__(self, context, timeout):
        super(_Transport, self).__init__(context=context)
        self._timeout = timeout

    def make_connection(self, host):
        connection = super(_Transport, self).make_connection(host)
        connection.timeout = self._timeout
        return connection


def fetch_manifests(experiment, url, certificate, password=None, ca_certificate=None, validate_certs=True, timeout=60):
    """Ask the portal's XML-RPC API for an experiment's manifests (one per aggregate).

    Authenticates with the user's portal certificate (PEM with certificate and key, as
    downloaded from the portal). :returns: a list of manifest texts, sorted by aggregate.
    """
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_certificate)
    if not validate_certs:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        context.load_cert_chain(certificate, password=password)
    except (OSError, ssl.SSLError) as exc:
        raise ManifestError("cannot load the portal certificate %s: %s" % (certificate, exc))
    # str(): Ansible hands options over as str subclasses, which xmlrpc cannot marshal.
    proxy = xmlrpc_client.ServerProxy(str(url), transport=_Transport(context, timeout), allow_none=True)
    try:
        response = proxy.portal.experimentManifests(PORTAL_API_VERSION, {"experiment": str(experiment)})
    except (OSError, ssl.SSLError, xmlrpc_client.Error) as exc:
        raise ManifestError("the portal at %s did not answer for experiment %s: %s" % (url, experiment, exc))
    if not isinstance(response, dict) or "code" not in response:
        raise ManifestError("the portal at %s gave an answer of an unknown shape" % url)
    if response["code"] != 0:
        raise ManifestError(
            "the portal refused experimentManifests for %s (code %s): %s"
            % (experiment, response["code"], (response.get("output") or "").strip() or "no message")
        )
    value = response.get("value")
    try:
        manifests = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        raise ManifestError("the portal's manifests for %s are not JSON" % experiment)
    if not isinstance(manifests, dict) or not manifests:
        raise ManifestError("the portal returned no manifest for %s" % experiment)
    return [manifests[key] for key in sorted(manifests)]
