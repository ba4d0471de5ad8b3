#!/usr/bin/env bash
# Builds Floe's container image from the distribution, without pulling any base image: the
# distribution's runtime and jars, the shared libraries they link (from this machine's Debian),
# a passwd entry for an unprivileged user, and nothing else (no shell, no package manager).
#   bin/floe image [distribution-dir] [output-dir]  -> output-dir/floe-image.tar, an OCI image
#   layout archive (podman load -i, skopeo copy oci-archive:..., or crane push)
# The image runs `java @/opt/floe/lib/container.args io.floe.server.Main serve` as user 10001;
# it needs FLOE_DATABASE_URL (the embedded PostgreSQL needs tools the image does not carry).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dist="${1:-}"
out="$(mkdir -p "${2:-$root/dist}" && cd "${2:-$root/dist}" && pwd)"
if [[ -z "$dist" ]]; then
  dist="$(bash "$root/scripts/dist/build.sh" "$out")"
fi
command -v umoci >/dev/null || { echo "image: umoci is needed (apt-get install umoci)" >&2; exit 1; }
version="0.1.0-SNAPSHOT"
work="$(mktemp -d /tmp/floe-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs/opt/floe" "$rootfs/etc" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"

# the distribution, but for its shell launcher (there is no shell to run it)
cp -a "$dist/runtime" "$dist/lib" "$rootfs/opt/floe/"
{
  echo "-XX:AOTCache=/opt/floe/lib/floe.aot"
  echo "-Dfloe.plugin.dir=/opt/floe/lib/plugins"
  printf -- "-cp "
  sed 's|^|/opt/floe/lib/|' "$dist/lib/classpath" | paste -sd: -
} >"$rootfs/opt/floe/lib/container.args"

# the shared libraries the runtime links, and those the jars' native parts (compression, the
# JDBC driver's none) need: libstdc++ and libgcc_s for snappy; each with the loader
libraries() {
  find "$dist/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null | awk '/=> \// {print $3} /^\t\/lib64\// {print $1}' | sort -u
  for name in libstdc++.so.6 libgcc_s.so.1; do
    ldconfig -p | awk -v n="$name" '$1 == n && /x86-64/ {print $NF; exit}'
  done
}
for library in $(libraries); do
  real="$(readlink -f "$library")"
  mkdir -p "$rootfs$(dirname "$library")" "$rootfs$(dirname "$real")"
  cp -p "$real" "$rootfs$real"
  [[ "$library" != "$real" ]] && ln -sf "$real" "$rootfs$library"
done
# the loader where every binary looks for it
mkdir -p "$rootfs/lib64"
[[ -e "$rootfs/lib64/ld-linux-x86-64.so.2" ]] || ln -sf /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$rootfs/lib64/ld-linux-x86-64.so.2"
mkdir -p "$rootfs/lib/x86_64-linux-gnu"
cp -p "$(readlink -f /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)" "$rootfs/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" 2>/dev/null || true

cat >"$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/nonexistent:/sbin/nologin
floe:x:10001:10001:Floe:/nonexistent:/sbin/nologin
PASSWD
cat >"$rootfs/etc/group" <<'GROUP'
root:x:0:
floe:x:10001:
GROUP
echo "hosts: files dns" >"$rootfs/etc/nsswitch.conf"

umoci init --layout "$work/layout" >/dev/null
umoci new --image "$work/layout:$version" >/dev/null
umoci insert --image "$work/layout:$version" "$rootfs" / >/dev/null
umoci config --image "$work/layout:$version" \
  --config.user 10001:10001 \
  --config.workingdir /tmp \
  --config.entrypoint /opt/floe/runtime/bin/java \
  --config.entrypoint @/opt/floe/lib/jvm.options \
  --config.entrypoint @/opt/floe/lib/container.args \
  --config.entrypoint io.floe.server.Main \
  --config.cmd serve \
  --config.env FLOE_BIND_ADDRESS=0.0.0.0 \
  --config.env FLOE_DATA_DIR=/tmp/floe \
  --config.exposedports 8181/tcp \
  --config.label org.opencontainers.image.title=floe \
  --config.label org.opencontainers.image.version="$version" \
  --author "Floe" >/dev/null
umoci gc --layout "$work/layout"
tar -C "$work/layout" -cf "$out/floe-image.tar" .
layer="$(du -m "$out/floe-image.tar" | cut -f1)"
echo "image: $out/floe-image.tar ($layer MB, OCI image layout; root file system $(du -sm "$rootfs" | cut -f1) MB)" >&2
echo "$out/floe-image.tar"
