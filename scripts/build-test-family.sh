#!/usr/bin/env bash
# Builds the family of real images in test/real-build twice, as written and restructured, with no
# container engine: a debootstrap minbase rootfs as the base image, then `buildah bud --layers
# --isolation chroot` for each Dockerfile, exported as one OCI layout per variant.
#
# usage: scripts/build-test-family.sh OUT
#   OUT/src/{written,restructured}/<image>/   the build contexts (fixture files plus generated data)
#   OUT/oci/{written,restructured}            OCI layouts, one ref per image name
#   OUT/svc-b.docker.tar                      the written svc-b as a docker-archive
# env:   CACHE_DIR (default .cache/real-build)  keeps the rootfs tar between runs
#        MIRROR    Debian mirror (default: the one apt on this machine uses)
#        REBUILD=1 build even when OUT holds a build of the same fixtures
# exit:  0 built, 3 tools missing or not root, 4 the package source cannot be reached, 1 anything else.
# Needs root and the Debian packages buildah and debootstrap.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FAMILY=$ROOT/test/real-build
IMAGES="base svc-base svc-a svc-b svc-c"
SUITE=bookworm
OUT=${1:?usage: build-test-family.sh OUT}
CACHE=${CACHE_DIR:-$ROOT/.cache/real-build}
EXIT_TOOLS=3
EXIT_UNREACHABLE=4

log() { echo "build-test-family: $*" >&2; }
fail() { log "$2"; exit "$1"; }
elapsed() { echo "$(( $(date +%s) - T0 ))s"; }
T0=$(date +%s)

[ "$(id -u)" = 0 ] || fail $EXIT_TOOLS "needs root (debootstrap and chroot builds)"
for tool in buildah debootstrap tar flock; do
  command -v "$tool" >/dev/null || fail $EXIT_TOOLS "missing $tool (apt-get install buildah debootstrap)"
done

if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(sed -n 's/^URIs: *\([^ ]*\/debian\/\{0,1\}\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
  [ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
fi
SECURITY=${MIRROR%/}
SECURITY=${SECURITY%/debian}/debian-security

mkdir -p "$OUT" "$CACHE"
OUT=$(cd "$OUT" && pwd)
# Two test runs at once wait for each other, and the second reuses the first one's build.
exec 9>"$OUT/.lock"
flock 9
STAMP=$( { cat "$0"; find "$FAMILY" -type f | LC_ALL=C sort | xargs cat; echo "$SUITE $IMAGES"; } | sha256sum | cut -c1-32)
if [ "${REBUILD:-}" != 1 ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$STAMP" ] && [ -f "$OUT/oci/restructured/index.json" ]; then
  log "reusing the build in $OUT (REBUILD=1 to build again)"
  exit 0
fi
rm -f "$OUT/stamp"

# 1. The base rootfs: debootstrap once, slimmed and configured like the official debian images,
#    so that what the Dockerfiles leave behind is theirs and not the base's.
ROOTFS_TAR=$CACHE/rootfs-$SUITE.tar
if [ ! -s "$ROOTFS_TAR" ]; then
  STAGE=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$STAGE"' EXIT
  log "debootstrap $SUITE from $MIRROR"
  if ! timeout 1200 debootstrap --variant=minbase "$SUITE" "$STAGE/rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
    if grep -qiE "Failed getting release|Couldn't download|couldn't download|Failed to fetch|Temporary failure|Could not resolve|Connection refused|timed out|Network is unreachable|Unable to fetch" "$CACHE/debootstrap.log"; then
      fail $EXIT_UNREACHABLE "debootstrap cannot reach $MIRROR (see $CACHE/debootstrap.log)"
    fi
    tail -20 "$CACHE/debootstrap.log" >&2
    fail 1 "debootstrap failed (see $CACHE/debootstrap.log)"
  fi
  R=$STAGE/rootfs
  cat >"$R/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$R/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";' >"$R/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$R/etc/apt/apt.conf.d/docker-autoremove-suggests"
  cat >"$R/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
EOF
  rm -f "$R/etc/apt/sources.list"
  cat >"$R/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  find "$R/usr/share/doc" -mindepth 1 -not -type d -not -name copyright -delete
  find "$R/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$R"/usr/share/man/* "$R"/usr/share/groff/* "$R"/usr/share/info/* "$R"/usr/share/lintian/*
  find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/*
  find "$R/var/log" -type f -exec truncate -s 0 {} +
  tar --numeric-owner -C "$R" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$STAGE"
  trap - EXIT
  log "rootfs ready ($(elapsed))"
fi

# 2. Build contexts: the fixture files plus data the repository does not carry (the same bytes in both variants).
rm -rf "$OUT/src" "$OUT/oci" "$OUT/gen" "$OUT/svc-b.docker.tar"
mkdir -p "$OUT/gen/vendor" "$OUT/oci" "$OUT/src"
head -c 750000 /dev/urandom | base64 -w 76 >"$OUT/gen/data.txt"
head -c 1500000 /dev/urandom >"$OUT/gen/vendor/libvendor.so"
head -c 500000 /dev/urandom | base64 -w 76 >"$OUT/gen/vendor/catalog.txt"
tar --numeric-owner --owner=0 --group=0 -C "$OUT/gen/vendor" -czf "$OUT/gen/vendor.tar.gz" .
for variant in written restructured; do
  cp -a "$FAMILY/$variant" "$OUT/src/$variant"
  ln "$ROOTFS_TAR" "$OUT/src/$variant/base/rootfs.tar" 2>/dev/null || cp "$ROOTFS_TAR" "$OUT/src/$variant/base/rootfs.tar"
  cp "$OUT/gen/data.txt" "$OUT/src/$variant/svc-a/app/data.txt"
  cp "$OUT/gen/vendor.tar.gz" "$OUT/src/$variant/svc-b/vendor.tar.gz"
  chmod -R u=rwX,go=rX "$OUT/src/$variant"
done

# 3. Builds. overlay is several times faster than vfs, but cannot stack on an overlayfs.
DRIVER=overlay
[ "$(stat -f -c %T "$OUT")" = overlayfs ] && DRIVER=vfs
STORE=(--root "$OUT/storage" --runroot "$OUT/runroot" --storage-driver "$DRIVER")
cleanup_store() { buildah "${STORE[@]}" rm --all >/dev/null 2>&1 || true; buildah "${STORE[@]}" rmi --all --force >/dev/null 2>&1 || true; rm -rf "$OUT/storage" "$OUT/runroot"; }
cleanup_store
trap cleanup_store EXIT
for variant in written restructured; do
  for image in $IMAGES; do
    ctx=$OUT/src/$variant/$image
    if ! buildah "${STORE[@]}" bud --layers --isolation chroot --pull-never -q -f "$ctx/Dockerfile" -t "localhost/$image:latest" "$ctx" >"$OUT/bud-$variant-$image.log" 2>&1; then
      tail -30 "$OUT/bud-$variant-$image.log" >&2
      if grep -qiE "Failed to fetch|Temporary failure resolving|Could not resolve|Unable to fetch|Connection failed" "$OUT/bud-$variant-$image.log"; then
        fail $EXIT_UNREACHABLE "the package source cannot be reached from the build of $variant/$image"
      fi
      fail 1 "build of $variant/$image failed (see $OUT/bud-$variant-$image.log)"
    fi
    buildah "${STORE[@]}" push -q "localhost/$image:latest" "oci:$OUT/oci/$variant:$image" >/dev/null
    if [ "$variant/$image" = written/svc-b ]; then
      buildah "${STORE[@]}" push -q "localhost/$image:latest" "docker-archive:$OUT/svc-b.docker.tar:localhost/svc-b:latest" >/dev/null
    fi
    log "built $variant/$image ($(elapsed))"
  done
done
echo "$STAMP" >"$OUT/stamp"
log "done in $(elapsed)"
