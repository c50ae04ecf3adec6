#!/usr/bin/env bash
# Builds the kernel.org-like fixture for the tarball method under $1: throwaway keys (an
# "autosigner", a "developer", and a "stranger" whose fingerprint is never pinned), and one
# folder a case, each with linux-5.8.tar.xz, linux-5.8.tar.sign and sha256sums.asc:
#   good      all as kernel.org has it
#   tampered  the tarball differs from the one the signed list names
#   badsig    the tarball is signed by the stranger
#   badsums   the list is signed by the stranger
#   sixone    all signed as it should be, but the tree inside is 6.1
# Prints the autosigner's and the developer's fingerprints as JSON.
set -euo pipefail
root=$1
makefile=$2
export GNUPGHOME=$root/gnupg
# A gpg-agent left from an earlier run holds a socket in the folder deleted below: stop it first,
# and stop this run's when done, so that no daemon is left behind.
[ -d "$GNUPGHOME" ] && gpgconf --kill gpg-agent 2>/dev/null || true
trap 'gpgconf --kill gpg-agent 2>/dev/null || true' EXIT
rm -rf "$root" && mkdir -p "$GNUPGHOME" "$root/www/keys" && chmod 700 "$GNUPGHOME"
for who in autosigner developer stranger; do
  gpg --batch --quiet --passphrase '' --quick-gen-key "Fixture $who <$who@fixture.invalid>" ed25519 sign never
done
fpr() { gpg --with-colons --list-keys "$1@fixture.invalid" | awk -F: '$1 == "fpr" { print $10; exit }'; }
gpg --batch --armor --export > "$root/www/keys/fixture.asc"

tarball() {  # tarball DIR MAJOR MINOR
  local tree=$root/tree-$2.$3
  rm -rf "$tree" && mkdir -p "$tree/linux-5.8"
  sed "s/FIXTURE_VERSION/$2/; s/FIXTURE_PATCHLEVEL/$3/" "$makefile" > "$tree/linux-5.8/Makefile"
  tar --sort=name --mtime=@0 --owner=0 --group=0 -cf "$1/linux-5.8.tar" -C "$tree" linux-5.8
}
case_dir() {  # case_dir NAME TREE_MAJOR TREE_MINOR TAR_SIGNER SUMS_SIGNER TAMPER
  local dir=$root/www/$1
  mkdir -p "$dir"
  tarball "$dir" "$2" "$3"
  gpg --batch --yes --armor --local-user "$4@fixture.invalid" --detach-sign -o "$dir/linux-5.8.tar.sign" "$dir/linux-5.8.tar"
  xz -9 "$dir/linux-5.8.tar"
  (cd "$dir" && sha256sum linux-5.8.tar.xz > sums.txt)
  gpg --batch --yes --local-user "$5@fixture.invalid" --clearsign -o "$dir/sha256sums.asc" "$dir/sums.txt"
  rm "$dir/sums.txt"
  if [ "$6" = tamper ]; then printf 'x' >> "$dir/linux-5.8.tar.xz"; fi
}
case_dir good 5 8 developer autosigner no
case_dir tampered 5 8 developer autosigner tamper
case_dir badsig 5 8 stranger autosigner no
case_dir badsums 5 8 developer stranger no
case_dir sixone 6 1 developer autosigner no
printf '{"autosigner": "%s", "developer": "%s", "stranger": "%s"}\n' "$(fpr autosigner)" "$(fpr developer)" "$(fpr stranger)"
