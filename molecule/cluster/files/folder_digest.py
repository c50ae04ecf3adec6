"""Print a bench results folder's state as one JSON object, for molecule/cluster/verify/bench.yml:
its experiment record (status, invocations), its runs' JSON files, runs.csv and summary.csv (the
columns the checks read), the report's files and whether report.html says it is incomplete."""
import csv
import glob
import json
import os
import sys

folder = sorted(glob.glob(sys.argv[1]))[0]  # the folder, or a pattern that names it
with open(os.path.join(folder, "experiment.json")) as handle:
    record = json.load(handle)


def rows(name, keys):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return [dict((k, row[k]) for k in keys) for row in csv.DictReader(handle)]


with open(os.path.join(folder, "report.html")) as handle:
    page = handle.read()
print(json.dumps({
    "folder": os.path.abspath(folder),
    "status": record["status"],
    "invocations": len(record["invocations"]),
    "run_files": sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, "runs", "*.json"))),
    "files": sorted(n for n in ("runs.csv", "summary.csv", "report.html", "bench.png") if os.path.exists(os.path.join(folder, n))),
    "runs": rows("runs.csv", ("run", "valid", "invocation", "repetition", "variant")),
    "summary": rows("summary.csv", ("variant", "kept", "runs")),
    "incomplete_banner": 'id="incomplete"' in page,
}))
