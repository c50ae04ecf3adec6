# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A throwaway PKI for the portal tests: a CA, a server certificate for 127.0.0.1, a user's
certificate with an encrypted key (passphrase "sekrit"), and a stranger's self-signed one."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


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


def make_pki(directory):
    """Write ca.pem, server.pem, user.pem (key encrypted with "sekrit"), plain.pem (the user's
    certificate with an unencrypted key) and stranger.pem in ``directory``: name -> path."""
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
        "plain": _pem(user, user_key),
        "stranger": _pem(stranger, stranger_key),
    }
    paths = {}
    for name, data in files.items():
        path = directory / (name + ".pem")
        path.write_bytes(data)
        paths[name] = str(path)
    return paths
