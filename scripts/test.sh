#!/usr/bin/env bash
# The whole test suite: lint, sanity, unit tests, then the molecule scenarios on the local lab.
# Needs root (the lab). Installs what it needs through scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The suite builds the collection's own fixture project: a clone of the upstream named in the
# caller's shell (for lab-site.sh or the opt-in scenarios) must not take its place.
unset ELECTRODE_SOURCE ELECTRODE_LIBEVENT_SOURCE
bash scripts/setup.sh
# The browser check of the bench's report.html (tests/browser/check_report.py) needs Chromium;
# gpg_verify's unit tests sign and check with the real gpg, gpgv and xz; the bench's profiles
# are taken from the lab's host with perf.
missing=()
for tool in chromium:chromium gpg:gpg gpgv:gpgv xz:xz-utils perf:linux-perf; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} (for the tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"

# molecule (through ansible-compat) copies the collection under test into ~/.ansible/collections
# unless a link there already points at the project. A copy left by an earlier run, of another
# checkout or an older commit, shadows this checkout for ansible-lint and the plays: link it here.
home_link="$HOME/.ansible/collections/ansible_collections/electrode/cluster"
if [ "$(readlink -f "$home_link" 2>/dev/null)" != "$root" ]; then
  mkdir -p "$(dirname "$home_link")"
  rm -rf "$home_link"
  ln -s "$root" "$home_link"
fi

step() { printf '\n=== %s ===\n' "$*"; }
failures=()
step_times=()
run() {
  local name=$1 start=$SECONDS
  shift
  step "$name"
  if "$@"; then
    echo "PASS: $name"
  else
    echo "FAIL: $name"
    failures+=("$name")
  fi
  step_times+=("$name: $((SECONDS - start)) s")
}

lint() {
  ansible-lint --offline --profile production
}

# Every plugin's and role's documentation and every reference in it, then the docs site.
docs() {
  antsibull-docs lint-collection-docs --plugin-docs . && bash scripts/docs.sh "$build_dir/docs"
}

# ansible-test works on an installed collection: build the tarball (which proves it builds and
# installs) and test the installed copy.
build_dir=$(mktemp -d /tmp/electrode-cluster-build.XXXXXX)
logs=$(mktemp -d /tmp/electrode-cluster-test-logs.XXXXXX)
trap 'rm -rf "$build_dir"' EXIT
collection="$build_dir/collections/ansible_collections/electrode/cluster"
build_and_install() {
  ansible-galaxy collection build --force --output-path "$build_dir" . &&
    ansible-galaxy collection install --force --offline --no-deps -p "$build_dir/collections" \
      "$build_dir"/electrode-cluster-*.tar.gz &&
    test -f "$collection/MANIFEST.json"
}

# ansible-test bootstraps pip in its sanity virtualenvs with a get-pip script it downloads from
# a host that may be out of reach. It takes a cached copy when there is one: give it a small
# stand-in that runs pip from the pip wheel that PyPI serves.
offline_get_pip() {
  local version cache
  version=$(python -c 'from ansible_test._internal.python_requirements import get_venv_packages as g; print(g(type("P", (), {"version": "x"})())["pip"])')
  cache="$HOME/.ansible/test/cache"
  mkdir -p "$cache"
  pip download --quiet --disable-pip-version-check --no-deps --dest "$cache" "pip==$version"
  cp "$root/tests/get_pip_standin.py" "$cache/get_pip_${version//./_}.py"
}

sanity() {
  offline_get_pip && (cd "$collection" && ansible-test sanity --color no --requirements --python "$py")
}

units() {
  (cd "$collection" && ansible-test units --color no --requirements --python "$py")
}

# Every scenario but the opt-in ones (a first line "# opt-in" in molecule.yml: they need a VM or a
# clone of the upstream and are run by hand), on one lab: the suite starts from no lab (the shared
# destroy, with its check that nothing is left), the first scenario (lab, which tests the lab
# itself) creates it, and every scenario keeps it (--destroy=never), in an order where each leaves
# the lab fit for the next: lab ends with the lab as it began, nic_tuning, which sets two rx
# channels and reboots a node, last. While the scenario before passed, ELECTRODE_LAB_SHARED=1 makes
# the next one's create check that the lab answers instead of converging it again; after a failure,
# the next create converges it. The lab is destroyed at the end, with the same check. Each scenario
# alone (molecule test -s NAME) still creates and destroys its lab.
ORDER=(lab cluster_facts mainline_kernel host_prep cluster cloudlab nic_tuning)
failed_scenarios=()
scenario_times=()
molecule_all() {
  local scenario start result known
  known=$(for f in molecule/*/molecule.yml; do head -n 2 "$f" | grep -q '^# opt-in' || basename "$(dirname "$f")"; done | sort)
  if [ "$(printf '%s\n' "${ORDER[@]}" | sort)" != "$known" ]; then
    echo "scripts/test.sh: ORDER (${ORDER[*]}) does not list every scenario that is not opt-in: $(echo $known)"
    return 1
  fi
  start=$SECONDS result=passed
  ansible-playbook -i inventories/lab molecule/shared/destroy.yml 2>&1 | tee "$logs/destroy-before.log" ||
    { result=FAILED; failed_scenarios+=(destroy-before); }
  # molecule keeps each scenario's state ("created") between its runs, and --destroy=never leaves
  # it "created" after this suite's own destroy: a second suite on the same machine would skip the
  # lab scenario's create and find no lab. Its state goes with the lab (no prerun: nothing to
  # install for that; reset only removes the scenarios' molecule folders).
  prerun_off=$(mktemp)
  printf 'prerun: false\n' > "$prerun_off"
  molecule -c "$prerun_off" reset $(printf -- '-s %s ' "${ORDER[@]}") >/dev/null 2>&1 ||
    { result=FAILED; failed_scenarios+=(molecule-reset); }
  rm -f "$prerun_off"
  scenario_times+=("no lab before the first scenario: $result in $((SECONDS - start)) s")
  unset ELECTRODE_LAB_SHARED
  for scenario in "${ORDER[@]}"; do
    start=$SECONDS result=passed
    if molecule test -s "$scenario" --destroy=never 2>&1 | tee "$logs/$scenario.log"; then
      export ELECTRODE_LAB_SHARED=1
    else
      result=FAILED
      failed_scenarios+=("$scenario")
      unset ELECTRODE_LAB_SHARED
    fi
    scenario_times+=("molecule $scenario: $result in $((SECONDS - start)) s")
  done
  unset ELECTRODE_LAB_SHARED
  start=$SECONDS result=passed
  ansible-playbook -i inventories/lab molecule/shared/destroy.yml 2>&1 | tee "$logs/destroy.log" ||
    { result=FAILED; failed_scenarios+=(destroy); }
  scenario_times+=("lab destroyed, nothing left: $result in $((SECONDS - start)) s")
  [ ${#failed_scenarios[@]} -eq 0 ] || { echo "failed scenarios: ${failed_scenarios[*]}"; return 1; }
}

# The task that failed a scenario (the last error before the first recap with failed=N, or
# molecule's idempotence report), without colours: it is far above the end of the output.
first_failure() {
  awk '
    { gsub(/\x1b\[[0-9;]*m/, ""); line[NR] = $0 }
    /\[ERROR\]|fatal: \[|Idempotence test failed/ { last = NR }
    /failed=[1-9]/ && last { from = last; exit }
    END {
      if (!from) from = last
      if (!from) exit 1
      for (i = from; i <= from + 18 && i in line; i++) print substr(line[i], 1, 200)
    }' "$1"
}

# The checks that need no lab, one after the other, in the background while the scenarios run:
# the scenarios keep one CPU busy (the controller), these the other. Their output goes to a log,
# printed whole after the scenarios; their step times and failures come back through files.
static_checks() {
  run "ansible-lint (production profile)" lint
  run "docs lint and site build" docs
  run "collection build and install" build_and_install
  run "ansible-test sanity" sanity
  run "ansible-test units" units
  printf '%s\n' "${step_times[@]}" > "$logs/static.times"
  printf '%s\n' "${failures[@]}" > "$logs/static.failures"
}

py=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
static_checks > "$logs/static.log" 2>&1 &
static_pid=$!
run "molecule scenarios on the lab" molecule_all
step "the checks that need no lab (run beside the scenarios; log: $logs/static.log)"
wait "$static_pid" || true
cat "$logs/static.log"
if [ -s "$logs/static.times" ]; then
  mapfile -t static_times < "$logs/static.times"
  step_times=("${static_times[@]}" "${step_times[@]}")
  while IFS= read -r name; do [ -z "$name" ] || failures+=("$name"); done < "$logs/static.failures"
else
  failures+=("the checks that need no lab (they ended without their summary)")
fi

for scenario in "${failed_scenarios[@]}"; do
  step "first failure in scenario $scenario (whole log: $logs/$scenario.log)"
  first_failure "$logs/$scenario.log" || tail -n 18 "$logs/$scenario.log"
done

step "summary"
printf '%s\n' "${step_times[@]}"
[ ${#scenario_times[@]} -eq 0 ] || printf '  %s\n' "${scenario_times[@]}"
echo "total: $SECONDS s"
echo "$(( 6 - ${#failures[@]} )) passed, ${#failures[@]} failed"
[ ${#failures[@]} -eq 0 ] || { printf 'failed: %s\n' "${failures[@]}"; exit 1; }
