# -*- coding: utf-8 -*-
# Copyright: electrode.cluster contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules on each stage's settings that an argument spec cannot state.

Types and choices live in each role's ``meta/argument_specs.yml``; what needs more than a type
(a pattern, a relation between two settings, the node's CPUs or architecture) lives here, once.
The ``settings_check`` action runs both for a role before any stage changes anything: the facts
play for every stage a playbook runs, a role's own ``main`` when it is used alone. Every rule
returns every problem it finds, each a sentence that starts with the variable it is about.

Pure Python on plain data: the settings (already templated) and the node (its facts and what
``electrode_state`` read), shared by the action and its unit tests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.electrode.cluster.plugins.module_utils.cluster_model import ELECTRODE_PORT
from ansible_collections.electrode.cluster.plugins.module_utils.bench_stats import adjusted_confidence, runs_needed
from ansible_collections.electrode.cluster.plugins.module_utils.electrode_source import FEATURES, feature_problems
from ansible_collections.electrode.cluster.plugins.module_utils.nic import cpu_list_problems

PROTOCOLS = ("vr", "fastpaxos", "spec", "unreplicated")
_RELEASE = re.compile(r"^\d+\.\d+(\.\d+)?$")
_FINGERPRINT = re.compile(r"^[0-9A-F]{40}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")
_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9_.]+$")
_PLAIN_PATH = re.compile(r"^(/[A-Za-z0-9_.]+)+$")
# Ubuntu's mainline archive has these architectures, under Debian's names.
MAINLINE_ARCHES = {"x86_64": "amd64", "aarch64": "arm64"}


def _version(text):
    return tuple(int(part) for part in re.findall(r"\d+", str(text))[:3])


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _positive(settings, names, minimum=1):
    """Each of ``names`` that is not a whole number of at least ``minimum``."""
    problems = []
    for name in names:
        value = _int(settings.get(name))
        if value is None or value < minimum:
            problems.append("%s must be a whole number of %d or more (got %s)." % (name, minimum, settings.get(name)))
    return problems


def mainline_kernel(settings, node):
    problems = []
    if not _RELEASE.match(str(settings.get("mainline_kernel_version", ""))):
        problems.append("mainline_kernel_version %s is not a kernel release (e.g. 6.0.0)." % settings.get("mainline_kernel_version"))
    if not _FINGERPRINT.match(str(settings.get("mainline_kernel_key_fingerprint", ""))):
        problems.append("mainline_kernel_key_fingerprint must be a full 40-digit uppercase fingerprint.")
    method = settings.get("mainline_kernel_method")
    if method == "ubuntu_mainline" and node.get("architecture") not in MAINLINE_ARCHES:
        problems.append(
            "mainline_kernel_method ubuntu_mainline: Ubuntu's mainline archive has no %s kernels (amd64 and arm64 only): "
            "use mainline_kernel_method debs or distro_package." % node.get("architecture"))
    if method == "distro_package" and not settings.get("mainline_kernel_packages"):
        problems.append("mainline_kernel_packages is empty: name the kernel packages to install.")
    if method == "debs":
        debs = settings.get("mainline_kernel_debs") or []
        if not debs or any(not isinstance(d, dict) or not (d.get("url") or d.get("path"))
                           or not _SHA256.match(str(d.get("sha256", ""))) for d in debs):
            problems.append("mainline_kernel_debs needs a list of {url or path, sha256 (64 hex digits)}.")
    return problems


def build_deps(settings, node):
    problems = []
    if not node.get("build_deps_supported", True):
        problems.append(
            "build_deps supports Debian 12 and Ubuntu 22.04; this host runs %s %s. Add roles/build_deps/vars/%s-%s.yml "
            "with its package names." % (node.get("distribution"), node.get("distribution_version"),
                                         node.get("distribution"), node.get("distribution_major_version")))
    if str(settings.get("build_deps_liburing_from_source", "")).lower() not in ("auto", "true", "false", "yes", "no"):
        problems.append("build_deps_liburing_from_source is %s, use auto, true or false." % settings.get("build_deps_liburing_from_source"))
    if not _SHA256.match(str(settings.get("build_deps_liburing_sha256", ""))):
        problems.append("build_deps_liburing_sha256 %s is not a sha256 (64 hex digits)." % settings.get("build_deps_liburing_sha256"))
    wanted, minimum = settings.get("build_deps_liburing_version", ""), settings.get("build_deps_liburing_min_version", "")
    if _version(wanted) < _version(minimum):
        problems.append(
            "build_deps_liburing_version %s is older than build_deps_liburing_min_version %s "
            "(io_uring_prep_recvmsg_multishot came in liburing 2.3)." % (wanted, minimum))
    return problems


def kernel_release(settings):
    """The kernel release kernel_source's settings ask for, and the variable that names it."""
    if settings.get("kernel_source_method") == "tarball":
        return str(settings.get("kernel_source_version", "")), "kernel_source_version"
    match = re.search(r"(\d+\.\d+(\.\d+)?)", str(settings.get("kernel_source_package", "")))
    return (match.group(1) if match else ""), "kernel_source_package"


def kernel_source(settings, node):
    problems = []
    release, variable = kernel_release(settings)
    if not re.match(r"^\d+\.\d+", release):
        problems.append("%s does not name a kernel release (got %s)." % (variable, settings.get(variable)))
    elif _version(release) >= (6, 0):
        problems.append(
            "%s asks for a %s tree; Electrode's handler uses the pre-1.0 libbpf API (bpf_object__load_xattr, "
            "bpf_set_link_xdp_fd ...) that the libbpf inside 6.x trees no longer has, so its build fails: use a 5.x "
            "release (5.8, or linux-source-5.10)." % (variable, release))
    checksum = settings.get("kernel_source_checksum_signers") or []
    tarball = settings.get("kernel_source_tarball_signers") or []
    if settings.get("kernel_source_method") == "tarball" and not (checksum and tarball):
        problems.append("kernel_source_checksum_signers and kernel_source_tarball_signers must not be empty for the tarball method.")
    bad = [fp for fp in list(checksum) + list(tarball) if not _FINGERPRINT.match(str(fp))]
    if bad:
        problems.append(
            "kernel_source_checksum_signers and kernel_source_tarball_signers must list full 40-digit uppercase "
            "fingerprints (got %s)." % ", ".join(str(fp) for fp in bad))
    return problems


def electrode_build(settings, node):
    problems = []
    source_path = settings.get("electrode_source_path") or ""
    if not source_path and not _COMMIT.match(str(settings.get("electrode_version", ""))):
        problems.append(
            "electrode_version must be a full 40-digit commit so that a build is reproducible (got %s); or set "
            "electrode_source_path to a local tree." % settings.get("electrode_version"))
    if source_path and not source_path.startswith("/"):
        problems.append(
            "electrode_source_path must be an absolute path on the controller (got %s; e.g. \"{{ playbook_dir }}/...\")." % source_path)
    problems += _positive(settings, ["electrode_build_jobs"], minimum=0)
    problems += ["electrode_features: %s." % p for p in feature_problems(settings.get("electrode_features") or [])]
    if settings.get("electrode_build_replicas") is not None:
        problem = size_problem(settings["electrode_build_replicas"], node.get("replica_count"), allow_one=True)
        if problem:
            problems.append("electrode_build_replicas %s." % problem)
    return problems


def size_problem(replicas, replica_count=None, allow_one=False):
    """Why ``replicas`` cannot be the size of a build or a variant (2f+1: odd, 3 or more, at most
    the inventory's ``replica_count``; 1, one unreplicated server, where ``allow_one``), or None."""
    count = _int(replicas)
    if count is None or isinstance(replicas, bool) or str(replicas).strip() != str(count):
        return "must be a whole number (got %s)" % replicas
    if count == 1 and allow_one:
        return None
    if count < 3 or count % 2 == 0:
        return "is %d: a cluster of 2f+1 replicas is odd and 3 or more%s" % (
            count, " (or 1, one unreplicated server)" if allow_one else "")
    if replica_count is not None and count > replica_count:
        return "is %d, but the inventory has %d replicas: add replicas or ask for fewer" % (count, replica_count)
    return None


def electrode_services(settings, node):
    problems = []
    features = settings.get("electrode_features") or []
    if not settings.get("electrode_accelerated", True) and features:
        problems.append(
            "electrode_accelerated is false but the build has the flags %s: a replica built with flags refuses to start "
            "without the handler. Build the baseline (electrode_features: []) or set electrode_accelerated: true."
            % ", ".join(features))
    if not _PLAIN_PATH.match(str(settings.get("electrode_services_bpffs", ""))):
        problems.append("electrode_services_bpffs must be a plain absolute path (got %s)." % settings.get("electrode_services_bpffs"))
    bad = [p for p in settings.get("electrode_services_handler_pins") or [] if not _FILE_NAME.match(str(p))]
    if bad:
        problems.append("electrode_services_handler_pins must be file names (got %s)." % ", ".join(str(p) for p in bad))
    problems += _positive(settings, ["electrode_services_ready_timeout", "electrode_services_health_timeout"])
    cpus = settings.get("electrode_services_replica_cpus") or ""
    if cpus and node.get("online_cpus"):
        problems += ["electrode_services_replica_cpus: %s" % p for p in cpu_list_problems(str(cpus), node["online_cpus"])]
    return problems


def _source_problems(label, variant, tree_problem):
    """A variant's own source: source_path (an Electrode tree on the controller) or repo at a full commit."""
    problems = []
    path, repo, version = variant.get("source_path"), variant.get("repo"), variant.get("version")
    if path is not None and (repo is not None or version is not None):
        problems.append("bench_variants: %s names both source_path and repo/version: give one source." % label)
    elif path is not None:
        if not str(path).startswith("/"):
            problems.append("bench_variants: %s: source_path must be an absolute path on the controller (got %s)." % (label, path))
        elif tree_problem is not None and tree_problem(str(path)):
            problems.append(
                "bench_variants: %s: source_path %s %s: point it at a clone of Electrode or Electrode_io."
                % (label, path, tree_problem(str(path))))
    elif repo is not None and not _COMMIT.match(str(version or "")):
        problems.append(
            "bench_variants: %s names repo %s without a full commit as version (got %s): a branch or tag is not a pin, "
            "give the 40-digit commit." % (label, repo, version))
    elif version is not None and repo is None:
        problems.append("bench_variants: %s names a version but no repo: add repo (or use source_path)." % label)
    return problems


def variant_problems(variants, tree_problem=None, replica_count=None):
    """bench_variants beyond what its spec says: names, uniqueness, flags, flags without the
    handler, each variant's own source (``tree_problem(path)`` says why a folder on the
    controller is not an Electrode tree, or None; without it that check is skipped), its cluster
    size (``replicas``, at most ``replica_count``) and the unreplicated bound's settings."""
    if not variants:
        return ["bench_variants is empty: name at least one variant."]
    problems = []
    names = [v.get("name") for v in variants if isinstance(v, dict)]
    for position, variant in enumerate(variants, 1):
        if not isinstance(variant, dict):
            continue
        name = variant.get("name")
        label = "variant %s" % (name if name else "#%d" % position)
        if name is not None and not _NAME.match(str(name)):
            problems.append("bench_variants: %s: the name must be letters, digits, '.', '_' or '-'." % label)
        unknown = [f for f in variant.get("features") or [] if f not in FEATURES]
        if unknown:
            problems.append(
                "bench_variants: %s uses unknown feature flag(s) %s: the flags are %s."
                % (label, ", ".join(unknown), ", ".join(FEATURES)))
        if variant.get("accelerated") is False and variant.get("features"):
            problems.append(
                "bench_variants: %s runs without the handler but has flags: replicas built with flags refuse to start "
                "without it (use features: [] or accelerated: true)." % label)
        problems += _source_problems(label, variant, tree_problem)
        if variant.get("unreplicated"):
            if variant.get("features") or variant.get("accelerated") or variant.get("replicas") is not None:
                problems.append(
                    "bench_variants: %s is unreplicated (one server, f=0, on the leader's node, the bound of the others): "
                    "it takes no features, no handler and no replicas (features: [], accelerated: false)." % label)
        elif variant.get("replicas") is not None:
            problem = size_problem(variant["replicas"], replica_count)
            if problem:
                problems.append("bench_variants: %s: replicas %s." % (label, problem))
    bounds = [v.get("name") for v in variants if isinstance(v, dict) and v.get("unreplicated")]
    if len(bounds) > 1:
        problems.append("bench_variants: %s are all unreplicated: one bound is enough." % ", ".join(str(b) for b in bounds))
    elif bounds and len(variants) == 1:
        problems.append("bench_variants: %s is unreplicated, the bound of the others, but there are no others." % bounds[0])
    twice = sorted(set(n for n in names if n is not None and names.count(n) > 1))
    if twice:
        problems.append("bench_variants names the variant(s) %s more than once." % ", ".join(twice))
    return problems


def _counts(settings, name, most=None, most_what=""):
    """A whole number or a list of them, each at least 1 (and at most ``most``)."""
    value = settings.get(name)
    values = value if isinstance(value, list) else [value]
    if not values:
        return ["%s is an empty list: give at least one whole number." % name]
    bad = [v for v in values if isinstance(v, bool) or _int(v) is None or _int(v) < 1 or str(_int(v)) != str(v).strip()]
    if bad:
        return ["%s must be a whole number of 1 or more, or a list of them (got %s)." % (name, ", ".join(str(v) for v in bad))]
    if most is not None and max(_int(v) for v in values) > most:
        return ["%s asks for %d, but %s: use at most %d." % (name, max(_int(v) for v in values), most_what, most)]
    if len(set(_int(v) for v in values)) != len(values):
        return ["%s lists a load point twice (%s)." % (name, ", ".join(str(v) for v in values))]
    return []


def _float(value):
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def comparison_pairs(settings):
    """The experiment's comparisons as [variant, reference] pairs: bench_comparisons, or each
    variant against the first."""
    names = [v.get("name") for v in settings.get("bench_variants") or [] if isinstance(v, dict) and not v.get("unreplicated")]
    if settings.get("bench_comparisons") is not None:
        return [list(pair) for pair in settings["bench_comparisons"] if isinstance(pair, (list, tuple))]
    return [[name, names[0]] for name in names[1:]]


def minimum_repetitions(settings):
    """The fewest repetitions that give every interval and verdict of the experiment at
    bench_confidence: a cell's median needs 6 runs at 95%, and m comparisons (each pair of
    bench_comparisons at each load point) each need the pairs of confidence 1 - (1 - c)/m."""
    confidence = float(settings.get("bench_confidence"))
    loads = 1
    for name in ("bench_threads", "bench_clients"):
        value = settings.get(name)
        loads *= len(value) if isinstance(value, list) and value else 1
    count = len(comparison_pairs(settings)) * loads
    needed = max(runs_needed(confidence), runs_needed(adjusted_confidence(confidence, count)) if count else 0)
    return needed


def _statistics(settings):
    """bench_confidence, bench_equivalence_margin, bench_comparisons, bench_ci_target and
    bench_max_repetitions, and whether bench_repetitions can give an interval at the confidence."""
    problems = []
    confidence = _float(settings.get("bench_confidence"))
    if confidence is None or not 0 < confidence < 1:
        problems.append("bench_confidence must lie between 0 and 1 (got %s)." % settings.get("bench_confidence"))
    margin = _float(settings.get("bench_equivalence_margin"))
    if margin is None or not 0 <= margin < 0.5:
        problems.append("bench_equivalence_margin must be 0 or more and below 0.5 (got %s): 0.02 calls a difference "
                        "of less than 2%% the same." % settings.get("bench_equivalence_margin"))
    names = [v.get("name") for v in settings.get("bench_variants") or [] if isinstance(v, dict)]
    comparisons = settings.get("bench_comparisons")
    if comparisons is not None:
        bad = [c for c in comparisons if not isinstance(c, (list, tuple)) or len(c) != 2 or c[0] == c[1]]
        unknown = sorted(set(n for c in comparisons if isinstance(c, (list, tuple)) for n in c if n not in names))
        if bad or not comparisons:
            problems.append("bench_comparisons must list [variant, reference] pairs of two different variants (got %s)."
                            % (comparisons,))
        if unknown:
            problems.append("bench_comparisons names %s, which bench_variants does not have (it has %s)."
                            % (", ".join(str(n) for n in unknown), ", ".join(str(n) for n in names)))
    target = settings.get("bench_ci_target")
    if target is not None and (_float(target) is None or not 0 < _float(target) < 1):
        problems.append("bench_ci_target must lie between 0 and 1, e.g. 0.05 for intervals within 5%% of their median "
                        "(got %s), or be null." % target)
    repetitions, most = _int(settings.get("bench_repetitions")), _int(settings.get("bench_max_repetitions"))
    if target is not None and repetitions is not None and (most is None or most < repetitions):
        problems.append("bench_max_repetitions (%s) must be at least bench_repetitions (%d) for bench_ci_target."
                        % (settings.get("bench_max_repetitions"), repetitions))
    if confidence is None or not 0 < confidence < 1 or repetitions is None or repetitions < 1:
        return problems
    needed = runs_needed(confidence)
    if repetitions < needed:
        problems.append(
            "bench_repetitions is %d: no interval reaches bench_confidence %s with fewer than %d runs per cell; set "
            "bench_repetitions to %d or more (%d to allow bench_max_invalid %s exclusion(s); an experiment of several "
            "comparisons needs more for its verdicts, which otherwise say \"too few runs\"), or lower bench_confidence."
            % (repetitions, settings.get("bench_confidence"), needed, needed,
               needed + (_int(settings.get("bench_max_invalid")) or 0), settings.get("bench_max_invalid")))
    return problems


def _floor(settings):
    """The network floor's datagram size, round trips and port (bench_floor)."""
    if str(settings.get("bench_floor", True)).lower() in ("false", "no", "0", "off"):
        return []
    problems = []
    size = _int(settings.get("bench_floor_bytes"))
    if size is None or not 8 <= size <= 65507:
        problems.append("bench_floor_bytes must be 8 to 65507, a UDP datagram's payload that holds the "
                        "round trip's 8-byte number (got %s)." % settings.get("bench_floor_bytes"))
    trips = _int(settings.get("bench_floor_round_trips"))
    if trips is None or not 100 <= trips <= 1000000:
        problems.append("bench_floor_round_trips must be 100 to 1000000: a p99 needs 100 round trips at least "
                        "(got %s)." % settings.get("bench_floor_round_trips"))
    port = _int(settings.get("bench_floor_port"))
    if port is None or not 1024 <= port <= 65535 or port == ELECTRODE_PORT:
        problems.append("bench_floor_port must be a port from 1024 to 65535 other than the replicas' %d (got %s)."
                        % (ELECTRODE_PORT, settings.get("bench_floor_port")))
    return problems


def _profile(settings):
    """The profiles' sampling frequency, their symbols and the viewer's checksum (bench_profile)."""
    if str(settings.get("bench_profile", False)).lower() not in ("true", "yes", "1", "on"):
        return []
    problems = []
    frequency = _int(settings.get("bench_profile_frequency"))
    if frequency is None or not 1 <= frequency <= 10000:
        problems.append("bench_profile_frequency must be 1 to 10000 samples a second (got %s)."
                        % settings.get("bench_profile_frequency"))
    top = _int(settings.get("bench_profile_top"))
    if top is None or not 1 <= top <= 100:
        problems.append("bench_profile_top must be 1 to 100 symbols (got %s)." % settings.get("bench_profile_top"))
    if not re.match(r"^[0-9a-f]{128}$", str(settings.get("bench_profile_viewer_sha512") or "")):
        problems.append("bench_profile_viewer_sha512 must be the viewer package's sha512, 128 hex digits (got %s)."
                        % settings.get("bench_profile_viewer_sha512"))
    return problems


def bench(settings, node):
    problems = _positive(settings, ["bench_requests", "bench_repetitions", "bench_timeout"])
    problems += _counts(settings, "bench_threads")
    if settings.get("bench_clients") is not None:
        clients = node.get("client_count")
        problems += _counts(settings, "bench_clients", clients,
                            "the client group has %s node(s)" % clients if clients is not None else "")
    problems += _positive(settings, ["bench_warmup", "bench_duration", "bench_max_invalid", "bench_unreachable_wait"], minimum=0)
    duration, warmup, timeout = (_int(settings.get(name)) for name in ("bench_duration", "bench_warmup", "bench_timeout"))
    if duration and warmup is not None and timeout and duration > 0 and timeout < 2 * duration + 2 * warmup + 10:
        problems.append(
            "bench_timeout (%d s) cannot hold a run of bench_duration %d s with the warm-up and cool-down of "
            "bench_warmup %d s each: set bench_timeout to %d or more (twice the run, for a pilot that sized it "
            "short), or shorten bench_duration." % (timeout, duration, warmup, 2 * duration + 2 * warmup + 10))
    if settings.get("bench_protocol") not in PROTOCOLS:
        problems.append("bench_protocol is %s; use one of %s." % (settings.get("bench_protocol"), ", ".join(PROTOCOLS)))
    if not _NAME.match(str(settings.get("bench_name", ""))):
        problems.append("bench_name must be letters, digits, '.', '_' or '-' (got %s)." % settings.get("bench_name"))
    problems += variant_problems(settings.get("bench_variants") or [], node.get("tree_problem"), node.get("replica_count"))
    problems += _statistics(settings)
    problems += _floor(settings)
    problems += _profile(settings)
    cpus = settings.get("bench_client_cpus") or ""
    if cpus and node.get("online_cpus") and node.get("role") == "client":
        problems += ["bench_client_cpus: %s" % p for p in cpu_list_problems(str(cpus), node["online_cpus"])]
    # A variant's replica CPUs, on a replica (the build host, where these settings are checked, is
    # the first replica unless electrode_build_host names another): the per-run switch of the
    # services does not check them again.
    if node.get("online_cpus") and node.get("role") == "replica":
        for variant in settings.get("bench_variants") or []:
            if isinstance(variant, dict) and variant.get("replica_cpus"):
                problems += ["bench_variants: variant %s: replica_cpus: %s" % (variant.get("name"), p)
                             for p in cpu_list_problems(str(variant["replica_cpus"]), node["online_cpus"])]
    return problems


_EXPERIMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")


def cloudlab(settings, node):
    """The CloudLab experiment's settings: names, the certificate, the hardware list, the hours."""
    import os

    from ansible_collections.electrode.cluster.plugins.module_utils.cloudlab_portal import certificate_problem, hardware_problems

    problems = []
    if not settings.get("cloudlab_project"):
        problems.append("cloudlab_project is empty: set your CloudLab project (the portal's Projects page).")
    if not _EXPERIMENT_NAME.match(str(settings.get("cloudlab_experiment_name") or "")):
        problems.append("cloudlab_experiment_name must be letters, digits and '-', at most 32 (got %s)."
                        % settings.get("cloudlab_experiment_name"))
    if not settings.get("cloudlab_profile"):
        problems.append("cloudlab_profile is empty: create the profile roles/cloudlab/files/profile.py once in the portal "
                        "and give it as project,name.")
    problems += hardware_problems(settings.get("cloudlab_hardware") or [])
    certificate = os.path.expanduser(str(settings.get("cloudlab_portal_certificate") or ""))
    problem = certificate_problem(certificate, settings.get("cloudlab_portal_certificate_password"),
                                  "cloudlab_portal_certificate_password")
    if problem:
        problems.append("cloudlab_portal_certificate: %s." % problem)
    hours = _int(settings.get("cloudlab_extend_hours"))
    if hours is None or not 1 <= hours <= 168:
        problems.append("cloudlab_extend_hours must be from 1 to 168 (the portal's range; got %s)."
                        % settings.get("cloudlab_extend_hours"))
    problems += _positive(settings, ["cloudlab_duration", "cloudlab_wait_timeout"])
    bindings = settings.get("cloudlab_bindings") or {}
    replicas, clients = _int(bindings.get("replicas", 3)), _int(bindings.get("clients", 1))
    if replicas is None or replicas < 3 or replicas % 2 == 0:
        problems.append("cloudlab_bindings: replicas must be odd and at least 3 (2f+1; got %s)." % bindings.get("replicas"))
    if clients is None or clients < 1:
        problems.append("cloudlab_bindings: clients must be 1 or more (got %s)." % bindings.get("clients"))
    return problems


def _mtu_problem(settings, name, low, high, why):
    mtu = _int(settings.get(name))
    if mtu is None or not low <= mtu <= high:
        return ["%s=%s: use %d to %d (%s)." % (name, settings.get(name), low, high, why)]
    return []


def lab(settings, node):
    """The lab's own ranges (its node counts and subnet are planned by lab_plan, its network by lab_network_problems)."""
    return _mtu_problem(settings, "lab_mtu", 1280, 3500, "XDP on veth drops larger frames")


def nic_tuning(settings, node):
    """The NIC's settings that no plan against the NIC checks (its coalescing, channels, rings and IRQs are)."""
    return _mtu_problem(settings, "nic_tuning_mtu", 68, 65535, "an Ethernet MTU")


# Each role's rules, and the variables they read beyond the role's own argument spec, with the
# role whose defaults hold each (the build's flags decide whether a replica may run alone).
RULES = {
    "mainline_kernel": (mainline_kernel, {}),
    "build_deps": (build_deps, {}),
    "kernel_source": (kernel_source, {}),
    "electrode_build": (electrode_build, {}),
    "electrode_services": (electrode_services, {"electrode_features": "electrode_build"}),
    "bench": (bench, {}),
    "cloudlab": (cloudlab, {}),
    "lab": (lab, {}),
    "nic_tuning": (nic_tuning, {}),
}


def role_problems(role, settings, node):
    """Every problem of ``role``'s settings on a node, as sentences naming the variable."""
    if role not in RULES:
        raise ValueError("no settings rules for role %s (known: %s)" % (role, ", ".join(sorted(RULES))))
    return RULES[role][0](settings, node)
