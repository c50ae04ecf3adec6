# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cloudlab_experiment module against the portal stand-in (tests/portal/portal_standin.py:
TLS with a client certificate, the portal's calls and result codes) on loopback: starting across
hardware types, waiting, the manifest, extending, ending, check mode and bad inputs."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.electrode.cluster.plugins.modules import cloudlab_experiment

pytest.importorskip("cryptography")
from ansible_collections.electrode.cluster.tests.unit.plugins.pki import make_pki  # noqa: E402

STANDIN = os.path.join(os.path.dirname(__file__), "..", "..", "..", "portal", "portal_standin.py")
MANIFEST = os.path.join(os.path.dirname(__file__), "..", "inventory", "fixtures", "cloudlab-utah-m510-manifest.xml")


def _standin():
    spec = importlib.util.spec_from_file_location("portal_standin", STANDIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def portal(tmp_path, pki):
    config = tmp_path / "config.json"
    manifest = tmp_path / "manifest.xml"
    with open(MANIFEST) as handle:
        manifest.write_text(handle.read().replace('hardware_type name="m510"', 'hardware_type name="{hardware_type}"'))
    settings = {"profiles": ["proj,electrode-cluster"], "ready_after": 1, "manifest": str(manifest)}
    config.write_text(json.dumps(settings))
    server, state = _standin().serve(0, pki["server"], pki["ca"], str(config), str(tmp_path / "calls.jsonl"))

    def configure(**changes):
        settings.update(changes)
        config.write_text(json.dumps(settings))

    def calls():
        if not (tmp_path / "calls.jsonl").exists():
            return []
        with open(str(tmp_path / "calls.jsonl")) as handle:
            return [json.loads(line) for line in handle]

    try:
        yield {"url": "https://127.0.0.1:%d/usr/testbed" % server.server_address[1], "configure": configure,
               "calls": calls, "state": state, "dir": tmp_path}
    finally:
        server.shutdown()
        server.server_close()


def run(capsys, portal, pki, **args):
    base = {"project": "proj", "name": "paxos", "portal_url": portal["url"], "portal_certificate": pki["user"],
            "portal_certificate_password": "sekrit", "portal_ca_certificate": pki["ca"], "wait_interval": 0.01,
            "wait_timeout": 5}
    base.update(args)
    with patch_module_args(base):
        with pytest.raises(SystemExit):
            cloudlab_experiment.main()
    return json.loads(capsys.readouterr().out)


HARDWARE = [{"type": "c6525-100g", "cluster": "utah"}, {"type": "xl170", "cluster": "utah"}]


def test_starts_on_the_next_hardware_when_the_first_cannot_be_given_and_writes_the_manifest(capsys, portal, pki):
    portal["configure"](refuse_hardware=["c6525-100g"])
    dest = str(portal["dir"] / "inventory" / "manifest.xml")
    result = run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE, bindings={"replicas": 3},
                 duration=4, manifest_dest=dest)
    assert result["changed"] is True and result["status"] == "ready" and result["seconds_left"] > 3 * 3600
    assert [(a["type"], a["result"].split(":")[0]) for a in result["attempts"]] == [
        ("c6525-100g", "failed, terminated"), ("xl170", "ready")]
    assert "Insufficient free nodes of type c6525-100g" in result["attempts"][0]["result"]
    assert result["hardware"]["type"] == "xl170" and result["hardware"]["nic"].endswith("(mlx5)")
    with open(dest) as handle:
        assert 'hardware_type name="xl170"' in handle.read()
    starts = [c["params"] for c in portal["calls"]() if c["method"] == "startExperiment"]
    assert [json.loads(s["bindings"]) for s in starts] == [
        {"replicas": 3, "hardware_type": "c6525-100g"}, {"replicas": 3, "hardware_type": "xl170"}]
    assert starts[1]["aggregate"] == "urn:publicid:IDN+utah.cloudlab.us+authority+cm" and starts[1]["duration"] == "4"
    # Again: the experiment is there and ready, the manifest too: nothing changes.
    again = run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE, manifest_dest=dest)
    assert again["changed"] is False and again["attempts"] == []
    assert len([c for c in portal["calls"]() if c["method"] == "startExperiment"]) == 2


def test_a_start_that_fails_everywhere_leaves_nothing_behind(capsys, portal, pki):
    portal["configure"](fail_start=True)
    result = run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE)
    assert result["failed"] is True
    assert result["msg"].startswith("CloudLab could not give proj,paxos the nodes on any of cloudlab_hardware: c6525-100g at utah")
    assert result["msg"].endswith("No experiment is left behind (each failed start was terminated).")
    assert portal["state"].experiments == {}
    assert [c["method"] for c in portal["calls"]()].count("terminateExperiment") == 2


def test_an_experiment_about_to_expire_is_extended_or_the_refusal_said(capsys, portal, pki):
    portal["configure"](expires_in=600)
    run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE[1:])
    extended = run(capsys, portal, pki, min_remaining=1800, extend_hours=2)
    assert extended["extended"] is True and extended["changed"] is True and extended["seconds_left"] > 7000
    assert [c["params"] for c in portal["calls"]() if c["method"] == "extendExperiment"][0]["wanted"] == "2"
    portal["configure"](refuse_extension=True)
    refused = run(capsys, portal, pki, min_remaining=3 * 3600, extend_hours=2)
    assert refused["extended"] is False and refused.get("failed") is not True
    assert "refused" in refused["extension_refused"] and "administrator approval" in refused["extension_refused"]


def test_ending_and_ending_again(capsys, portal, pki):
    run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE[1:])
    ended = run(capsys, portal, pki, state="absent")
    assert ended["changed"] is True and ended["status"] == "terminated" and portal["state"].experiments == {}
    assert run(capsys, portal, pki, state="absent")["changed"] is False


def test_check_mode_starts_nothing(capsys, portal, pki):
    result = run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE, _ansible_check_mode=True)
    assert result["changed"] is True and result["status"] == "would start"
    assert [c["method"] for c in portal["calls"]()] == ["experimentStatus"]


@pytest.mark.parametrize("args, message", [
    ({"profile": "proj,nothing"}, "cloudlab_profile: the portal has no profile proj,nothing"),
    ({"hardware": [{"type": "m400"}]}, "cloudlab_hardware entry 1: m400 is aarch64"),
    ({"hardware": [{"type": "xl170"}, {"type": "t9000"}]}, "cloudlab_hardware entry 2: t9000 is not a hardware type"),
    ({"hardware": [{"cluster": "utah"}]}, "cloudlab_hardware entry 1 has no type"),
    ({"hardware": [{"type": "xl170", "cluster": "mars"}]}, "cluster mars is not a CloudLab cluster"),
    ({"extend_hours": 0}, "cloudlab_extend_hours must be from 1 to 168 hours"),
    ({"portal_certificate_password": None}, "holds an encrypted key: give its passphrase"),
    ({"portal_certificate": "/nonexistent/emulab.pem"}, "/nonexistent/emulab.pem does not exist"),
])
def test_bad_inputs_are_named_before_anything_starts(capsys, portal, pki, args, message):
    args = dict({"profile": "proj,electrode-cluster"}, **args)
    result = run(capsys, portal, pki, **args)
    assert result["failed"] is True and message in result["msg"], result["msg"]
    assert [c for c in portal["calls"]() if c["method"] == "startExperiment"] == [] or args["profile"] == "proj,nothing"
    assert portal["state"].experiments == {}


def test_a_certificate_it_did_not_issue_is_refused_by_the_portal(capsys, portal, pki):
    result = run(capsys, portal, pki, portal_certificate=pki["stranger"], portal_certificate_password=None,
                 profile="proj,electrode-cluster")
    assert result["failed"] is True and "did not answer portal.experimentStatus" in result["msg"]


def test_a_scripted_time_left_is_what_the_status_says_plus_the_extensions(capsys, portal, pki):
    portal["configure"](seconds_left=[7200, 7200, 300])
    run(capsys, portal, pki, profile="proj,electrode-cluster", hardware=HARDWARE[1:])
    assert 7000 < run(capsys, portal, pki)["seconds_left"] <= 7200
    extended = run(capsys, portal, pki, min_remaining=1800, extend_hours=1)
    assert extended["extended"] is True and 3500 < extended["seconds_left"] <= 3900
