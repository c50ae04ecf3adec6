#!/usr/bin/env bash
# The machine scenario's base disk, built on this host without loop devices: Debian 12
# (debootstrap from MIRROR) with its kernel, GRUB's packages, systemd-networkd (DHCP on the
# management NIC, a static address on the experiment NIC, both matched by MAC) and sshd with
# root's key; one ext4 partition, written into the disk file at its offset by mke2fs. GRUB is
# installed on the disk by the VM itself at its first boot (create.yml).
#   build-image.sh OUT.raw MIRROR ROOT_PUBKEY MGMT_MAC EXPERIMENT_MAC EXPERIMENT_ADDRESS
# Writes OUT.raw, OUT.kernel and OUT.initrd (for the first boot) and OUT.hostkey (the VM's
# ed25519 host key, for known_hosts).
set -euo pipefail
out=$1 mirror=$2 pubkey=$3 mgmt_mac=$4 exp_mac=$5 exp_address=$6
work=$(mktemp -d /var/tmp/electrode-machine-image.XXXXXX)
trap 'umount "$work/root/proc" "$work/root/sys" 2>/dev/null || true; rm -rf "$work"' EXIT
root=$work/root

debootstrap --variant=minbase \
  --include=systemd-sysv,udev,kmod,dbus,openssh-server,python3,ethtool,iproute2,initramfs-tools \
  bookworm "$root" "$mirror"

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  linux-image-amd64 grub-pc
rm "$root/usr/sbin/policy-rc.d"
umount "$root/proc" "$root/sys"

echo machine > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 machine\n' > "$root/etc/hosts"
echo 'LABEL=machine / ext4 errors=remount-ro 0 1' > "$root/etc/fstab"
install -d -m 0700 "$root/root/.ssh"
install -m 0600 "$pubkey" "$root/root/.ssh/authorized_keys"
cat > "$root/etc/systemd/network/10-management.network" <<NETWORK
[Match]
MACAddress=$mgmt_mac

[Network]
DHCP=ipv4
NETWORK
cat > "$root/etc/systemd/network/20-experiment.network" <<NETWORK
[Match]
MACAddress=$exp_mac

[Link]
RequiredForOnline=no

[Network]
Address=$exp_address
LinkLocalAddressing=no
ConfigureWithoutCarrier=yes
NETWORK
chroot "$root" systemctl enable systemd-networkd.service
cat >> "$root/etc/default/grub" <<'GRUB'
GRUB_TIMEOUT=1
GRUB_CMDLINE_LINUX="console=ttyS0,115200"
GRUB_TERMINAL=serial
GRUB_SERIAL_COMMAND="serial --speed=115200"
GRUB

kernel=$(ls "$root"/boot/vmlinuz-* | sort | tail -n 1)
cp "$kernel" "$out.kernel"
cp "$root/boot/initrd.img-${kernel##*/vmlinuz-}" "$out.initrd"
cp "$root/etc/ssh/ssh_host_ed25519_key.pub" "$out.hostkey"

# A DOS label with one bootable Linux partition from 1 MiB; the file system goes in at that offset.
truncate -s 6G "$work/disk.raw"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk --quiet "$work/disk.raw"
mkfs.ext4 -q -F -L machine -d "$root" -E offset=1048576 "$work/disk.raw" 6143M
mv "$work/disk.raw" "$out"
