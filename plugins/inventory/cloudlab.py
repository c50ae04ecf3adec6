# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: cloudlab
short_description: An Electrode inventory from a CloudLab experiment manifest
version_added: 0.1.0
description:
  - Reads a CloudLab experiment's manifest (RSpec v3 XML, the portal's Manifest tab) and makes
    one host a node, named by its C(client_id), in the groups C(replicas) and C(clients) and in
    one group a hardware type (C(cloudlab_<type>)).
  - Sets C(ansible_host), C(ansible_user) and C(ansible_port) from the node's C(<login>) for
    O(user), and C(electrode_experiment_ip), C(electrode_experiment_mac) (lowercase, colons),
    C(electrode_experiment_subnet), C(cloudlab_node_id), C(cloudlab_hardware_type),
    C(cloudlab_aggregate) (the cluster that made the node) and C(cloudlab_public_ipv4) from the manifest.
  - Or asks the portal's XML-RPC API for the manifest of O(experiment), with the user's portal
    certificate.
  - The XML is read with defusedxml, which refuses DTDs and entity declarations.
  - A document is a manifest when one of its nodes has a C(sliver_id), a C(<login>) or a MAC
    address, whatever its root's C(type) says (manifests saved from the portal can keep
    C(type="request") there); a document without any of these is refused as a request RSpec.
  - The file's name must end in C(.cloudlab.yml) or C(.cloudlab.yaml).
extends_documentation_fragment:
  - ansible.builtin.constructed
requirements:
  - defusedxml
  - netaddr
options:
  plugin:
    description: The name of this plugin.
    required: true
    type: str
    choices: [electrode.cluster.cloudlab]
  manifest:
    description:
      - Path of the manifest XML file; a relative path is relative to this file's directory.
      - One of O(manifest) and O(experiment) is required.
    type: str
  experiment:
    description:
      - The experiment as C(project,name) (or its UUID), to fetch its manifests from the portal
        instead of reading O(manifest).
    type: str
  portal_url:
    description: The portal's XML-RPC endpoint.
    type: str
    default: https://boss.emulab.net:3069/usr/testbed
  portal_certificate:
    description: Your portal certificate and key in one PEM file (Download Credentials in the portal).
    type: path
    default: ~/.ssl/emulab.pem
  portal_certificate_password:
    description: The passphrase of the key in O(portal_certificate), if it has one.
    type: str
  portal_ca_certificate:
    description: CA certificate(s) to verify the portal with, instead of the system's.
    type: path
  portal_validate_certs:
    description: Verify the portal's certificate. Turn off only for a portal you reach over a trusted path.
    type: bool
    default: true
  portal_timeout:
    description: Seconds to wait for the portal.
    type: int
    default: 60
  user:
    description: The login to use, among the node's C(<login>) elements; default the local user.
    type: str
  f:
    description:
      - Failures to tolerate; the first 2f+1 nodes in manifest order are the replicas.
      - Default the largest f that leaves at least one client.
    type: int
  replicas:
    description: Node client_ids of the replicas, in replica index order (instead of O(f)).
    type: list
    elements: str
  clients:
    description: Node client_ids of the clients; default every node that is not a replica.
    type: list
    elements: str
  network:
    description:
      - The experiment network, as a link's C(client_id) (e.g. C(link-1)) or a subnet in CIDR form.
      - Default the only link whose interfaces have addresses.
    type: str
"""

EXAMPLES = r"""
---
# inventories/cloudlab/paxos.cloudlab.yml
plugin: electrode.cluster.cloudlab
manifest: manifest.xml
user: alice

---
# Five replicas (f=2) on a 6-node experiment, fetched from the portal
plugin: electrode.cluster.cloudlab
experiment: myproject,paxos-exp
user: alice
f: 2
network: link-1
"""

import getpass
import os

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Constructable

from ansible_collections.electrode.cluster.plugins.module_utils.cloudlab_manifest import (
    ManifestError,
    build_inventory,
    fetch_manifests,
    parse_manifest,
)


class InventoryModule(BaseInventoryPlugin, Constructable):
    NAME = "electrode.cluster.cloudlab"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith((".cloudlab.yml", ".cloudlab.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            result = self._build(path)
        except ManifestError as exc:
            raise AnsibleParserError("%s: %s" % (path, to_native(exc)))
        self._populate(result)

    def _manifests(self, path):
        manifest = self.get_option("manifest")
        experiment = self.get_option("experiment")
        if bool(manifest) == bool(experiment):
            raise ManifestError("set exactly one of the options manifest and experiment")
        if manifest:
            manifest = os.path.expanduser(manifest)
            if not os.path.isabs(manifest):
                manifest = os.path.join(os.path.dirname(path), manifest)
            try:
                with open(manifest, "rb") as handle:
                    return [(manifest, handle.read())]
            except (IOError, OSError) as exc:
                raise ManifestError("cannot read the manifest %s: %s" % (manifest, exc))
        texts = fetch_manifests(
            experiment,
            self.get_option("portal_url"),
            os.path.expanduser(self.get_option("portal_certificate")),
            password=self.get_option("portal_certificate_password"),
            ca_certificate=self.get_option("portal_ca_certificate"),
            validate_certs=self.get_option("portal_validate_certs"),
            timeout=self.get_option("portal_timeout"),
        )
        return [("the portal's manifest %d of experiment %s" % (n + 1, experiment), t) for n, t in enumerate(texts)]

    def _build(self, path):
        nodes, links = [], []
        for source, text in self._manifests(path):
            more_nodes, more_links = parse_manifest(text, source=source)
            nodes.extend(more_nodes)
            links.extend(more_links)
        user = self.get_option("user") or getpass.getuser()
        return build_inventory(
            nodes,
            links,
            user,
            f=self.get_option("f"),
            replicas=self.get_option("replicas"),
            clients=self.get_option("clients"),
            network=self.get_option("network"),
        )

    def _populate(self, result):
        strict = self.get_option("strict")
        for group in ("replicas", "clients"):
            self.inventory.add_group(group)
        # Replicas in index order: the group's order is the replica index for cluster_facts.
        for name in result["replicas"] + result["clients"]:
            variables = result["hosts"][name]
            self.inventory.add_host(name, group="replicas" if name in result["replicas"] else "clients")
            if variables.get("cloudlab_hardware_type"):
                group = self.inventory.add_group(self._sanitize_group_name("cloudlab_" + variables["cloudlab_hardware_type"]))
                self.inventory.add_child(group, name)
            for key, value in variables.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option("compose"), variables, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), variables, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), variables, name, strict=strict)
