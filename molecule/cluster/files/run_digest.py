"""Print the parts of one bench run JSON that molecule/cluster/verify/bench.yml checks, as JSON."""
import json
import sys

with open(sys.argv[1]) as handle:
    run = json.load(handle)
leader = run["provenance"]["replicas"][0]
result = run.get("result") or {}
print(json.dumps({
    "run": run["run"],
    "variant": run["variant"],
    "valid": run["valid"],
    "reasons": run["invalid_reasons"],
    "requests": result.get("requests"),
    "requests_per_thread": run["requests_per_thread"],
    "threads": run["threads"],
    "source": run["build"].get("source"),
    "replica_cpu": run["cpu"]["replica_us_per_request"],
    "cpu_source": sorted(set(r["source"] for r in run["cpu"]["replicas"].values())),
    "resends": sum(c["resends"] for c in run["clients"].values()),
    "build_dir": run["build"]["dir"],
    "commit_known": "commit" in run["build"],
    "kernels": sorted(set(node["kernel"] for node in run["provenance"]["nodes"].values())),
    "version": run["provenance"]["collection_version"],
    "leader_xdp": run["xdp_counters"][leader].get("rx_queue_0_xdp_packets", -1),
    "units_read": sorted(run["health"]["before"]) == sorted(run["health"]["after"]) == sorted(run["provenance"]["replicas"]),
}))
