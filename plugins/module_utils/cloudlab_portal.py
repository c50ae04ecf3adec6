# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CloudLab portal's XML-RPC API, with the user's portal certificate.

The portal (``https://boss.emulab.net:3069/usr/testbed`` by default) takes each call as
``module.method`` with two arguments, the API version (0.1) and a dict of parameters, and answers
{code, value, output}; code 0 is success. The calls used here, as the portal's own command-line
tools use them: ``portal.startExperiment`` (profile, proj, name; optional aggregate, duration,
bindings as a JSON string), ``portal.experimentStatus`` (asjson: the status as JSON in the
output), ``portal.experimentManifests`` (one manifest per aggregate, as JSON), and
``portal.extendExperiment`` (wanted hours, reason) and ``portal.terminateExperiment``.

:class:`Portal` raises :class:`PortalError` with the result code in plain words.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import ssl
import time

try:
    from xmlrpc import client as xmlrpc_client
except ImportError:  # Python 2 is not supported by this collection; keeps sanity's import test quiet
    xmlrpc_client = None

API_VERSION = 0.1
DEFAULT_URL = "https://boss.emulab.net:3069/usr/testbed"
# The portal's result codes (its API's documentation, and the codes its tools handle).
CODES = {
    0: "success",
    1: "bad arguments",
    2: "error",
    3: "forbidden (your certificate's user may not do this)",
    4: "bad API version",
    5: "server error",
    6: "too big",
    7: "refused",
    8: "timed out",
    12: "no such experiment (search failed)",
    17: "already exists",
}
NO_SUCH_EXPERIMENT = 12
ALREADY_EXISTS = 17
REFUSED = 7


# CloudLab's clusters by short name, and their aggregates (a full URN is taken as it is).
CLUSTERS = {
    "utah": "urn:publicid:IDN+utah.cloudlab.us+authority+cm",
    "wisc": "urn:publicid:IDN+wisc.cloudlab.us+authority+cm",
    "clemson": "urn:publicid:IDN+clemson.cloudlab.us+authority+cm",
    "umass": "urn:publicid:IDN+cloudlab.umass.edu+authority+cm",
    "apt": "urn:publicid:IDN+apt.emulab.net+authority+cm",
    "emulab": "urn:publicid:IDN+emulab.net+authority+cm",
}
# Hardware types the collection knows (CloudLab's hardware pages): their cluster, architecture and
# experiment NIC. Electrode's handler attaches XDP in driver mode, which these NICs' drivers have.
HARDWARE = {
    "c6525-100g": {"cluster": "utah", "arch": "x86_64", "nic": "ConnectX-5 100 GbE (mlx5)"},
    "c6525-25g": {"cluster": "utah", "arch": "x86_64", "nic": "ConnectX-5 25 GbE (mlx5)"},
    "d6515": {"cluster": "utah", "arch": "x86_64", "nic": "ConnectX-5 100 GbE (mlx5)"},
    "xl170": {"cluster": "utah", "arch": "x86_64", "nic": "ConnectX-4 Lx 25 GbE (mlx5)"},
    "m510": {"cluster": "utah", "arch": "x86_64", "nic": "ConnectX-3 10 GbE (mlx4)"},
    "m400": {"cluster": "utah", "arch": "aarch64", "nic": "ConnectX-3 10 GbE (mlx4)"},
    "c220g5": {"cluster": "wisc", "arch": "x86_64", "nic": "Intel X710 10 GbE (i40e)"},
    "c6320": {"cluster": "clemson", "arch": "x86_64", "nic": "Intel X710 10 GbE (i40e)"},
}
# Where the collection has been run end to end; others are refused before anything starts.
SUPPORTED_ARCHES = ("x86_64",)


def hardware_problems(entries):
    """Why a list of {type, cluster} cannot be tried, entry by entry (cloudlab_hardware)."""
    if not entries:
        return ["cloudlab_hardware is empty: list at least one hardware type, e.g. {type: xl170, cluster: utah}."]
    problems = []
    for position, entry in enumerate(entries, 1):
        kind = (entry or {}).get("type") if isinstance(entry, dict) else None
        cluster = (entry or {}).get("cluster") if isinstance(entry, dict) else None
        if not kind:
            problems.append("cloudlab_hardware entry %d has no type: give {type: <hardware type>, cluster: <cluster>}." % position)
            continue
        if kind not in HARDWARE:
            problems.append("cloudlab_hardware entry %d: %s is not a hardware type the collection knows (%s)." % (
                position, kind, ", ".join(sorted(HARDWARE))))
            continue
        if HARDWARE[kind]["arch"] not in SUPPORTED_ARCHES:
            problems.append(
                "cloudlab_hardware entry %d: %s is %s (%s): Electrode's build and the mainline kernel path are run and tested "
                "on x86_64 only; use an x86_64 type (%s)." % (
                    position, kind, HARDWARE[kind]["arch"], HARDWARE[kind]["nic"],
                    ", ".join(sorted(k for k, v in HARDWARE.items() if v["arch"] in SUPPORTED_ARCHES))))
        if cluster and cluster not in CLUSTERS and not str(cluster).startswith("urn:publicid:IDN+"):
            problems.append("cloudlab_hardware entry %d: cluster %s is not a CloudLab cluster (%s) or an aggregate URN." % (
                position, cluster, ", ".join(sorted(CLUSTERS))))
    return problems


def aggregate_of(entry):
    cluster = entry.get("cluster") or HARDWARE.get(entry.get("type"), {}).get("cluster")
    return CLUSTERS.get(cluster, cluster)


class PortalError(Exception):
    """A call the portal refused or that did not reach it; ``code`` is the portal's (None where
    it did not answer)."""

    def __init__(self, message, code=None, output=None):
        super(PortalError, self).__init__(message)
        self.code = code
        self.output = output


def describe(code):
    return CODES.get(code, "code %s" % code)


class _Transport(xmlrpc_client.SafeTransport if xmlrpc_client else object):
    """SafeTransport with a timeout."""

    def __init__(self, context, timeout):
        super(_Transport, self).__init__(context=context)
        self._timeout = timeout

    def make_connection(self, host):
        connection = super(_Transport, self).make_connection(host)
        connection.timeout = self._timeout
        return connection


def certificate_problem(certificate, password=None, password_variable="portal_certificate_password"):
    """Why the portal certificate file cannot be used, or None: missing, unreadable, not a
    certificate and key, or an encrypted key without its passphrase (``password_variable``)."""
    if not certificate:
        return "no portal certificate given"
    if not os.path.isfile(certificate):
        return "%s does not exist: download it from the portal (your name, Download Credentials)" % certificate
    try:
        with open(certificate) as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        return "%s cannot be read: %s" % (certificate, exc.strerror)
    if "BEGIN CERTIFICATE" not in text or "PRIVATE KEY" not in text:
        return "%s is not a portal certificate: it must hold a certificate and its private key (PEM)" % certificate
    if ("ENCRYPTED" in text) and not password:
        return ("%s holds an encrypted key: give its passphrase (your portal password) as %s"
                % (certificate, password_variable))
    return None


class Portal(object):
    """A connection to the portal's XML-RPC API as the user of ``certificate``."""

    def __init__(self, url=DEFAULT_URL, certificate=None, password=None, ca_certificate=None, validate_certs=True,
                 timeout=60):
        problem = certificate_problem(certificate, password)
        if problem:
            raise PortalError(problem)
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca_certificate)
        if not validate_certs:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            # A callable passphrase: OpenSSL never prompts on a terminal for an encrypted key.
            context.load_cert_chain(certificate, password=lambda: (password or "").encode("utf-8"))
        except (OSError, ssl.SSLError) as exc:
            raise PortalError("cannot load the portal certificate %s: %s%s" % (
                certificate, exc, " (is portal_certificate_password right?)" if password else ""))
        self.url = str(url)
        # str(): Ansible hands options over as str subclasses, which xmlrpc cannot marshal.
        self._proxy = xmlrpc_client.ServerProxy(self.url, transport=_Transport(context, timeout), allow_none=True)

    def call(self, method, params):
        """``portal.<method>`` with ``params``: the answer's value and output, or PortalError."""
        params = dict((str(k), v if not isinstance(v, str) else str(v)) for k, v in params.items() if v is not None)
        try:
            response = getattr(self._proxy.portal, method)(API_VERSION, params)
        except (OSError, ssl.SSLError, xmlrpc_client.Error) as exc:
            raise PortalError("the portal at %s did not answer portal.%s: %s" % (self.url, method, exc))
        if not isinstance(response, dict) or "code" not in response:
            raise PortalError("the portal at %s gave portal.%s an answer of an unknown shape" % (self.url, method))
        if response["code"] != 0:
            output = (response.get("output") or "").strip()
            detail = (" - " + output) if output else ""
            raise PortalError("the portal refused portal.%s: %s%s" % (method, describe(response["code"]), detail),
                              code=response["code"], output=output)
        return response.get("value"), response.get("output") or ""

    def status(self, experiment):
        """The experiment's status (status, expires, uuid, aggregate_status), or None where the
        portal has no such experiment."""
        try:
            value, output = self.call("experimentStatus", {"experiment": experiment, "asjson": 1})
        except PortalError as exc:
            if exc.code == NO_SUCH_EXPERIMENT:
                return None
            raise
        text = output if output.strip().startswith("{") else value
        try:
            return json.loads(text) if isinstance(text, str) else dict(text or {})
        except ValueError:
            raise PortalError("the portal's status of %s is not JSON: %s" % (experiment, (text or "")[:200]))

    def start(self, profile, project, name, aggregate=None, duration=None, bindings=None):
        params = {"profile": profile, "proj": project, "name": name, "aggregate": aggregate,
                  "duration": None if duration is None else str(duration),
                  "bindings": None if bindings is None else json.dumps(bindings, sort_keys=True)}
        return self.call("startExperiment", params)

    def manifests(self, experiment):
        """The experiment's manifests (one per aggregate), sorted by aggregate."""
        value, output = self.call("experimentManifests", {"experiment": experiment})
        try:
            manifests = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            raise PortalError("the portal's manifests for %s are not JSON" % experiment)
        if not isinstance(manifests, dict) or not manifests:
            raise PortalError("the portal returned no manifest for %s" % experiment)
        return [manifests[key] for key in sorted(manifests)]

    def extend(self, experiment, hours, reason):
        return self.call("extendExperiment", {"experiment": experiment, "wanted": str(int(hours)), "reason": reason})

    def terminate(self, experiment):
        return self.call("terminateExperiment", {"experiment": experiment})

    def wait(self, experiment, timeout, interval=10.0, clock=time.time, sleep=time.sleep, progress=None):
        """Poll the status until it is ready or failed, or ``timeout`` seconds pass: the last status."""
        deadline = clock() + timeout
        while True:
            status = self.status(experiment)
            if status is None:
                raise PortalError("the portal has no experiment %s any more" % experiment, code=NO_SUCH_EXPERIMENT)
            if progress is not None:
                progress(status)
            if status.get("status") in ("ready", "failed") or clock() >= deadline:
                return status
            sleep(interval)


def seconds_left(expires, now=None):
    """Seconds until ``expires`` (the portal's ISO 8601 time, e.g. 2026-12-04T20:00:00Z); None
    where it cannot be read."""
    import calendar

    if not expires:
        return None
    text = str(expires).strip().replace("Z", "")
    for pattern in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            when = calendar.timegm(time.strptime(text[:19], pattern))
            break
        except ValueError:
            when = None
    if when is None:
        return None
    return when - (time.time() if now is None else now)
