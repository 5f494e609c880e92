#!/bin/sh
# Finishes a debootstrap'ed root file system before it is imported as playground-base:<suite>-<hash>.
# Usage: finish-rootfs.sh <rootfs-dir> <suite> <mirror> <security-mirror>
set -eu
root="$1" suite="$2" mirror="$3" security="$4"
[ -d "$root/etc/apt" ] || { echo "finish-rootfs: $root is not a debootstrap'ed root" >&2; exit 1; }

# Package sources with updates and security fixes (debootstrap writes only "<suite> main").
cat >"$root/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
SOURCES

# Like Debian's official images: no package caches or translations left in image layers.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"

# Nothing of the build host: Docker provides these at run time.
: >"$root/etc/hostname"
: >"$root/etc/resolv.conf"
rm -f "$root/etc/machine-id" "$root/var/lib/dbus/machine-id"

# Package lists and caches: every image built FROM a base runs apt-get update itself.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/var/cache/apt/archives/partial/* "$root"/var/log/bootstrap.log "$root"/tmp/* "$root"/var/tmp/*
mkdir -p "$root/var/lib/apt/lists/partial"
