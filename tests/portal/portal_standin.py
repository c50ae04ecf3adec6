# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in of the CloudLab portal's XML-RPC API, for tests: TLS on loopback that requires a
client certificate of its CA, the calls the collection makes (portal.startExperiment,
experimentStatus, experimentManifests, extendExperiment, terminateExperiment) with the portal's
result codes, and experiments that live in memory. Its experiment is whatever manifest it is
given: the molecule scenario gives it one of the local lab's real nodes (their MACs and
addresses), with type="request" on its root as manifests saved from the portal have.

Behaviour is set by a JSON config (re-read on every call, so a test can change it between calls):

- ``profiles``: the profiles that exist (``project,name``); others are code 12;
- ``refuse_hardware``: hardware types for which the start is accepted but the experiment fails
  (as CloudLab does when it cannot map the nodes: "insufficient free nodes");
- ``fail_start``: every start fails that way;
- ``ready_after``: status calls before a started experiment is ready;
- ``expires_in``: seconds from the start to the experiment's expiry;
- ``seconds_left``: instead, the seconds left that each status call of a ready experiment reports,
  in turn (the last one repeats), plus what extensions added: a run that meets an experiment
  about to expire, without waiting for it;
- ``refuse_extension``: extendExperiment answers code 7 (refused: needs an administrator);
- ``manifest``: a file whose text is the experiment's manifest once ready; ``{hardware_type}``
  in it becomes the type the start's bindings asked for.

Every call is appended to the ``calls`` file as a JSON line (method, params), for the tests.

    portal_standin.py --port PORT --cert SERVER.pem --ca CA.pem --config CONFIG.json --calls CALLS.jsonl
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import ssl
import threading
import time
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

AGGREGATE = "urn:publicid:IDN+standin.cloudlab.us+authority+cm"


def answer(code, value=0, output=""):
    return {"code": code, "value": value, "output": output}


class Portal(object):
    def __init__(self, config_path, calls_path, clock=time.time):
        self.config_path = config_path
        self.calls_path = calls_path
        self.clock = clock
        self.experiments = {}
        self.lock = threading.Lock()

    def config(self):
        with open(self.config_path) as handle:
            return json.load(handle)

    def log(self, method, params):
        if self.calls_path:
            with open(self.calls_path, "a") as handle:
                handle.write(json.dumps({"method": method, "params": params, "t": self.clock()}) + "\n")

    def _iso(self, when):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))

    def start(self, version, params):
        self.log("startExperiment", params)
        config = self.config()
        if version != 0.1:
            return answer(4, output="bad version")
        for needed in ("profile", "proj", "name"):
            if not params.get(needed):
                return answer(1, output="missing argument: %s" % needed)
        if params["profile"] not in config.get("profiles", []):
            return answer(12, output="No such profile: %s" % params["profile"])
        key = "%s,%s" % (params["proj"], params["name"])
        with self.lock:
            if key in self.experiments:
                return answer(17, output="Experiment %s already exists" % key)
            bindings = json.loads(params.get("bindings") or "{}")
            hardware = bindings.get("hardware_type")
            failed = config.get("fail_start") or hardware in config.get("refuse_hardware", [])
            self.experiments[key] = {
                "status": "failed" if failed else "provisioning",
                "polls": 0,
                "expires": self.clock() + float(config.get("expires_in", 16 * 3600)),
                "hardware": hardware,
                "ready_calls": 0,
                "extended": 0.0,
                "aggregate": params.get("aggregate") or AGGREGATE,
                "message": ("Insufficient free nodes of type %s on %s" % (hardware, params.get("aggregate") or AGGREGATE))
                if failed else "",
            }
        return answer(0, value=0, output="Experiment %s started" % key)

    def status(self, version, params):
        self.log("experimentStatus", params)
        with self.lock:
            experiment = self.experiments.get(params.get("experiment"))
            if experiment is None:
                return answer(12, output="No such experiment: %s" % params.get("experiment"))
            experiment["polls"] += 1
            config = self.config()
            if experiment["status"] == "provisioning" and experiment["polls"] > int(config.get("ready_after", 1)):
                experiment["status"] = "ready"
            if experiment["status"] == "ready" and config.get("seconds_left"):
                script = config["seconds_left"]
                left = float(script[min(experiment["ready_calls"], len(script) - 1)])
                experiment["expires"] = self.clock() + left + experiment["extended"]
                experiment["ready_calls"] += 1
            status = {"status": experiment["status"], "expires": self._iso(experiment["expires"]),
                      "uuid": "standin-%s" % params["experiment"].replace(",", "-"),
                      "url": "https://standin.invalid/status.php", "failure_message": experiment["message"],
                      "aggregate_status": {experiment["aggregate"]: {"status": experiment["status"], "nodes": {}}}}
        if params.get("asjson"):
            return answer(0, value=0, output=json.dumps(status))
        return answer(0, value=0, output="Status: %s\nExpires: %s\n" % (status["status"], status["expires"]))

    def manifests(self, version, params):
        self.log("experimentManifests", params)
        with self.lock:
            experiment = self.experiments.get(params.get("experiment"))
            if experiment is None:
                return answer(12, output="No such experiment: %s" % params.get("experiment"))
            if experiment["status"] != "ready":
                return answer(2, output="Experiment is not ready (%s)" % experiment["status"])
            with open(self.config()["manifest"]) as handle:
                text = handle.read().replace("{hardware_type}", experiment["hardware"] or "m510")
            return answer(0, value=json.dumps({experiment["aggregate"]: text}))

    def extend(self, version, params):
        self.log("extendExperiment", params)
        config = self.config()
        with self.lock:
            experiment = self.experiments.get(params.get("experiment"))
            if experiment is None:
                return answer(12, output="No such experiment: %s" % params.get("experiment"))
            if config.get("refuse_extension"):
                return answer(7, output="Your extension request requires administrator approval")
            experiment["expires"] += 3600 * float(params.get("wanted") or 0)
            experiment["extended"] += 3600 * float(params.get("wanted") or 0)
            return answer(0, output="Extended until %s" % self._iso(experiment["expires"]))

    def terminate(self, version, params):
        self.log("terminateExperiment", params)
        with self.lock:
            if self.experiments.pop(params.get("experiment"), None) is None:
                return answer(12, output="No such experiment: %s" % params.get("experiment"))
        return answer(0, output="Experiment %s terminated" % params.get("experiment"))


class _Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/usr/testbed",)


def serve(port, cert, ca, config, calls, host="127.0.0.1"):
    """A running stand-in (its server thread started): (server, portal)."""
    server = SimpleXMLRPCServer((host, port), requestHandler=_Handler, logRequests=False, allow_none=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=ca)
    context.load_cert_chain(cert)
    context.verify_mode = ssl.CERT_REQUIRED
    server.socket = context.wrap_socket(server.socket, server_side=True)
    portal = Portal(config, calls)
    for name, function in (("startExperiment", portal.start), ("experimentStatus", portal.status),
                           ("experimentManifests", portal.manifests), ("extendExperiment", portal.extend),
                           ("terminateExperiment", portal.terminate)):
        server.register_function(function, "portal." + name)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, portal


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True, help="the server's certificate and key (PEM)")
    parser.add_argument("--ca", required=True, help="the CA whose client certificates are accepted")
    parser.add_argument("--config", required=True)
    parser.add_argument("--calls", required=True)
    args = parser.parse_args()
    server, dummy = serve(args.port, args.cert, args.ca, args.config, args.calls)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
