#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: cloudlab_experiment
version_added: 0.1.0
short_description: Start, extend and end a CloudLab experiment through the portal's API
description:
  - Talks to the CloudLab portal's XML-RPC API with the user's portal certificate (the channel the
    C(electrode.cluster.cloudlab) inventory plugin's C(experiment) option uses). Run it on the
    controller (C(delegate_to) localhost).
  - With O(state=present), an experiment named O(project),O(name) that exists is kept (and
    waited for, extended, its manifest written); one that does not is started from O(profile)
    with O(bindings), trying each entry of O(hardware) in turn - its type as the binding
    O(hardware_binding) and its cluster as the aggregate. An entry whose start the portal refuses
    or whose experiment fails (CloudLab cannot give the nodes) is terminated, and the next is tried;
    RV(attempts) says what happened to each and RV(hardware) which one runs.
  - It waits up to O(wait_timeout) seconds for the experiment to be ready, then writes its
    manifest to O(manifest_dest). A start that fails or times out leaves no experiment behind,
    for it is terminated, and the message says so.
  - With O(min_remaining), an experiment with less time left than that is extended by
    O(extend_hours); a refusal is reported (RV(extension_refused)), not a failure, so that the
    caller can stop with its results written.
  - With O(state=absent), the experiment is terminated where it exists.
  - Hardware types are checked before anything starts (known types, x86_64 only).
options:
  state:
    description: Whether the experiment should exist.
    type: str
    choices: [present, absent]
    default: present
  project:
    description: The CloudLab project.
    type: str
    required: true
  name:
    description: The experiment's name in the project.
    type: str
    required: true
  profile:
    description: The profile to start from, as C(project,name) or its UUID; required to start.
    type: str
  bindings:
    description: The profile's parameters (name to value); each hardware entry's type is added as O(hardware_binding).
    type: dict
    default: {}
  hardware:
    description:
      - The hardware types to try, in order, each C(type) and optionally C(cluster) (C(utah), C(wisc),
        C(clemson), C(umass), C(apt), C(emulab) or an aggregate URN; default the type's own cluster).
    type: list
    elements: dict
    default: []
  hardware_binding:
    description: The profile parameter that takes the hardware type.
    type: str
    default: hardware_type
  duration:
    description: Hours the experiment runs before it expires, when it is started.
    type: int
  wait_timeout:
    description: Seconds to wait for a started experiment to be ready (0 returns at once).
    type: int
    default: 1800
  wait_interval:
    description: Seconds between two status calls while waiting.
    type: float
    default: 15
  manifest_dest:
    description: Where to write the ready experiment's manifest (the first aggregate's), for the inventory plugin.
    type: path
  min_remaining:
    description: Extend an experiment with less time left than this many seconds.
    type: int
  extend_hours:
    description: Hours to ask for when extending (the portal may refuse, or ask an administrator).
    type: int
    default: 4
  extend_reason:
    description: The reason given with an extension request.
    type: str
    default: An Electrode benchmark (electrode.cluster) is running on these nodes.
  portal_url:
    description: The portal's XML-RPC endpoint.
    type: str
    default: https://boss.emulab.net:3069/usr/testbed
  portal_certificate:
    description: Your portal certificate and key in one PEM file (Download Credentials in the portal).
    type: path
    default: ~/.ssl/emulab.pem
  portal_certificate_password:
    description: The passphrase of the key in O(portal_certificate) (your portal password), if it is encrypted.
    type: str
  portal_ca_certificate:
    description: CA certificate(s) to verify the portal with, instead of the system's.
    type: path
  portal_validate_certs:
    description: Verify the portal's certificate.
    type: bool
    default: true
  portal_timeout:
    description: Seconds to wait for one answer of the portal.
    type: int
    default: 60
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the experiment's status; starts, extends and terminates nothing.
  diff_mode:
    support: none
  platform:
    platforms: posix
requirements:
  - Python 3 with the ssl and xmlrpc modules (the standard library).
author:
  - electrode.cluster contributors (@electrode-cluster)
"""

EXAMPLES = r"""
- name: Start (or find) the experiment, on the first hardware CloudLab can give
  electrode.cluster.cloudlab_experiment:
    project: myproject
    name: paxos
    profile: myproject,electrode-cluster
    bindings: {replicas: 3, clients: 1}
    hardware:
      - {type: c6525-100g, cluster: utah}
      - {type: xl170, cluster: utah}
    duration: 8
    manifest_dest: "{{ playbook_dir }}/../inventories/cloudlab-run/manifest.xml"
  delegate_to: localhost
  register: experiment

- name: Extend it when less than 30 minutes are left
  electrode.cluster.cloudlab_experiment:
    project: myproject
    name: paxos
    min_remaining: 1800
    extend_hours: 4
  delegate_to: localhost

- name: End it
  electrode.cluster.cloudlab_experiment:
    project: myproject
    name: paxos
    state: absent
  delegate_to: localhost
"""

RETURN = r"""
experiment:
  description: The experiment, as C(project,name).
  returned: always
  type: str
  sample: myproject,paxos
status:
  description: Its status on the portal (C(ready), C(provisioning), C(failed)), or C(absent).
  returned: always
  type: str
expires:
  description: When it expires (the portal's time), where it exists.
  returned: always
  type: str
  sample: "2026-12-05T04:00:00Z"
seconds_left:
  description: Seconds until it expires, where known.
  returned: always
  type: float
hardware:
  description: The hardware entry the experiment runs on (type, cluster, aggregate, arch, nic), where this run started it.
  returned: always
  type: dict
attempts:
  description: Each hardware entry tried by this run, with what came of it.
  returned: always
  type: list
  elements: dict
  sample: [{"type": "c6525-100g", "cluster": "utah", "result": "failed: Insufficient free nodes of type c6525-100g"},
           {"type": "xl170", "cluster": "utah", "result": "ready"}]
manifest:
  description: The manifest file written, where O(manifest_dest) is set and the experiment is ready.
  returned: always
  type: str
extended:
  description: Whether this run extended the experiment.
  returned: always
  type: bool
extension_refused:
  description: The portal's answer where it refused an extension, else null.
  returned: always
  type: str
"""

import os
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.electrode.cluster.plugins.module_utils.cloudlab_portal import (
    ALREADY_EXISTS,
    HARDWARE,
    NO_SUCH_EXPERIMENT,
    Portal,
    PortalError,
    aggregate_of,
    hardware_problems,
    seconds_left,
)


def _write(path, text):
    """Write ``text`` to ``path`` when it differs; whether it did."""
    try:
        with open(path) as handle:
            if handle.read() == text:
                return False
    except (IOError, OSError):
        pass
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        os.makedirs(folder)
    with open(path + ".tmp", "w") as handle:
        handle.write(text)
    os.rename(path + ".tmp", path)
    return True


def _start(module, portal, experiment, attempts):
    """Try each hardware entry in turn: the status of the first experiment that gets ready."""
    params = module.params
    for entry in params["hardware"] or [{}]:
        bindings = dict(params["bindings"] or {})
        if entry.get("type"):
            bindings[params["hardware_binding"]] = entry["type"]
        attempt = {"type": entry.get("type"), "cluster": entry.get("cluster") or HARDWARE.get(entry.get("type"), {}).get("cluster")}
        attempts.append(attempt)
        try:
            portal.start(params["profile"], params["project"], params["name"], aggregate=aggregate_of(entry) if entry else None,
                         duration=params["duration"], bindings=bindings)
        except PortalError as exc:
            if exc.code == NO_SUCH_EXPERIMENT:
                module.fail_json(msg="cloudlab_profile: the portal has no profile %s: %s" % (params["profile"], exc),
                                 attempts=attempts)
            if exc.code == ALREADY_EXISTS:
                module.fail_json(msg="cloudlab_experiment: the name %s is taken by another experiment of project %s that the "
                                     "portal does not show you: pick another name (%s)" % (params["name"], params["project"], exc),
                                 attempts=attempts)
            attempt["result"] = "refused: %s" % exc
            continue
        status = portal.wait(experiment, params["wait_timeout"], params["wait_interval"]) if params["wait_timeout"] else \
            portal.status(experiment)
        if status is not None and status.get("status") in ("ready", "provisioning") and (
                status.get("status") == "ready" or not params["wait_timeout"]):
            attempt["result"] = status["status"]
            return status, attempt
        why = (status or {}).get("failure_message") or "status %s" % (status or {}).get("status")
        if (status or {}).get("status") not in ("failed", None):
            why = "not ready after %d s (%s)" % (params["wait_timeout"], why)
        portal.terminate(experiment)
        attempt["result"] = "failed, terminated: %s" % why
    return None, None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            project=dict(type="str", required=True),
            name=dict(type="str", required=True),
            profile=dict(type="str"),
            bindings=dict(type="dict", default={}),
            hardware=dict(type="list", elements="dict", default=[]),
            hardware_binding=dict(type="str", default="hardware_type"),
            duration=dict(type="int"),
            wait_timeout=dict(type="int", default=1800),
            wait_interval=dict(type="float", default=15),
            manifest_dest=dict(type="path"),
            min_remaining=dict(type="int"),
            extend_hours=dict(type="int", default=4),
            extend_reason=dict(type="str", default="An Electrode benchmark (electrode.cluster) is running on these nodes."),
            portal_url=dict(type="str", default="https://boss.emulab.net:3069/usr/testbed"),
            portal_certificate=dict(type="path", default="~/.ssl/emulab.pem"),
            portal_certificate_password=dict(type="str", no_log=True),
            portal_ca_certificate=dict(type="path"),
            portal_validate_certs=dict(type="bool", default=True),
            portal_timeout=dict(type="int", default=60),
        ),
        supports_check_mode=True,
    )
    params = module.params
    experiment = "%s,%s" % (params["project"], params["name"])
    result = dict(changed=False, experiment=experiment, status="absent", expires=None, seconds_left=None, hardware={},
                  attempts=[], manifest=None, extended=False, extension_refused=None)
    if params["hardware"]:
        problems = hardware_problems(params["hardware"])
        if problems:
            module.fail_json(msg=" ".join(problems), **result)
    if params["extend_hours"] is not None and not 1 <= params["extend_hours"] <= 24 * 7:
        module.fail_json(msg="cloudlab_extend_hours must be from 1 to 168 hours (the portal's range; got %s)"
                         % params["extend_hours"], **result)
    try:
        portal = Portal(params["portal_url"], params["portal_certificate"], params["portal_certificate_password"],
                        params["portal_ca_certificate"], params["portal_validate_certs"], params["portal_timeout"])
        status = portal.status(experiment)
        if params["state"] == "absent":
            if status is not None:
                result["changed"] = True
                if not module.check_mode:
                    portal.terminate(experiment)
                result["status"] = "terminated"
            module.exit_json(**result)
        if status is None:
            if not params["profile"]:
                module.fail_json(msg="%s does not exist: set cloudlab_profile (profile) to start it" % experiment, **result)
            result["changed"] = True
            if module.check_mode:
                result["status"] = "would start"
                module.exit_json(**result)
            status, entry = _start(module, portal, experiment, result["attempts"])
            if status is None:
                module.fail_json(msg="CloudLab could not give %s the nodes on any of cloudlab_hardware: %s. No experiment is "
                                     "left behind (each failed start was terminated)." % (
                                         experiment, "; ".join("%s at %s: %s" % (a["type"], a["cluster"], a.get("result"))
                                                               for a in result["attempts"])), **result)
            result["hardware"] = dict(HARDWARE.get(entry.get("type"), {}), type=entry.get("type"),
                                      cluster=entry.get("cluster"), aggregate=aggregate_of(entry))
        elif status.get("status") == "provisioning" and params["wait_timeout"]:
            status = portal.wait(experiment, params["wait_timeout"], params["wait_interval"])
        if status.get("status") == "failed":
            module.fail_json(msg="%s failed on the portal (%s): end it (state: absent) and start again" % (
                experiment, status.get("failure_message") or "no message"), **result)
        result.update(status=status.get("status"), expires=status.get("expires"), seconds_left=seconds_left(status.get("expires")))
        if params["min_remaining"] is not None and result["seconds_left"] is not None \
                and result["seconds_left"] < params["min_remaining"] and not module.check_mode:
            try:
                portal.extend(experiment, params["extend_hours"], params["extend_reason"])
                result.update(changed=True, extended=True)
                status = portal.status(experiment) or status
                result.update(expires=status.get("expires"), seconds_left=seconds_left(status.get("expires")))
            except PortalError as exc:
                result["extension_refused"] = str(exc)
        if params["manifest_dest"] and result["status"] == "ready":
            text = portal.manifests(experiment)[0]
            if module.check_mode:
                result["manifest"] = params["manifest_dest"]
            elif _write(params["manifest_dest"], text):
                result["changed"] = True
            result["manifest"] = params["manifest_dest"]
    except PortalError as exc:
        module.fail_json(msg=str(exc), **result)
    result["checked_at"] = time.time()
    module.exit_json(**result)


if __name__ == "__main__":
    main()
