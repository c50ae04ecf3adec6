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
    "leader_cpu": run["cpu"]["leader_us_per_request"],
    "followers_cpu": run["cpu"]["followers_us_per_request"],
    "cpu_source": sorted(set(str(r["units_source"]) for r in run["cpu"]["replicas"].values())),
    "bpf_stats": sorted(set(str(r["bpf_stats"]) for r in run["cpu"]["replicas"].values())),
    # The leader's XDP program's runs per request and its own time, from the kernel's eBPF statistics.
    "leader_xdp_runs": ((run["cpu"]["replicas"][leader].get("bpf") or {}).get("xdp") or {}).get("runs"),
    "leader_bpf_us": run["cpu"]["leader_bpf_us_per_request"],
    "window": run["window"],
    "window_s": (run["window"][1] - run["window"][0]) if run["window"] else None,
    "steady": run["steadiness"]["steady"],
    "latency_source": result.get("latency_source"),
    "resends": sum(c["resends"] for c in run["clients"].values()),
    "build_dir": run["build"]["dir"],
    "commit_known": "commit" in run["build"],
    "kernels": sorted(set(node["kernel"] for node in run["provenance"]["nodes"].values())),
    "version": run["provenance"]["collection_version"],
    "leader_xdp": run["xdp_counters"][leader].get("rx_queue_0_xdp_packets", -1),
    # The units of the replicas that served the run were read before and after it.
    "units_read": sorted(run["health"]["before"]) == sorted(run["health"]["after"]) == sorted(run["replicas"]),
    "replicas": run["replicas"],
    "unreplicated": run.get("unreplicated"),
    # The replicas a smaller variant left stopped: each one's replica unit's state after the run.
    "idle": dict((host, units.get("electrode-replica.service")) for host, units in sorted((run.get("idle") or {}).items())),
}))
