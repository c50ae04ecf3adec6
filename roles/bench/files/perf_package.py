# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of the distribution's packages gives perf for the running kernel (bench_profile_perf:
auto), printed as JSON: {"packages": [...], "why": ""} or, where none does, {"packages": [],
"why": "..."}.

    python3 perf_package.py DISTRIBUTION KERNEL_RELEASE   (the bench runs it as python3 -c <file> ...)

Ubuntu builds perf for each kernel: linux-tools-<release> (with linux-tools-common), where the
archive has it (a mainline kernel from kernel.ubuntu.com has none). Debian ships one linux-perf
for its kernel series: it matches where its version starts with the running kernel's x.y. Reads
apt's cache (refreshed first by the caller) through python3-apt, which Ansible's apt module uses.
"""
import json
import re
import sys


def series(release):
    """The x.y of a kernel release or a package's upstream version ('6.1.0-28-amd64' -> '6.1')."""
    found = re.match(r"^(?:\d+:)?(\d+)\.(\d+)", release or "")
    return "%s.%s" % found.groups() if found else None


def choose(distribution, release, candidate):
    """The packages to install for perf on a kernel `release` of `distribution`, and why none
    where there are none. candidate(name) gives the version apt would install, or None."""
    if distribution == "Ubuntu":
        name = "linux-tools-" + release
        if candidate(name):
            return {"packages": [name, "linux-tools-common"], "why": ""}
        return {"packages": [], "why": "the archive has no %s (a kernel Ubuntu did not build)" % name}
    if distribution == "Debian":
        version = candidate("linux-perf")
        if not version:
            return {"packages": [], "why": "the archive has no linux-perf"}
        if series(version) != series(release):
            return {"packages": [], "why": "Debian's linux-perf %s is for linux %s, and the kernel is %s" % (
                version, series(version), release)}
        return {"packages": ["linux-perf"], "why": ""}
    return {"packages": [], "why": "no package of %s is known to give perf" % distribution}


def apt_candidate():
    # python3-apt, on the node (Ansible's apt module needs it too).
    import apt_pkg  # pylint: disable=import-error
    apt_pkg.init()
    cache = apt_pkg.Cache(None)
    depcache = apt_pkg.DepCache(cache)

    def candidate(name):
        try:
            package = cache[name]
        except KeyError:
            return None
        version = depcache.get_candidate_ver(package)
        return version.ver_str if version else None
    return candidate


def main(argv):
    json.dump(choose(argv[1], argv[2], apt_candidate()), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
