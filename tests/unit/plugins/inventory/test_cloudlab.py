# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin end to end: a *.cloudlab.yml file and a manifest on disk, parsed into a
real InventoryData; and the portal fetch against a local TLS XML-RPC server that requires a
client certificate, as the portal does."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import os
import ssl
import threading
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import pytest
from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.electrode.cluster.plugins.module_utils.cloudlab_manifest import ManifestError, fetch_manifests
from ansible_collections.electrode.cluster.tests.unit.plugins.inventory import manifests as m

cryptography = pytest.importorskip("cryptography")
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402


def load(tmp_path, config, manifest_text):
    (tmp_path / "manifest.xml").write_text(manifest_text)
    config_path = tmp_path / "exp.cloudlab.yml"
    config_path.write_text(config)
    plugin = inventory_loader.get("electrode.cluster.cloudlab")
    assert plugin.verify_file(str(config_path))
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(config_path), cache=False)
    return inventory


def test_groups_and_host_variables(tmp_path):
    inventory = load(tmp_path, "plugin: electrode.cluster.cloudlab\nmanifest: manifest.xml\nuser: bob\n", m.lan(4))
    groups = inventory.get_groups_dict()
    assert groups["replicas"] == ["node0", "node1", "node2"]
    assert groups["clients"] == ["node3"]
    assert groups["cloudlab_xl170"] == ["node0", "node1", "node2", "node3"]
    host = inventory.get_host("node2").get_vars()
    assert host["ansible_host"] == "hp003.example.cloudlab.us"
    assert host["ansible_user"] == "bob"
    assert host["electrode_experiment_mac"] == "02:a0:c9:00:01:03"
    assert host["electrode_experiment_subnet"] == "10.10.1.0/24"


def test_replicas_option_orders_the_group(tmp_path):
    config = "plugin: electrode.cluster.cloudlab\nmanifest: manifest.xml\nuser: alice\nreplicas: [node2, node0, node1]\n"
    assert load(tmp_path, config, m.lan(4)).get_groups_dict()["replicas"] == ["node2", "node0", "node1"]


def test_compose_and_keyed_groups(tmp_path):
    config = (
        "plugin: electrode.cluster.cloudlab\nmanifest: manifest.xml\nuser: alice\n"
        "compose:\n  public: cloudlab_public_ipv4\n"
        "keyed_groups:\n  - key: cloudlab_hardware_type\n    prefix: hw\n"
    )
    inventory = load(tmp_path, config, m.lan(4, hardware="c6525-25g"))
    assert inventory.get_host("node0").get_vars()["public"] == "198.51.100.11"
    assert "hw_c6525_25g" in inventory.get_groups_dict()


def test_errors_name_the_file_and_the_node(tmp_path):
    with pytest.raises(AnsibleParserError, match=r"exp.cloudlab.yml: node0: no <login> for user 'eve'"):
        load(tmp_path, "plugin: electrode.cluster.cloudlab\nmanifest: manifest.xml\nuser: eve\n", m.lan(4))


def test_manifest_and_experiment_are_exclusive(tmp_path):
    with pytest.raises(AnsibleParserError, match="set exactly one of the options manifest and experiment"):
        load(tmp_path, "plugin: electrode.cluster.cloudlab\nmanifest: manifest.xml\nexperiment: p,e\n", m.lan(4))


def test_other_file_names_are_not_ours(tmp_path):
    plugin = inventory_loader.get("electrode.cluster.cloudlab")
    other = tmp_path / "hosts.yml"
    other.write_text("plugin: electrode.cluster.cloudlab\n")
    assert not plugin.verify_file(str(other))


# --- the portal's XML-RPC API, faked on loopback -------------------------------------------

def _certificate(name, key, issuer_name, issuer_key, is_ca=False, san=None):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert, key=None, password=None):
    data = cert.public_bytes(serialization.Encoding.PEM)
    if key is not None:
        encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
        data += key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    return data


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    import ipaddress

    directory = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("test portal CA", ca_key, "test portal CA", ca_key, is_ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("localhost", server_key, "test portal CA", ca_key,
                          san=[x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    user_key = ec.generate_private_key(ec.SECP256R1())
    user = _certificate("alice", user_key, "test portal CA", ca_key)
    stranger_key = ec.generate_private_key(ec.SECP256R1())
    stranger = _certificate("mallory", stranger_key, "mallory", stranger_key)
    files = {
        "ca": _pem(ca),
        "server": _pem(server, server_key),
        "user": _pem(user, user_key, password=b"sekrit"),
        "stranger": _pem(stranger, stranger_key),
    }
    paths = {}
    for name, data in files.items():
        path = directory / (name + ".pem")
        path.write_bytes(data)
        paths[name] = str(path)
    return paths


@pytest.fixture
def portal(pki):
    """A TLS XML-RPC server on 127.0.0.1 that answers portal.experimentManifests."""
    calls = []

    def experiment_manifests(version, params):
        calls.append((version, params))
        if params.get("experiment") != "proj,paxos":
            return {"code": 12, "value": 0, "output": "No such experiment"}
        value = {"urn:publicid:IDN+example.cloudlab.us+authority+cm": m.lan(4)}
        return {"code": 0, "value": json.dumps(value), "output": ""}

    class Handler(SimpleXMLRPCRequestHandler):
        rpc_paths = ("/usr/testbed",)

    server = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=Handler, logRequests=False, allow_none=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=pki["ca"])
    context.load_cert_chain(pki["server"])
    context.verify_mode = ssl.CERT_REQUIRED
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.register_function(experiment_manifests, "portal.experimentManifests")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "https://127.0.0.1:%d/usr/testbed" % server.server_address[1], calls
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_with_the_user_certificate(pki, portal):
    url, calls = portal
    texts = fetch_manifests("proj,paxos", url, pki["user"], password="sekrit", ca_certificate=pki["ca"], timeout=10)
    assert texts == [m.lan(4)]
    assert calls == [(0.1, {"experiment": "proj,paxos"})]


def test_fetch_reports_the_portal_refusal(pki, portal):
    url, dummy = portal
    with pytest.raises(ManifestError, match=r"refused experimentManifests for proj,nope \(code 12\): No such experiment"):
        fetch_manifests("proj,nope", url, pki["user"], password="sekrit", ca_certificate=pki["ca"], timeout=10)


def test_fetch_rejects_a_portal_it_cannot_verify(pki, portal):
    url, dummy = portal
    with pytest.raises(ManifestError, match="did not answer"):
        fetch_manifests("proj,paxos", url, pki["user"], password="sekrit", timeout=10)


def test_the_portal_rejects_a_certificate_it_did_not_issue(pki, portal):
    url, calls = portal
    with pytest.raises(ManifestError, match="did not answer"):
        fetch_manifests("proj,paxos", url, pki["stranger"], ca_certificate=pki["ca"], timeout=10)
    assert calls == []


def test_fetch_needs_a_readable_certificate(tmp_path):
    with pytest.raises(ManifestError, match="cannot load the portal certificate"):
        fetch_manifests("proj,paxos", "https://127.0.0.1:9/", str(tmp_path / "missing.pem"))


def test_plugin_fetches_from_the_portal(tmp_path, pki, portal):
    url, dummy = portal
    config = (
        "plugin: electrode.cluster.cloudlab\nexperiment: proj,paxos\nuser: alice\n"
        "portal_url: %s\nportal_certificate: %s\nportal_certificate_password: sekrit\nportal_ca_certificate: %s\n"
        % (url, pki["user"], pki["ca"])
    )
    config_path = tmp_path / "portal.cloudlab.yml"
    config_path.write_text(config)
    plugin = inventory_loader.get("electrode.cluster.cloudlab")
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(config_path), cache=False)
    assert inventory.get_groups_dict()["replicas"] == ["node0", "node1", "node2"]
    assert os.path.exists(pki["ca"])
