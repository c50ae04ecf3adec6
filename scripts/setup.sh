#!/usr/bin/env bash
# Set up the controller toolchain in .venv: Debian packages, the pinned Python requirements
# (which carry the Ansible collections we use, so Galaxy is not needed), and a link that makes
# this checkout the collection electrode.cluster. Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root (the lab creates network namespaces, bridges and mounts)." >&2
  exit 1
fi
if [ ! -r /etc/debian_version ]; then
  echo "setup.sh: this machine is not Debian or Ubuntu; see README.md for what to install." >&2
  exit 1
fi

# Ansible 12 needs Python >= 3.11: Debian 12 has it; Ubuntu 22.04 has python3.11 as a package.
python=/usr/bin/python3
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  python=/usr/bin/python3.11
fi
packages=(python3-venv python3-apt git)
[ "$python" = /usr/bin/python3.11 ] && packages+=(python3.11 python3.11-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/ansible-playbook ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup.sh: installing requirements.txt into .venv"
  "$python" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# ansible.cfg points collections_path here; the link makes `electrode.cluster` this checkout.
mkdir -p .ansible/collections/ansible_collections/electrode
ln -sfn "$root" .ansible/collections/ansible_collections/electrode/cluster
echo "setup.sh: toolchain ready ($(.venv/bin/ansible --version | head -1))"
