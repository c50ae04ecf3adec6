#!/usr/bin/env bash
# Builds a folder in the layout of Ubuntu's mainline archive under $1/www for architecture $2:
# tiny debs of ours (a file under /usr/share/doc each, no scripts) named as 6.0.0's generic
# debs are, CHECKSUMS with Sha1 and Sha256 blocks, and CHECKSUMS.gpg. Throwaway keys: a
# "kernel-ppa" key whose fingerprint the test pins, and a "stranger". One folder a case:
#   good/v6.0/ARCH      as the archive has it
#   tampered/v6.0/ARCH  one deb differs from what CHECKSUMS says
#   badsig/v6.0/ARCH    CHECKSUMS signed by the stranger
# keys/both.asc holds both public keys, so the stranger's signature is good but not pinned.
# Prints the kernel-ppa key's fingerprint as JSON.
set -euo pipefail
root=$1
arch=$2
build=6.0.0-060000.202210022231
export GNUPGHOME=$root/gnupg
# A gpg-agent left from an earlier run holds a socket in the folder deleted below: stop it first,
# and stop this run's when done, so that no daemon is left behind.
[ -d "$GNUPGHOME" ] && gpgconf --kill gpg-agent 2>/dev/null || true
trap 'gpgconf --kill gpg-agent 2>/dev/null || true' EXIT
rm -rf "$root" && mkdir -p "$GNUPGHOME" "$root/www/keys" && chmod 700 "$GNUPGHOME"
for who in kernel-ppa stranger; do
  gpg --batch --quiet --passphrase '' --quick-gen-key "Fixture $who <$who@fixture.invalid>" ed25519 sign never
done
gpg --batch --armor --export > "$root/www/keys/both.asc"

deb() {  # deb DIR PACKAGE ARCH
  local staging=$root/staging/$2
  mkdir -p "$staging/DEBIAN" "$staging/usr/share/doc/$2"
  printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: electrode.cluster tests <tests@fixture.invalid>\nDescription: electrode.cluster test fixture named like a mainline kernel deb\n' \
    "$2" "$build" "$3" > "$staging/DEBIAN/control"
  echo "electrode.cluster fixture, not a kernel" > "$staging/usr/share/doc/$2/README"
  dpkg-deb --root-owner-group --build "$staging" "$1/$2_${build}_$3.deb" >/dev/null
}
folder() {  # folder CASE SIGNER
  local dir=$root/www/$1/v6.0/$arch
  mkdir -p "$dir"
  deb "$dir" linux-headers-6.0.0-060000 all
  for package in linux-headers-6.0.0-060000-generic linux-image-unsigned-6.0.0-060000-generic linux-modules-6.0.0-060000-generic; do
    deb "$dir" "$package" "$arch"
  done
  (cd "$dir" && { echo '# Checksums, check with the command below:'; echo '#     shasum -c CHECKSUMS'; echo '#';
    echo '# Checksums-Sha1:'; sha1sum ./*.deb | sed 's| \./| |'; echo '#'; echo '# Checksums-Sha256:';
    sha256sum ./*.deb | sed 's| \./| |'; } > CHECKSUMS)
  gpg --batch --yes --local-user "$2@fixture.invalid" --detach-sign -o "$dir/CHECKSUMS.gpg" "$dir/CHECKSUMS"
}
folder good kernel-ppa
folder tampered kernel-ppa
printf 'x' >> "$root/www/tampered/v6.0/$arch/linux-modules-6.0.0-060000-generic_${build}_$arch.deb"
folder badsig stranger
printf '{"fingerprint": "%s"}\n' "$(gpg --with-colons --list-keys kernel-ppa@fixture.invalid | awk -F: '$1 == "fpr" { print $10; exit }')"
