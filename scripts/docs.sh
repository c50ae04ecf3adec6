#!/usr/bin/env bash
# Build the collection's docs site: the plugins from their DOCUMENTATION, the roles from their
# argument specs, and the pages of docs/docsite (antsibull-docs, then Sphinx), into DEST
# (default build/docs; open DEST/html/index.html). Fails on any Sphinx warning but those that
# only the network can fix: links into docs.ansible.com, resolved through intersphinx.
# Needs the toolchain of scripts/setup.sh (.venv).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dest=$(realpath -m "${1:-build/docs}")
export PATH="$root/.venv/bin:$PATH"
export ANSIBLE_CONFIG="$root/ansible.cfg"
rm -rf "$dest"
mkdir -p "$dest/rst"
chmod og-w "$dest/rst"  # antsibull-docs wants the folder writable by its owner only
cp docs/site/conf.py docs/site/antsibull-docs.cfg "$dest/"
antsibull-docs --config-file "$dest/antsibull-docs.cfg" collection --use-current --cleanup everything \
  --dest-dir "$dest/rst" electrode.cluster
cp docs/site/index.rst "$dest/rst/index.rst"
warnings="$dest/sphinx-warnings.txt"
sphinx-build -q -b html -c "$dest" -w "$warnings" --keep-going "$dest/rst" "$dest/html" || true
# What only the network fixes: the inventories of docs.ansible.com, and the labels they define.
offline='failed to reach any of the inventories|intersphinx inventory|^\s|undefined label: .(common_return_values|action_plugins|ansible_configuration_settings|playbooks_tags|playbooks_variables|module_defaults|collections_using|playbooks_reuse_roles).'
if grep -Ev "$offline" "$warnings" | grep -q .; then
  echo "docs.sh: the docs site has problems:" >&2
  grep -Ev "$offline" "$warnings" >&2
  exit 1
fi
test -f "$dest/html/collections/electrode/cluster/index.html"
echo "docs.sh: $dest/html/index.html ($(find "$dest/html" -name '*.html' | wc -l) pages)"
