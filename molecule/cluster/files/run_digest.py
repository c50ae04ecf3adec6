"""Print the parts of one bench run JSON that molecule/cluster/verify/bench.yml checks, as JSON."""
import json
import sys

with open(sys.argv[1]) as handle:
    run = json.load(handle)
leader = run["provenance"]["replicas"][0]
print(json.dumps({
    "run": run["run"],
    "variant": run["variant"],
    "requests": run["result"]["requests"],
    "commit_known": "commit" in run["build"],
    "kernels": sorted(set(node["kernel"] for node in run["provenance"]["nodes"].values())),
    "version": run["provenance"]["collection_version"],
    "leader_xdp": run["xdp_counters"][leader].get("rx_queue_0_xdp_packets", -1),
}))
