# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CloudLab profile (roles/cloudlab/files/profile.py) run under a small stand-in of the
geni-lib interface it uses (PyPI's geni-lib is Python 2 code): the nodes, hardware type, image,
LAN and addresses it requests, and the parameters it refuses."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
import types

import pytest

PROFILE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "roles", "cloudlab", "files", "profile.py")


class ParameterError(Exception):
    def __init__(self, message, names):
        super(ParameterError, self).__init__(message)
        self.names = names


class Node(object):
    def __init__(self, name):
        self.name, self.hardware_type, self.disk_image, self.interfaces = name, None, None, []

    def addInterface(self, name):  # noqa: N802 (geni-lib's names)
        interface = types.SimpleNamespace(name="%s:%s" % (self.name, name), addresses=[])
        interface.addAddress = interface.addresses.append
        self.interfaces.append(interface)
        return interface


class Request(object):
    def __init__(self):
        self.nodes, self.lans = [], []

    def RawPC(self, name):  # noqa: N802
        self.nodes.append(Node(name))
        return self.nodes[-1]

    def LAN(self, name):  # noqa: N802
        lan = types.SimpleNamespace(name=name, interfaces=[])
        lan.addInterface = lan.interfaces.append
        self.lans.append(lan)
        return lan


def run_profile(bindings):
    """The profile's request for ``bindings`` (parameter -> value), or the errors it reported."""
    state = {"defaults": {}, "errors": [], "printed": None}

    class Context(object):
        def defineParameter(self, name, description, kind, default, *args, **kwargs):  # noqa: N802
            state["defaults"][name] = default

        def bindParameters(self):  # noqa: N802
            values = dict(state["defaults"], **bindings)
            return types.SimpleNamespace(**values)

        def reportError(self, error):  # noqa: N802
            state["errors"].append(error)

        def verifyParameters(self):  # noqa: N802
            if state["errors"]:
                raise SystemExit("parameter errors")

        def makeRequestRSpec(self):  # noqa: N802
            return Request()

        def printRequestRSpec(self, request):  # noqa: N802
            state["printed"] = request

    geni = types.ModuleType("geni")
    portal = types.ModuleType("geni.portal")
    portal.Context, portal.ParameterError = Context, ParameterError
    portal.ParameterType = types.SimpleNamespace(INTEGER="integer", NODETYPE="nodetype", IMAGE="image", STRING="string")
    rspec = types.ModuleType("geni.rspec")
    pg = types.ModuleType("geni.rspec.pg")
    pg.IPv4Address = lambda address, netmask: (address, netmask)
    geni.portal, geni.rspec, rspec.pg = portal, rspec, pg
    saved = dict((k, sys.modules.get(k)) for k in ("geni", "geni.portal", "geni.rspec", "geni.rspec.pg"))
    sys.modules.update({"geni": geni, "geni.portal": portal, "geni.rspec": rspec, "geni.rspec.pg": pg})
    with open(PROFILE) as handle:
        code = compile(handle.read(), PROFILE, "exec")
    try:
        # The portal runs the profile this way.
        exec(code, {"__name__": "__main__", "__file__": PROFILE})  # pylint: disable=exec-used
    except SystemExit:
        pass
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return state


def test_the_default_request_is_three_replicas_and_a_client_on_one_lan():
    state = run_profile({})
    request = state["printed"]
    assert state["errors"] == [] and [n.name for n in request.nodes] == ["node0", "node1", "node2", "node3"]
    assert set(n.hardware_type for n in request.nodes) == {"xl170"}
    assert set(n.disk_image for n in request.nodes) == {"urn:publicid:IDN+emulab.net+image+emulab-ops//UBUNTU22-64-STD"}
    assert len(request.lans) == 1 and [i.name for i in request.lans[0].interfaces] == [
        "node0:if1", "node1:if1", "node2:if1", "node3:if1"]
    assert [n.interfaces[0].addresses for n in request.nodes] == [
        [("10.10.1.%d" % k, "255.255.255.0")] for k in (1, 2, 3, 4)]


def test_five_replicas_two_clients_of_another_type():
    request = run_profile({"replicas": 5, "clients": 2, "hardware_type": "c6525-100g"})["printed"]
    assert len(request.nodes) == 7 and set(n.hardware_type for n in request.nodes) == {"c6525-100g"}
    assert request.nodes[-1].interfaces[0].addresses == [("10.10.1.7", "255.255.255.0")]


@pytest.mark.parametrize("bindings, names", [
    ({"replicas": 4}, ["replicas"]), ({"replicas": 1}, ["replicas"]), ({"clients": 0}, ["clients"]),
    ({"replicas": 251, "clients": 3}, ["replicas", "clients"]),
])
def test_bad_parameters_are_reported_and_nothing_is_requested(bindings, names):
    state = run_profile(bindings)
    assert state["printed"] is None and [e.names for e in state["errors"]] == [names]
