"""An Electrode cluster for electrode.cluster: 2f+1 replicas and client nodes of one hardware type,
on one experiment LAN (10.10.1.0/24), Ubuntu 22.04.

Create a profile from this file once (CloudLab: Experiments, Create Experiment Profile, Edit
Code, paste it), then start experiments of it by hand or with playbooks/cloudlab.yml. The first
2f+1 nodes (node0, node1, ...) are the replicas, in index order; the rest are clients.

Instructions: run playbooks/cloudlab.yml of electrode.cluster (it starts, benchmarks and ends the
experiment), or point its CloudLab inventory at this experiment's manifest.
"""
# A geni-lib script: the portal runs it with the parameters' values bound.
# The form CloudLab's documentation and profiles use.
import geni.portal as portal  # pylint: disable=consider-using-from-import
import geni.rspec.pg as pg  # pylint: disable=consider-using-from-import

UBUNTU_22 = "urn:publicid:IDN+emulab.net+image+emulab-ops//UBUNTU22-64-STD"

context = portal.Context()
context.defineParameter("replicas", "Replicas (2f+1: 3, 5, 7)", portal.ParameterType.INTEGER, 3)
context.defineParameter("clients", "Client nodes", portal.ParameterType.INTEGER, 1)
context.defineParameter("hardware_type", "Hardware type (one for every node)", portal.ParameterType.NODETYPE, "xl170")
context.defineParameter("image", "Disk image", portal.ParameterType.IMAGE, UBUNTU_22)
params = context.bindParameters()

if params.replicas < 3 or params.replicas % 2 == 0:
    context.reportError(portal.ParameterError("Electrode needs an odd number of replicas, at least 3 (2f+1).", ["replicas"]))
if params.clients < 1:
    context.reportError(portal.ParameterError("At least one client node runs the benchmark.", ["clients"]))
if params.replicas + params.clients > 253:
    context.reportError(portal.ParameterError("One /24 LAN holds at most 253 nodes.", ["replicas", "clients"]))
context.verifyParameters()

request = context.makeRequestRSpec()
lan = request.LAN("lan")
for index in range(params.replicas + params.clients):
    node = request.RawPC("node%d" % index)
    node.hardware_type = params.hardware_type
    node.disk_image = params.image
    interface = node.addInterface("if1")
    interface.addAddress(pg.IPv4Address("10.10.1.%d" % (index + 1), "255.255.255.0"))
    lan.addInterface(interface)

context.printRequestRSpec(request)
