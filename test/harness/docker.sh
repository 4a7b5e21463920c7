#!/usr/bin/env bash
# test/harness/docker.sh: a real Docker engine + BuildKit + buildx + registry
# + QEMU for noetl-build's end-to-end tests, scripted, idempotent and cached.
#
#   docker.sh install        apt packages; buildx + buildkitd/buildctl from source (cached)
#   docker.sh start          binfmt, dockerd, registry, buildkitd, buildx builder "noetl-e2e"
#   docker.sh base-images    local base images in 127.0.0.1:5000 (no pull from anywhere)
#   docker.sh env            `export ...` lines for tests: eval "$(docker.sh env)"
#   docker.sh binfmt on|off  enable / disable the qemu-aarch64 handler
#   docker.sh status         what is running (exit 3 when something is down)
#   docker.sh stop           stop what start started, by PID file only
#   docker.sh selftest       prove the product Dockerfile: two-platform build with
#                            emulation OFF, push, inspect, run arm64 with emulation ON
#   docker.sh all            install + start + base-images
#
# Why this shape: the test machines (Debian 12, x86_64, root) reach only the
# package registries, never a container registry; Debian ships neither buildx
# nor BuildKit. So: Debian packages for the engine, registry and QEMU, the Go
# module proxy for buildx/BuildKit sources, debootstrap for base images, and
# everything served on loopback or unix sockets (see docs/E2E.md).
#
# Every failure exits non-zero with a message (set -e + ERR trap); nothing is
# ever skipped silently, with or without CI=true.
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)

# ---------------------------------------------------------------- settings --
CACHE=${NOETL_HARNESS_CACHE:-$HOME/.cache/noetl-harness}   # survives runs: binaries, rootfs, image archives
STATE=${NOETL_HARNESS_STATE:-/tmp/noetl-harness}           # per-machine-boot: sockets, pids, daemon data
GO=${NOETL_GO:-/usr/local/go/bin/go}
# Pinned tool versions (both need go >= 1.26.8, which is what the machine has).
BUILDX_VERSION=${NOETL_BUILDX_VERSION:-v0.38.2}
BUILDKIT_VERSION=${NOETL_BUILDKIT_VERSION:-v0.34.2}
REGISTRY=127.0.0.1:5000
BUILDER=noetl-e2e
SUITE=bookworm
# Plain http on purpose: the rootfs has no CA bundle yet; apt verifies by GPG.
DEBIAN_MIRROR=${NOETL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# The docker CLI config (holds the buildx plugin and the builder registration).
# Pinned explicitly and exported by `env` so the tests and this script agree.
DOCKER_CONFIG=${DOCKER_CONFIG:-$HOME/.docker}
# Which docker client: the first `docker` on PATH (on these machines that is
# /usr/local/bin/docker 28.x, client only; Debian's /usr/bin/docker 20.10 comes
# with docker.io). buildx is a CLI plugin, so it works with either; we export
# the resolved path as DOCKER so tests call exactly the client we checked.
DOCKER_BIN=${NOETL_DOCKER_CLIENT:-$(command -v docker || echo /usr/bin/docker)}

BUILDX_DIR=$CACHE/buildx-$BUILDX_VERSION
BUILDKIT_DIR=$CACHE/buildkit-$BUILDKIT_VERSION
DOCKER_SOCK=$STATE/docker.sock
BUILDKIT_SOCK=$STATE/buildkitd.sock
LOGS=$STATE/logs
# A BuildKit source policy that DENIES every image not in our registry: a
# forgotten --build-arg then fails at once with "denied by policy" instead of
# trying docker.io (BuildKit checks the policy before resolving an image).
SOURCE_POLICY=$STATE/source-policy.json
export DOCKER_HOST=unix://$DOCKER_SOCK DOCKER_CONFIG
export EXPERIMENTAL_BUILDKIT_SOURCE_POLICY=$SOURCE_POLICY
export PATH=$BUILDKIT_DIR:$BUILDX_DIR:$PATH

APT_PACKAGES=(docker.io runc containerd qemu-user-static binfmt-support docker-registry
  skopeo busybox-static debootstrap file ca-certificates curl)

# ----------------------------------------------------------------- helpers --
log() { printf '[harness %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() {
  printf 'harness: ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; printf "harness: ERROR: command failed (exit %s) at %s:%s: %s\n" "$rc" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

# step NAME CMD...: run and record the duration (docs/E2E.md timings come from here).
step() {
  local name=$1 t0=$SECONDS
  shift
  "$@"
  local dt=$((SECONDS - t0))
  log "$name: ${dt}s"
  mkdir -p "$CACHE" && printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "$name" "$dt" >>"$CACHE/timings.log"
}

need_root() { [ "$(id -u)" = 0 ] || die "must run as root (dockerd, binfmt_misc, debootstrap)"; }

# wait_for SECONDS WHAT CMD...: poll until CMD succeeds; bounded, never hangs.
wait_for() {
  local limit=$1 what=$2 i=0
  shift 2
  until "$@" >/dev/null 2>&1; do
    i=$((i + 1))
    [ "$i" -le $((limit * 2)) ] || return 1
    sleep 0.5
  done
  log "$what is ready"
}

# pid_alive PIDFILE: the recorded process is alive AND is the daemon this
# PID file names (a stale file after a reboot must never make us signal an
# unrelated process that got the same PID).
pid_alive() {
  local pid exe
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  case "${1##*/}" in
  dockerd.pid) exe=dockerd ;;
  registry.pid) exe=docker-registry ;;
  buildkitd.pid) exe=buildkitd ;;
  *) return 0 ;;
  esac
  [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)")" = "$exe" ]
}

# start_daemon NAME CMD...: detached (setsid) so it outlives this script; PID file
# in $STATE/NAME.pid is what `stop` uses, and the only thing it uses.
start_daemon() {
  local name=$1
  shift
  mkdir -p "$LOGS"
  # (no job control here, so setsid execs in place and $! is the daemon itself)
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$STATE/$name.pid"
}
# check_started NAME: the recorded PID is alive after the readiness wait.
check_started() { pid_alive "$STATE/$1.pid" || die "$1 answered but its PID $(cat "$STATE/$1.pid") is not alive: see $LOGS/$1.log"; }

stop_pidfile() {
  local name=$1 pidfile=$STATE/$1.pid pid i
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill -TERM "$pid"
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop in 30s; sending KILL to pid $pid"
    kill -KILL "$pid" || true
  fi
  rm -f "$pidfile"
}

docker_cli() { "$DOCKER_BIN" "$@"; }

registry_up() { curl -fs -o /dev/null "http://$REGISTRY/v2/"; }
# registry_has REF: the tag exists in our registry (skopeo reads plain http with --tls-verify=false).
registry_has() { skopeo inspect --tls-verify=false --raw "docker://$1" >/dev/null 2>&1; }

# ----------------------------------------------------------------- install --
ensure_policy_rc() {
  # apt must not start docker.io's or docker-registry's default services (a
  # bridge network, a registry on all interfaces): policy-rc.d exiting 101.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# installed by noetl test/harness/docker.sh: no service starts from apt\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
  fi
  local rc=0
  /usr/sbin/policy-rc.d >/dev/null 2>&1 || rc=$?
  [ "$rc" = 101 ] || die "/usr/sbin/policy-rc.d exits $rc, not 101: apt would start docker/registry services; fix it first"
}

install_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" = 0 ]; then
    log "apt packages already installed"
    return 0
  fi
  ensure_policy_rc
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$CACHE/apt-install.log" 2>&1; then
    log "apt-get install failed; refreshing package lists once and retrying"
    apt-get update >>"$CACHE/apt-install.log" 2>&1 || die "apt-get update failed (see $CACHE/apt-install.log)"
    apt-get install -y --no-install-recommends "${missing[@]}" >>"$CACHE/apt-install.log" 2>&1 ||
      die "apt-get install ${missing[*]} failed (see $CACHE/apt-install.log)"
  fi
}

# go_build NAME MODULE VERSION "LDFLAGS" PKG...: build commands of a Go module
# at a pinned version through the module proxy. `go install mod@ver` refuses
# modules with `replace` lines, so download the module, copy it somewhere
# writable and build inside it, where its own go.mod/go.sum govern.
go_build() {
  local name=$1 mod=$2 ver=$3 ldflags=$4
  shift 4
  local out=$CACHE/$name-$ver
  if [ -f "$out/.complete" ]; then
    log "$name $ver: cached in $out"
    return 0
  fi
  [ -x "$GO" ] || die "go not found at $GO (set NOETL_GO)"
  local json dir work=$CACHE/src/$name-$ver tmp=$out.tmp
  log "$name $ver: go mod download + build (cold: several minutes on 2 cores)"
  # Run from / so no go.mod of the caller's directory interferes; never switch
  # toolchains behind our back (GOTOOLCHAIN=local): fail clearly instead.
  json=$(cd / && GOTOOLCHAIN=local "$GO" mod download -json "$mod@$ver") ||
    die "go mod download $mod@$ver failed (Go module proxy reachable? $(go_env_proxy))"
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -f "$dir/go.mod" ] || die "go mod download gave no module directory for $mod@$ver"
  rm -rf "$work" "$tmp"
  mkdir -p "$work" "$tmp"
  cp -a "$dir/." "$work/"
  chmod -R u+w "$work" # the module cache is read-only
  local pkg
  for pkg in "$@"; do
    (cd "$work" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
      "$GO" build -trimpath -tags "osusergo netgo" -ldflags "-s -w $ldflags" -o "$tmp/" "$pkg") ||
      die "go build $pkg of $mod@$ver failed"
  done
  rm -rf "$out" && mv "$tmp" "$out"
  touch "$out/.complete"
  rm -rf "$work"
}
go_env_proxy() { "$GO" env GOPROXY 2>/dev/null || true; }

install_buildx_plugin() {
  # buildx is found by the docker CLI as a plugin in $DOCKER_CONFIG/cli-plugins.
  local dst=$DOCKER_CONFIG/cli-plugins/docker-buildx
  mkdir -p "$DOCKER_CONFIG/cli-plugins"
  cmp -s "$BUILDX_DIR/buildx" "$dst" 2>/dev/null || install -m 0755 "$BUILDX_DIR/buildx" "$dst"
  local v
  v=$(docker_cli buildx version 2>&1) || die "'$DOCKER_BIN buildx version' failed: $v"
  case "$v" in *"$BUILDX_VERSION"*) log "buildx plugin OK with $DOCKER_BIN: $v" ;;
  *) die "'$DOCKER_BIN buildx version' reports '$v', expected $BUILDX_VERSION" ;; esac
}

cmd_install() {
  need_root
  mkdir -p "$CACHE"
  step "install: apt packages" install_apt
  step "install: build buildx $BUILDX_VERSION" go_build buildx github.com/docker/buildx "$BUILDX_VERSION" \
    "-X github.com/docker/buildx/version.Version=$BUILDX_VERSION -X github.com/docker/buildx/version.Package=github.com/docker/buildx" \
    ./cmd/buildx
  step "install: build buildkitd+buildctl $BUILDKIT_VERSION" go_build buildkit github.com/moby/buildkit "$BUILDKIT_VERSION" \
    "-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit" \
    ./cmd/buildkitd ./cmd/buildctl
  install_buildx_plugin
  "$BUILDKIT_DIR/buildkitd" --version >&2
}

# ------------------------------------------------------------------ binfmt --
BINFMT_DIR=/proc/sys/fs/binfmt_misc
binfmt_mount() {
  if [ ! -e "$BINFMT_DIR/register" ]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT_DIR" || die "cannot mount binfmt_misc on $BINFMT_DIR"
  fi
}
binfmt_state() { # prints enabled|disabled|absent
  if [ -f "$BINFMT_DIR/qemu-aarch64" ]; then head -n1 "$BINFMT_DIR/qemu-aarch64"; else echo absent; fi
}
cmd_binfmt() {
  need_root
  binfmt_mount
  case "${1:-}" in
  on)
    [ "$(binfmt_state)" = enabled ] || update-binfmts --enable qemu-aarch64 ||
      die "update-binfmts --enable qemu-aarch64 failed (qemu-user-static + binfmt-support installed?)"
    [ "$(binfmt_state)" = enabled ] || die "qemu-aarch64 handler is '$(binfmt_state)' after enabling"
    ;;
  off)
    if [ "$(binfmt_state)" = enabled ]; then
      update-binfmts --disable qemu-aarch64 || die "update-binfmts --disable qemu-aarch64 failed"
    fi
    [ "$(binfmt_state)" != enabled ] || die "qemu-aarch64 handler still enabled"
    ;;
  *) die "usage: docker.sh binfmt on|off" ;;
  esac
  log "binfmt qemu-aarch64: $(binfmt_state)"
}

# ------------------------------------------------------------------- start --
write_configs() {
  mkdir -p "$STATE/registry/data" "$STATE/buildkit" "$LOGS"
  # dockerd reads only this file (not /etc/docker/daemon.json).
  printf '{}\n' >"$STATE/daemon.json"
  # Debian's registry with our own config: loopback only, storage in $STATE,
  # no debug listener.
  cat >"$STATE/registry/config.yml" <<EOF
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $STATE/registry/data
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  # Last matching rule wins: deny all images, then allow 127.0.0.1:5000/*.
  cat >"$SOURCE_POLICY" <<EOF
{
  "rules": [
    { "action": "DENY", "selector": { "identifier": "docker-image://*" } },
    { "action": "ALLOW", "selector": { "identifier": "docker-image://$REGISTRY/*" } }
  ]
}
EOF
  # BuildKit: runc worker only; plain http + insecure for our registry so
  # FROM 127.0.0.1:5000/... and --push work without TLS.
  cat >"$STATE/buildkitd.toml" <<EOF
root = "$STATE/buildkit"
[grpc]
  address = ["unix://$BUILDKIT_SOCK"]
[worker.oci]
  enabled = true
  snapshotter = "overlayfs"
  gc = true
  gckeepstorage = "20GB"
[worker.containerd]
  enabled = false
[registry."$REGISTRY"]
  http = true
  insecure = true
EOF
}

start_dockerd() {
  if pid_alive "$STATE/dockerd.pid" && docker_cli version >/dev/null 2>&1; then
    log "dockerd already running (pid $(cat "$STATE/dockerd.pid"))"
    return 0
  fi
  [ ! -S "$DOCKER_SOCK" ] || rm -f "$DOCKER_SOCK"
  # No bridge, no iptables, no forwarding or masquerading: containers get only
  # --network none or --network host. dockerd supervises its own containerd
  # under the exec-root/data-root, so nothing outside $STATE is touched.
  # (dockerd writes its own pidfile; start_daemon's PID is the same process.)
  start_daemon dockerd /usr/sbin/dockerd \
    --config-file "$STATE/daemon.json" \
    --data-root "$STATE/docker" --exec-root "$STATE/docker-exec" \
    --pidfile "$STATE/dockerd.daemon.pid" \
    -H "unix://$DOCKER_SOCK" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false --ip6tables=false \
    --userland-proxy=false
  wait_for 60 dockerd docker_cli version ||
    die "dockerd did not come up in 60s; log: $LOGS/dockerd.log: $(tail -n 5 "$LOGS/dockerd.log" 2>/dev/null)"
  check_started dockerd
}

start_registry() {
  if pid_alive "$STATE/registry.pid" && registry_up; then
    log "registry already running (pid $(cat "$STATE/registry.pid"))"
    return 0
  fi
  if registry_up; then die "something else already serves http://$REGISTRY (not started by this harness); stop it first"; fi
  start_daemon registry /usr/bin/docker-registry serve "$STATE/registry/config.yml"
  wait_for 30 registry registry_up ||
    die "registry did not answer on http://$REGISTRY/v2/ in 30s; log: $(tail -n 5 "$LOGS/registry.log" 2>/dev/null)"
  check_started registry
}

buildkit_up() { "$BUILDKIT_DIR/buildctl" --addr "unix://$BUILDKIT_SOCK" debug workers; }
start_buildkitd() {
  [ -x "$BUILDKIT_DIR/buildkitd" ] || die "buildkitd not built: run 'docker.sh install' first"
  if pid_alive "$STATE/buildkitd.pid" && buildkit_up >/dev/null 2>&1; then
    log "buildkitd already running (pid $(cat "$STATE/buildkitd.pid"))"
    return 0
  fi
  [ ! -S "$BUILDKIT_SOCK" ] || rm -f "$BUILDKIT_SOCK"
  # --oci-worker-net=host: RUN steps share the host network namespace so they
  # can reach the package registries; no CNI, no bridge is ever created.
  start_daemon buildkitd "$BUILDKIT_DIR/buildkitd" --config "$STATE/buildkitd.toml" \
    --oci-worker-net=host --oci-worker-binary "$(command -v runc)"
  wait_for 60 buildkitd buildkit_up ||
    die "buildkitd did not answer on $BUILDKIT_SOCK in 60s; log: $(tail -n 5 "$LOGS/buildkitd.log" 2>/dev/null)"
  check_started buildkitd
}

register_builder() {
  local endpoint="unix://$BUILDKIT_SOCK" cur
  cur=$(docker_cli buildx inspect "$BUILDER" 2>/dev/null | sed -n 's/^Endpoint:[[:space:]]*//p' | head -n1 || true)
  if [ "$cur" != "$endpoint" ]; then
    [ -z "$cur" ] || docker_cli buildx rm "$BUILDER" >/dev/null 2>&1 || true
    docker_cli buildx create --name "$BUILDER" --driver remote "$endpoint" >/dev/null ||
      die "docker buildx create --driver remote $endpoint failed"
  fi
  docker_cli buildx inspect --bootstrap "$BUILDER" >"$STATE/builder.txt" 2>&1 ||
    die "builder $BUILDER does not answer: $(cat "$STATE/builder.txt")"
  log "buildx builder $BUILDER -> $endpoint ($(sed -n 's/^Platforms:[[:space:]]*//p' "$STATE/builder.txt" | head -n1))"
}

cmd_start() {
  need_root
  [ -x "$BUILDX_DIR/buildx" ] && [ -x "$BUILDKIT_DIR/buildkitd" ] || die "not installed: run 'docker.sh install' first"
  mkdir -p "$STATE"
  local t0=$SECONDS
  cmd_binfmt on
  write_configs
  start_dockerd
  start_registry
  start_buildkitd
  register_builder
  log "start: $((SECONDS - t0))s"
}

cmd_stop() {
  # By PID files only: never by name.
  stop_pidfile buildkitd
  stop_pidfile registry
  stop_pidfile dockerd
  log "stopped (builder registration '$BUILDER' is kept; start re-checks it)"
}

cmd_status() {
  local down=0 n
  for n in dockerd registry buildkitd; do
    if pid_alive "$STATE/$n.pid"; then echo "$n: running (pid $(cat "$STATE/$n.pid"))"; else
      echo "$n: stopped"
      down=1
    fi
  done
  echo "binfmt qemu-aarch64: $( [ -e "$BINFMT_DIR/register" ] && binfmt_state || echo 'binfmt_misc not mounted')"
  if [ "$down" = 0 ]; then
    echo "builder $BUILDER: $(docker_cli buildx inspect "$BUILDER" 2>/dev/null | sed -n 's/^Platforms:[[:space:]]*//p' | head -n1)"
    echo "registry catalog: $(curl -fsS "http://$REGISTRY/v2/_catalog" 2>/dev/null || echo unreachable)"
  fi
  return $((down * 3))
}

# ------------------------------------------------------------- base images --
# Images, their tags carrying the first 12 hex of a hash of their recipe (the
# shell functions and inputs that make them), so a changed recipe rebuilds.
RUNTIME_REPO=$REGISTRY/noetl-e2e/python
BUILDER_REPO=$REGISTRY/noetl-e2e/builder
RUNTIME_INCLUDE=python3

recipe_hash() { sha256sum | cut -c1-12; }
runtime_hash() { { declare -f make_rootfs runtime_dockerfile; echo "$SUITE $RUNTIME_INCLUDE $DEBIAN_MIRROR"; } | recipe_hash; }
builder_hash() {
  { runtime_hash; declare -f builder_dockerfile; cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; } | recipe_hash
}
runtime_ref() { echo "$RUNTIME_REPO:3.11-$SUITE-$(runtime_hash)"; }
builder_ref() { echo "$BUILDER_REPO:$SUITE-$(builder_hash)"; }

# make_rootfs ARCH OUT.tar: Debian minbase + python3 for ARCH, as a tarball.
# arm64 runs debootstrap's second stage under qemu (binfmt on): the only place
# the harness itself executes foreign code, and it is cached.
make_rootfs() {
  local arch=$1 out=$2 root
  root=$(mktemp -d "$CACHE/rootfs-$arch.XXXX")
  # On any exit (die included) leave no mounts and no half-made tree behind.
  # shellcheck disable=SC2064
  trap "rootfs_cleanup '$root'" EXIT
  if [ "$arch" = amd64 ]; then
    debootstrap --variant=minbase --include="$RUNTIME_INCLUDE" "$SUITE" "$root" "$DEBIAN_MIRROR" >"$LOGS/debootstrap-$arch.log" 2>&1 ||
      die "debootstrap $arch failed: see $LOGS/debootstrap-$arch.log"
  else
    [ "$(binfmt_state)" = enabled ] || die "debootstrap $arch needs the qemu-aarch64 binfmt handler: docker.sh binfmt on"
    debootstrap --arch="$arch" --foreign --variant=minbase --include="$RUNTIME_INCLUDE" "$SUITE" "$root" "$DEBIAN_MIRROR" \
      >"$LOGS/debootstrap-$arch.log" 2>&1 || die "debootstrap --foreign $arch failed: see $LOGS/debootstrap-$arch.log"
    chroot "$root" /debootstrap/debootstrap --second-stage >>"$LOGS/debootstrap-$arch.log" 2>&1 ||
      die "debootstrap second stage ($arch, under qemu) failed: see $LOGS/debootstrap-$arch.log"
  fi
  umount -R "$root/proc" "$root/sys" 2>/dev/null || true
  # Smaller images: no docs/manpages/locales now nor in later installs; the
  # same sources as the host (security updates included) for builder images.
  printf 'path-exclude=/usr/share/doc/*\npath-include=/usr/share/doc/*/copyright\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/info/*\npath-exclude=/usr/share/locale/*\n' \
    >"$root/etc/dpkg/dpkg.cfg.d/01-noetl-nodoc"
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb http://deb.debian.org/debian-security %s-security main\n' \
    "$DEBIAN_MIRROR" "$SUITE" "$DEBIAN_MIRROR" "$SUITE" "$SUITE" >"$root/etc/apt/sources.list"
  rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb "$root"/var/log/* "$root"/tmp/*
  : >"$root/etc/resolv.conf"
  tar --numeric-owner -C "$root" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$out.tmp" . ||
    die "tar of rootfs $arch failed"
  mv "$out.tmp" "$out"
  rootfs_cleanup "$root"
  trap - EXIT
}
rootfs_cleanup() {
  umount -R "$1/proc" "$1/sys" 2>/dev/null || true
  rm -rf "$1"
}

runtime_dockerfile() {
  # FROM scratch + ADD per TARGETARCH: the platform in the index is right, and
  # there is no RUN, so nothing executes under emulation.
  cat <<'EOF'
FROM scratch
ARG TARGETARCH
ADD rootfs-${TARGETARCH}.tar /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
CMD ["python3"]
EOF
}

builder_dockerfile() {
  # The build-platform image for the UI, Rust and Python stages. The arm64 Rust
  # std is extracted from Debian's libstd-rust-web-dev:arm64 into rustc's own
  # sysroot (/usr/lib/rustlib/aarch64-unknown-linux-gnu): it is NOT installed,
  # which would drag in arm64 LLVM and upgrade host libraries.
  # Extra CAs of this machine (TLS-intercepting egress) are trusted, so pip,
  # npm and cargo in RUN steps reach the registries as the host does.
  cat <<'EOF'
ARG BASE=127.0.0.1:5000/noetl-e2e/python:3.11-bookworm
FROM ${BASE}
ARG DEBIAN_FRONTEND=noninteractive
COPY ca/ /usr/local/share/ca-certificates/
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates nodejs npm \
      rustc-web cargo-web gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
      python3-venv file; \
    update-ca-certificates; \
    ver=$(dpkg-query -W -f='${Version}' rustc-web); \
    dpkg --add-architecture arm64; apt-get update; \
    cd /tmp; apt-get download "libstd-rust-web-dev:arm64=$ver"; \
    dpkg-deb -x libstd-rust-web-dev_*_arm64.deb /tmp/std; \
    cp -a /tmp/std/usr/lib/rustlib/aarch64-unknown-linux-gnu /usr/lib/rustlib/; \
    rm -rf /tmp/std /tmp/*.deb /var/lib/apt/lists/*; \
    dpkg --remove-architecture arm64; apt-get clean; \
    printf 'fn main() { println!("ok"); }\n' >/tmp/t.rs; \
    rustc --target aarch64-unknown-linux-gnu -C linker=aarch64-linux-gnu-gcc -o /tmp/t /tmp/t.rs; \
    file /tmp/t | grep -q 'ARM aarch64'; rm -f /tmp/t /tmp/t.rs; \
    node --version; npm --version; cargo --version; python3 -m venv --help >/dev/null
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt
EOF
}

# publish_archive ARCHIVE REF...: copy a cached OCI archive (index and all
# platforms) into our registry under each REF.
publish_archive() {
  local archive=$1 ref
  shift
  for ref in "$@"; do
    skopeo copy --all --quiet --dest-tls-verify=false "oci-archive:$archive" "docker://$ref" ||
      die "skopeo copy $archive -> $ref failed"
  done
}

# prune_stale FILE: drop cached files of the same recipe with another hash
# (FILE is <prefix>-<12 hex>.<ext>), so the cache does not grow per change.
prune_stale() {
  local f=$1 base prefix ext old
  base=${f##*/}
  prefix=${base%-*}
  ext=${base#"$prefix"-}
  ext=${ext#*.}
  for old in "${f%/*}/$prefix"-????????????."$ext"; do
    [ -e "$old" ] && [ "$old" != "$f" ] || continue
    log "removing stale cache $old"
    rm -f "$old"
  done
}

# ensure_image NAME REF ARCHIVE BUILD_FN: registry has REF -> nothing to do;
# cached archive -> push it; else BUILD_FN writes the archive, then push.
ensure_image() {
  local name=$1 ref=$2 archive=$3 build_fn=$4 latest=${2%:*}:$SUITE
  [ "$name" != runtime ] || latest=${2%:*}:3.11-$SUITE
  if registry_has "$ref"; then
    log "$name: $ref already in the registry"
  else
    if [ -f "$archive" ]; then log "$name: pushing cached $archive"; else "$build_fn" "$archive"; fi
    prune_stale "$archive"
    publish_archive "$archive" "$ref" "$latest"
    log "$name: pushed $ref (+ $latest)"
  fi
}

build_runtime_archive() {
  local archive=$1 h ctx arch
  h=$(runtime_hash)
  ctx=$STATE/base-images/runtime
  rm -rf "$ctx" && mkdir -p "$ctx" "$CACHE/rootfs"
  for arch in amd64 arm64; do
    local tarball=$CACHE/rootfs/python-$SUITE-$arch-$h.tar
    if [ -f "$tarball" ]; then log "runtime: cached rootfs $tarball"; else
      step "base-images: debootstrap $arch" make_rootfs "$arch" "$tarball"
      prune_stale "$tarball"
    fi
    ln "$tarball" "$ctx/rootfs-$arch.tar" 2>/dev/null || cp "$tarball" "$ctx/rootfs-$arch.tar"
  done
  runtime_dockerfile >"$ctx/Dockerfile"
  docker_cli buildx build --builder "$BUILDER" --platform linux/amd64,linux/arm64 \
    --provenance=false --sbom=false --output "type=oci,dest=$archive.tmp" "$ctx" >"$LOGS/build-runtime.log" 2>&1 ||
    die "runtime image build failed: see $LOGS/build-runtime.log"
  mv "$archive.tmp" "$archive"
}

build_builder_archive() {
  local archive=$1 ctx=$STATE/base-images/builder
  rm -rf "$ctx" && mkdir -p "$ctx/ca"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/ca/" 2>/dev/null || true
  builder_dockerfile >"$ctx/Dockerfile"
  docker_cli buildx build --builder "$BUILDER" --platform linux/amd64 --build-arg "BASE=$(runtime_ref)" \
    --provenance=false --sbom=false --output "type=oci,dest=$archive.tmp" "$ctx" >"$LOGS/build-builder.log" 2>&1 ||
    die "builder image build failed: see $LOGS/build-builder.log"
  mv "$archive.tmp" "$archive"
}

cmd_base_images() {
  need_root
  registry_up && buildkit_up >/dev/null 2>&1 || die "harness not running: run 'docker.sh start' first"
  mkdir -p "$CACHE/images" "$LOGS"
  step "base-images: runtime $(runtime_ref)" ensure_image runtime "$(runtime_ref)" \
    "$CACHE/images/python-$SUITE-$(runtime_hash).oci.tar" build_runtime_archive
  step "base-images: builder $(builder_ref)" ensure_image builder "$(builder_ref)" \
    "$CACHE/images/builder-$SUITE-$(builder_hash).oci.tar" build_builder_archive
}

# --------------------------------------------------------------------- env --
cmd_env() {
  cat <<EOF
export NOETL_HARNESS_STATE='$STATE'
export NOETL_HARNESS_CACHE='$CACHE'
export DOCKER_HOST='unix://$DOCKER_SOCK'
export DOCKER_CONFIG='$DOCKER_CONFIG'
export DOCKER='$DOCKER_BIN'
export BUILDX_BUILDER='$BUILDER'
export BUILDKIT_HOST='unix://$BUILDKIT_SOCK'
export EXPERIMENTAL_BUILDKIT_SOURCE_POLICY='$SOURCE_POLICY'
export PATH='$BUILDKIT_DIR:$BUILDX_DIR':"\$PATH"
export NOETL_E2E_REGISTRY='$REGISTRY'
export NOETL_E2E_BUILDER_IMAGE='$(builder_ref)'
export NOETL_E2E_RUNTIME_IMAGE='$(runtime_ref)'
EOF
}

# ---------------------------------------------------------------- selftest --
# The proof for docker/noetl/Dockerfile: with emulation OFF, two-platform
# builds push to the local registry (so no RUN ran under QEMU); imagetools
# shows both platforms; with emulation ON, each image's CLI reports its
# architecture, its server answers /api/health and serves the built UI, and
# the extracted arm64 binary is ARM aarch64. A second target builds a copy of
# the workspace with a uv.lock (the uv branch of the Python stage) and a stale
# file that Dockerfile.dockerignore must keep out.
SELFTEST_CONTEXT=${NOETL_SELFTEST_CONTEXT:-examples/noetl-mini} # relative to the repo root, as bake resolves it
SELFTEST_IMAGE=$REGISTRY/noetl/noetl:test
SELFTEST_UV_IMAGE=$REGISTRY/noetl/noetl:test-uv

# Bake file rules seen here: "context" is relative to the directory bake runs
# in (not to the bake file); "dockerfile" is relative to the context.
selftest_bake_file() {
  local uvctx=$1 rev
  rev=$(git -C "$REPO_ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  cat <<EOF
{
  "group": { "default": { "targets": ["noetl", "noetl-uv"] } },
  "target": {
    "_base": {
      "dockerfile": "$REPO_ROOT/docker/noetl/Dockerfile",
      "platforms": ["linux/amd64", "linux/arm64"],
      "args": {
        "UI_BASE": "$(builder_ref)",
        "RUST_BASE": "$(builder_ref)",
        "PYTHON_BASE": "$(builder_ref)",
        "RUNTIME_BASE": "$(runtime_ref)",
        "VERSION": "2.4.0",
        "REVISION": "$rev",
        "UV_VERSION": null
      },
      "output": ["type=registry"]
    },
    "noetl": {
      "inherits": ["_base"],
      "context": "$SELFTEST_CONTEXT",
      "dockerfile": "../../docker/noetl/Dockerfile",
      "tags": ["$SELFTEST_IMAGE"]
    },
    "noetl-uv": {
      "inherits": ["_base"],
      "context": "$uvctx",
      "tags": ["$SELFTEST_UV_IMAGE"]
    }
  }
}
EOF
}

# Runs inside the image (network none): start the server on the container's
# loopback, read /api/health and the UI; bounded retries.
SELFTEST_PY='
import json, subprocess, sys, time, urllib.request
p = subprocess.Popen([sys.executable, "-m", "noetl.server", "--host", "127.0.0.1", "--port", "8082"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(150):
        try:
            health = json.load(urllib.request.urlopen("http://127.0.0.1:8082/api/health", timeout=2))
            break
        except OSError:
            time.sleep(0.2)
    else:
        sys.exit("server did not answer in 30s")
    html = urllib.request.urlopen("http://127.0.0.1:8082/", timeout=5).read().decode()
    asset = html.split("src=\"")[1].split("\"")[0]
    js = urllib.request.urlopen("http://127.0.0.1:8082" + asset, timeout=5).read().decode()
    assert "const apiBase = \"/api\";" in js, "UI not built with VITE_API_BASE_URL=/api"
    import noetl, os
    ui = os.listdir(os.path.join(os.path.dirname(noetl.__file__), "core", "ui"))
    assert "STALE.txt" not in ui, "Dockerfile.dockerignore did not keep noetl/core/ui/* out"
    print("server", health["status"], health["version"], "ui", asset)
finally:
    p.terminate()
'

selftest_run_image() { # IMAGE PLATFORM EXPECTED_ARCH
  local image=$1 platform=$2 want=$3 out
  out=$(docker_cli run --rm --network none --platform "$platform" --pull always "$image" /usr/local/bin/noetl arch 2>&1) ||
    die "docker run $platform $image failed: $out"
  [ "$(printf '%s' "$out" | tail -n1)" = "$want" ] || die "$image ($platform): noetl arch printed '$out', expected $want"
  out=$(docker_cli run --rm --network none --platform "$platform" "$image" python3 -c "$SELFTEST_PY" 2>&1) ||
    die "$image ($platform): server check failed: $out"
  log "$image $platform: noetl arch -> $want; $(printf '%s' "$out" | tail -n1)"
}

cmd_selftest() {
  need_root
  local st
  st=$(cmd_status 2>&1) || die "harness not fully running: $st"
  registry_has "$(builder_ref)" && registry_has "$(runtime_ref)" || die "base images missing: run 'docker.sh base-images'"
  local dir=$STATE/selftest out rc=0 t0
  rm -rf "$dir" && mkdir -p "$dir"

  # Workspace copy with a uv.lock (no dependencies: the uv branch still runs
  # uv sync --frozen --python-platform) and files the ignore file must drop.
  local uvctx=$dir/uv-workspace
  cp -a "$REPO_ROOT/$SELFTEST_CONTEXT" "$uvctx"
  printf '%s\n' 'version = 1' 'revision = 3' 'requires-python = ">=3.11"' '' '[[package]]' 'name = "noetl"' \
    'version = "2.4.0"' 'source = { editable = "." }' >"$uvctx/uv.lock"
  echo stale >"$uvctx/noetl/core/ui/STALE.txt"
  mkdir -p "$uvctx/ui-src/node_modules/junk" "$uvctx/noetlctl/target/junk"

  selftest_bake_file "$uvctx" >"$dir/docker-bake.json"
  (cd "$REPO_ROOT" && docker_cli buildx bake --builder "$BUILDER" -f "$dir/docker-bake.json" --print) \
    >"$dir/print.json" 2>"$dir/print.err" || die "bake --print failed: $(cat "$dir/print.err")"
  log "bake --print OK ($(grep -c '"context"' "$dir/print.json") targets)"

  # The source policy stops a build that would pull from anywhere but our registry.
  out=$(docker_cli buildx build --builder "$BUILDER" --platform linux/amd64 -f "$REPO_ROOT/docker/noetl/Dockerfile" \
    --output type=cacheonly "$REPO_ROOT/$SELFTEST_CONTEXT" 2>&1) && die "a build with upstream base images was not denied"
  grep -q 'denied by policy' <<<"$out" || die "build without base-image args failed, but not by the source policy: $(tail -n 5 <<<"$out")"
  log "source policy: upstream base images denied before any pull"

  cmd_binfmt off
  t0=$SECONDS
  # Bake refuses to read paths outside its working directory unless allowed
  # (filesystem entitlements): the uv workspace lives in $STATE.
  (cd "$REPO_ROOT" && docker_cli buildx bake --builder "$BUILDER" -f "$dir/docker-bake.json" --progress plain \
    --allow "fs.read=$dir") \
    >"$dir/bake.log" 2>&1 || rc=$?
  cmd_binfmt on
  [ "$rc" = 0 ] || die "two-platform bake with emulation OFF failed (exit $rc): see $dir/bake.log: $(tail -n 15 "$dir/bake.log")"
  log "two-platform bake of 2 targets (emulation OFF): $((SECONDS - t0))s"
  printf '%s %s %ss\n' "$(date -u +%FT%TZ)" "selftest: two-platform bake" "$((SECONDS - t0))" >>"$CACHE/timings.log"
  # Every RUN step ran on the build platform: plain progress names them
  # "[linux/amd64 ...]" or "[linux/amd64->arm64 ...]", never "[linux/arm64 ...] RUN".
  if grep -E '^#[0-9]+ \[linux/arm64 [^]]*\] RUN' "$dir/bake.log"; then die "a RUN step ran on linux/arm64"; fi

  local image
  for image in "$SELFTEST_IMAGE" "$SELFTEST_UV_IMAGE"; do
    docker_cli buildx imagetools inspect --builder "$BUILDER" "$image" >"$dir/inspect.txt" 2>&1 ||
      die "imagetools inspect $image failed: $(cat "$dir/inspect.txt")"
    grep -q 'linux/amd64' "$dir/inspect.txt" && grep -q 'linux/arm64' "$dir/inspect.txt" ||
      die "$image lacks a platform: $(cat "$dir/inspect.txt")"
    log "imagetools $image: $(grep -o 'Platform:.*' "$dir/inspect.txt" | awk '{print $2}' | paste -sd' ' -) (unknown/unknown = provenance attestations)"
    selftest_run_image "$image" linux/amd64 x86_64
    selftest_run_image "$image" linux/arm64 aarch64
  done
  out=$(docker_cli image inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' "$SELFTEST_UV_IMAGE")
  [ "$out" = 2.4.0 ] || die "OCI version label is '$out', expected 2.4.0"

  local cid
  cid=$(docker_cli create --platform linux/arm64 "$SELFTEST_IMAGE")
  docker_cli cp "$cid:/usr/local/bin/noetl" "$dir/noetl-arm64" >/dev/null
  docker_cli rm "$cid" >/dev/null
  file "$dir/noetl-arm64" >"$dir/file.txt"
  grep -q 'ARM aarch64' "$dir/file.txt" || die "extracted arm64 binary is not ARM aarch64: $(cat "$dir/file.txt")"
  log "file: $(cut -d, -f1-2 "$dir/file.txt")"
  docker_cli image prune -f >/dev/null # untagged leftovers of earlier runs, in our dockerd only
  log "selftest passed"
}

# -------------------------------------------------------------------- main --
usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
main() {
  local cmd=${1:-}
  [ $# -eq 0 ] || shift
  case "$cmd" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status)
    local rc=0
    cmd_status || rc=$?
    exit "$rc"
    ;;
  env) cmd_env ;;
  binfmt) cmd_binfmt "$@" ;;
  base-images) cmd_base_images ;;
  selftest) cmd_selftest ;;
  all)
    step "install (total)" cmd_install
    step "start (total)" cmd_start
    step "base-images (total)" cmd_base_images
    ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    die "unknown command '${cmd}'"
    ;;
  esac
}
main "$@"
