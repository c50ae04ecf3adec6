"""What the stand-in portal was asked (its calls file), and the results folders of the cloudlab
scenario's runs, as one JSON object for molecule/cloudlab/verify.yml."""
import glob
import json
import os
import sys

calls = []
if os.path.exists(sys.argv[1]):
    with open(sys.argv[1]) as handle:
        calls = [json.loads(line) for line in handle]
starts = [[c["params"]["name"], json.loads(c["params"].get("bindings") or "{}").get("hardware_type")]
          for c in calls if c["method"] == "startExperiment"]
terminated = [c["params"]["experiment"] for c in calls if c["method"] == "terminateExperiment"]
live = set("%s,%s" % (c["params"]["proj"], c["params"]["name"]) for c in calls if c["method"] == "startExperiment")
live -= set(terminated)
folders = []
for folder in sorted(glob.glob(os.path.join(sys.argv[2], "*"))):
    runs = []
    for path in sorted(glob.glob(os.path.join(folder, "runs", "*.json"))):
        with open(path) as handle:
            runs.append(json.load(handle))
    if not runs:
        continue
    nodes = runs[0]["provenance"]["nodes"].values()
    record = {}
    if os.path.exists(os.path.join(folder, "experiment.json")):
        with open(os.path.join(folder, "experiment.json")) as handle:
            record = json.load(handle)
    page = ""
    if os.path.exists(os.path.join(folder, "report.html")):
        with open(os.path.join(folder, "report.html")) as handle:
            page = handle.read()
    folders.append({"name": os.path.basename(folder), "runs": len(runs), "valid": len([r for r in runs if r.get("valid")]),
                    "hardware": sorted(set(n.get("hardware_type") for n in nodes)),
                    "clusters": sorted(set(str(n.get("cluster")) for n in nodes)),
                    "status": record.get("status"), "incomplete_banner": 'id="incomplete"' in page})
extended = [c["params"]["experiment"] for c in calls if c["method"] == "extendExperiment"]
print(json.dumps({"starts": starts, "terminated": terminated, "extended": extended, "live": sorted(live), "folders": folders}))
