#!/usr/bin/env bash
# test/harness/kube.sh — a real Kubernetes control plane for the e2e tests.
#
# Why this exists: the deploy tests must talk to a REAL kube-apiserver (real
# validation, server-side apply, real Deployment -> ReplicaSet -> Pod
# controllers, a real scheduler honouring nodeAffinity / topology spread on
# kubernetes.io/arch), but the test machines cannot pull any container image,
# so kind/k3d/minikube are out. Instead we run the control-plane binaries
# directly on the host and let KWOK pretend to be the kubelets of two fake
# nodes, one amd64 and one arm64. KWOK never pulls or runs an image; it only
# writes pod status, so any image reference (127.0.0.1:5000/...) "runs".
#
# Sources: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd and kwok are built from source through the Go module proxy (the only
# place besides Debian we may fetch code from), cached per version so a warm
# run does no Go work at all. Debian's etcd is an option (NOETL_KUBE_ETCD).
#
# Subcommands: install | start | stop | reset | env | status
#
# Network rules (see shared/E2E-HARNESS.md): every socket binds to 127.0.0.1,
# fake node and pod addresses are loopback addresses too, so even an
# accidental `kubectl logs`/proxy call can only ever reach this machine.
# -E: let the ERR trap below fire inside functions too.
set -Eeuo pipefail

# ---------------------------------------------------------------------------
# Pinned versions. KWOK v0.8.0 is built against client-go v0.36 and lists
# Kubernetes 1.36 as its newest supported release, so 1.36.x is the matching
# control plane. v1.36 needs go >= 1.26.0 (its go.mod says so).
KUBE_VERSION="${NOETL_KUBE_VERSION:-v1.36.3}"
KWOK_VERSION="${NOETL_KWOK_VERSION:-v0.8.0}"

# etcd: "source" (default) builds go.etcd.io/etcd/server/v3 at exactly the
# version k8s.io/kubernetes pins (v3.6.8 for 1.36.3) from the same wrapper
# module; "debian" uses Debian 12's etcd-server 3.4.23 instead. Debian's is
# older than 3.4.31, lacks watch progress notification, and needs the
# WatchList=false workaround below (see docs/E2E-kube.md).
ETCD_MODE="${NOETL_KUBE_ETCD:-source}"
GO="${NOETL_GO:-/usr/local/go/bin/go}"
CACHE_ROOT="${NOETL_HARNESS_CACHE:-$HOME/.cache/noetl-harness}"
CACHE_DIR="$CACHE_ROOT/kube-$KUBE_VERSION"
BIN_DIR="$CACHE_DIR/bin"
STAGES_FILE="$CACHE_DIR/kwok-stages.yaml"
# One stamp per part, written only after that part fully built, so an
# interrupted install resumes where it stopped and a warm one does nothing.
STAMP_KUBE="$CACHE_DIR/.kube-built"
STAMP_KWOK="$CACHE_DIR/.kwok-$KWOK_VERSION-built"
STAMP_ETCD="$CACHE_DIR/.etcd-built"
STATE_ROOT="${NOETL_HARNESS_STATE:-/tmp/noetl-harness}"
STATE="$STATE_ROOT/kube"
PKI="$STATE/pki"
PIDS="$STATE/pids"
LOGS="$STATE/logs"
KUBECONFIG_OUT="$STATE/kubeconfig"

# Fixed, non-default ports on loopback so we never collide with a developer's
# own etcd (2379/2380), kubeadm cluster (6443) or component defaults.
ETCD_CLIENT_PORT="${NOETL_KUBE_ETCD_PORT:-23790}"
ETCD_PEER_PORT="${NOETL_KUBE_ETCD_PEER_PORT:-23800}"
API_PORT="${NOETL_KUBE_API_PORT:-16443}"
KCM_PORT="${NOETL_KUBE_KCM_PORT:-16257}"
SCHED_PORT="${NOETL_KUBE_SCHED_PORT:-16259}"
API_URL="https://127.0.0.1:$API_PORT"

# Address ranges. Nothing routes to these (no kube-proxy, no CNI), but the
# API server can be asked to proxy to node/pod IPs (kubectl logs, port-forward,
# pods/proxy). Keeping them in 127.0.0.0/8 guarantees such traffic stays on
# this machine. The price: Endpoints/EndpointSlices reject loopback addresses,
# so Services get no endpoints (see docs/E2E-kube.md).
SERVICE_CIDR="${NOETL_KUBE_SERVICE_CIDR:-127.0.200.0/24}"
POD_CIDR="${NOETL_KUBE_POD_CIDR:-127.0.100.0/24}"
NODE_IP="127.0.0.1"

NODES=(kwok-amd64 kwok-arm64)
WAIT_SECS="${NOETL_KUBE_WAIT_SECS:-120}"

log() { printf '[kube.sh] %s\n' "$*" >&2; }

# Under CI we dump the tail of every component log on any failure, because
# the CI output is all anyone will ever see of that machine.
dump_logs_in_ci() {
  local f
  [[ "${CI:-}" == "true" && -d "$LOGS" ]] || return 0
  for f in "$LOGS"/*.log; do
    [[ -f "$f" ]] || continue
    printf '[kube.sh] ---- last lines of %s ----\n' "$f" >&2
    tail -n 25 "$f" >&2 || true
  done
}
die() { printf '[kube.sh] ERROR: %s\n' "$*" >&2; trap - ERR; dump_logs_in_ci; exit 1; }

# Any unexpected failure must be loud and non-zero (CI=true relies on it).
on_err() {
  local rc=$? line=$1 cmd=$2
  trap - ERR
  printf '[kube.sh] FAILED (exit %s) at line %s: %s\n' "$rc" "$line" "$cmd" >&2
  dump_logs_in_ci
  exit "$rc"
}
trap 'on_err "$LINENO" "$BASH_COMMAND"' ERR

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# ---------------------------------------------------------------------------
# install

install_debian_etcd() {
  # Debian's etcd 3.4 speaks the v3 gRPC API the 1.36 apiserver needs. The
  # package ships a systemd unit; on these machines /usr/sbin/policy-rc.d
  # exits 101 so apt does not start it, and we never use that unit.
  if [[ -x /usr/bin/etcd ]]; then return 0; fi
  [[ $(id -u) -eq 0 ]] || die "etcd missing and not root: apt-get install etcd-server etcd-client"
  log "apt-get install etcd-server etcd-client"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server etcd-client >/dev/null
  [[ -x /usr/bin/etcd ]] || die "/usr/bin/etcd missing after apt-get install etcd-server"
}

etcd_bin() {
  case "$ETCD_MODE" in
    source) echo "$BIN_DIR/etcd" ;;
    debian) echo /usr/bin/etcd ;;
    *) die "NOETL_KUBE_ETCD must be 'source' or 'debian', not '$ETCD_MODE'" ;;
  esac
}

# The wrapper module. `go install k8s.io/kubernetes/cmd/...@v` is refused
# because k8s.io/kubernetes's go.mod has replace lines pointing into its own
# staging/ tree, and module zips omit staging/ (nested modules). So we make a
# tiny main module that requires k8s.io/kubernetes and re-points every
# staging module at its published twin k8s.io/<name> v0.<minor>.<patch>.
# The list of staging modules is read from k8s.io/kubernetes's own go.mod so
# it stays right when the version changes.
write_wrapper_module() {
  local dir=$1 kmod=$2 staging_ver="v0.${KUBE_VERSION#v1.}"
  local godir
  godir=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$kmod" | head -n1)
  {
    echo "// Generated by test/harness/kube.sh; do not edit."
    echo "module noetl.local/kube-harness"
    echo
    echo "go ${godir}"
    echo
    # Same GODEBUG defaults as an official build of this release.
    grep '^godebug ' "$kmod" || true
    echo
    echo "require k8s.io/kubernetes ${KUBE_VERSION}"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/[a-z0-9-]*$#\t\1 => \1 '"$staging_ver"'#p' "$kmod"
    echo ")"
  } >"$dir/go.mod"
  grep -q '=> k8s.io/api ' "$dir/go.mod" || die "could not derive staging replace lines from $kmod"
}

WRAPPER_READY=0
prepare_wrapper() {
  [[ $WRAPPER_READY -eq 1 ]] && return 0
  local src="$CACHE_DIR/src" kmod t0
  mkdir -p "$src" "$BIN_DIR"
  t0=$(now)
  log "fetching k8s.io/kubernetes@$KUBE_VERSION through the Go module proxy"
  kmod=$(cd "$src" && "$GO" mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [[ -f "$kmod" ]] || die "go mod download k8s.io/kubernetes@$KUBE_VERSION failed"
  write_wrapper_module "$src" "$kmod"
  # Blank imports so `go mod tidy` records exactly the modules that the
  # commands we build need (and their go.sum lines); never built itself.
  cat >"$src/tools.go" <<'EOF'
//go:build tools

// Generated by test/harness/kube.sh: pins the commands we build.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubernetes/cmd/kube-scheduler/app"
	_ "k8s.io/kubectl/pkg/cmd"
	_ "go.etcd.io/etcd/server/v3/etcdmain"
)
EOF
  (cd "$src" && "$GO" mod tidy -e >/dev/null 2>"$src/tidy.log") ||
    { cat "$src/tidy.log" >&2; die "go mod tidy of the wrapper module failed"; }
  log "module resolution took $(elapsed "$t0") s"
  WRAPPER_READY=1
}

build_kube() {
  local src="$CACHE_DIR/src" t0
  prepare_wrapper

  # Same version stamping and build tags as hack/lib/golang.sh, so
  # `kubectl version` and the apiserver's /version report the real release.
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  local ld="-s -w" key val
  for kv in "gitVersion=$KUBE_VERSION" "gitMajor=1" "gitMinor=$minor" \
            "gitTreeState=clean" "buildDate=1970-01-01T00:00:00Z"; do
    key=${kv%%=*}; val=${kv#*=}
    ld+=" -X k8s.io/component-base/version.$key=$val -X k8s.io/client-go/pkg/version.$key=$val"
  done
  t0=$(now)
  log "building kube-apiserver kube-controller-manager kube-scheduler kubectl (cold: 6-10 min on 2 cores)"
  # One `go build` for all four so shared packages compile once.
  (cd "$src" && CGO_ENABLED=0 "$GO" build -trimpath -tags=selinux,notest,grpcnotrace \
      -ldflags="$ld" -o "$BIN_DIR/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubectl)
  log "kube binaries built in $(elapsed "$t0") s"
  touch "$STAMP_KUBE"
}

build_etcd() {
  # go.etcd.io/etcd/server/v3 is itself the etcd main package. Building it
  # inside the wrapper module gives exactly the etcd release that
  # k8s.io/kubernetes's go.mod pins (MVS picks it), and reuses most of the
  # already compiled packages (grpc, protobuf, otel, ...).
  local src="$CACHE_DIR/src" t0 ver
  prepare_wrapper
  t0=$(now)
  ver=$(cd "$src" && "$GO" list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
  log "building etcd $ver (go.etcd.io/etcd/server/v3)"
  (cd "$src" && CGO_ENABLED=0 "$GO" build -trimpath -ldflags="-s -w" -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3)
  log "etcd built in $(elapsed "$t0") s"
  echo "$ver" >"$STAMP_ETCD"
}

build_kwok() {
  local t0 moddir
  t0=$(now)
  # kwok's go.mod has no replace lines, so plain `go install pkg@version` works.
  log "building sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  GOBIN="$BIN_DIR" CGO_ENABLED=0 "$GO" install -trimpath -ldflags="-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  log "kwok built in $(elapsed "$t0") s"
  # kwok refuses to start without Stage definitions. Use the same default set
  # kwokctl uses (node initialize + lease heartbeat, pod "fast": Running/Ready
  # immediately), taken verbatim from the kwok module we just built.
  moddir=$("$GO" mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  local st="$moddir/kustomize/stage" f first=1
  : >"$STAGES_FILE.tmp"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [[ -f "$st/$f" ]] || die "kwok stage file missing: $st/$f"
    if [[ $first -eq 0 ]]; then echo '---' >>"$STAGES_FILE.tmp"; fi
    first=0
    cat "$st/$f" >>"$STAGES_FILE.tmp"
  done
  mv "$STAGES_FILE.tmp" "$STAGES_FILE"
  touch "$STAMP_KWOK"
}

have_kube() {
  local b
  [[ -f "$STAMP_KUBE" ]] || return 1
  for b in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    [[ -x "$BIN_DIR/$b" ]] || return 1
  done
}
have_kwok() { [[ -f "$STAMP_KWOK" && -x "$BIN_DIR/kwok" && -f "$STAGES_FILE" ]]; }
have_etcd() {
  if [[ "$ETCD_MODE" == debian ]]; then [[ -x /usr/bin/etcd ]]; else [[ -f "$STAMP_ETCD" && -x "$BIN_DIR/etcd" ]]; fi
}

cmd_install() {
  local t0; t0=$(now)
  etcd_bin >/dev/null  # validates NOETL_KUBE_ETCD
  [[ "$ETCD_MODE" == debian ]] && install_debian_etcd
  if have_kube && have_kwok && have_etcd; then
    log "cached: $BIN_DIR (kube $KUBE_VERSION, kwok $KWOK_VERSION, etcd $(installed_etcd_version))"
    return 0
  fi
  [[ -x "$GO" ]] || die "Go toolchain not found at $GO (set NOETL_GO)"
  mkdir -p "$BIN_DIR"
  have_kwok || build_kwok      # small, fails fast if the proxy is unreachable
  have_kube || build_kube
  if [[ "$ETCD_MODE" == source ]] && ! have_etcd; then build_etcd; fi
  log "install done in $(elapsed "$t0") s -> $BIN_DIR"
}

installed_etcd_version() {
  if [[ "$ETCD_MODE" == debian ]]; then
    /usr/bin/etcd --version 2>/dev/null | sed -n 's/^etcd Version: /debian-/p'
  else
    sed 's/^/source-/' "$STAMP_ETCD" 2>/dev/null
  fi
}

require_installed() {
  have_kube && have_kwok && have_etcd || die "binaries not installed (etcd mode: $ETCD_MODE); run: $0 install"
}

# ---------------------------------------------------------------------------
# certificates

# A throwaway CA plus one client cert per identity. EC P-256 keys: generating
# them costs milliseconds. Files are kept across stop/start (only `reset`
# wipes them) so a kubeconfig handed to a test stays valid.
gen_certs() {
  mkdir -p "$PKI"
  [[ -f "$PKI/.complete" ]] && return 0
  log "generating certificates in $PKI"
  (
    cd "$PKI"
    umask 077
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=noetl-e2e-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out ca.crt 2>/dev/null
    # $1 name, $2 subject, $3 extensions
    issue() {
      openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 3650 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    local client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
    issue apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    # system:masters: full admin, what tests and kwok use.
    issue admin "/O=system:masters/CN=noetl-e2e-admin" "$client"
    # Real identities so the default RBAC bootstrap roles are exercised.
    issue controller-manager "/CN=system:kube-controller-manager" "$client"
    issue scheduler "/CN=system:kube-scheduler" "$client"
    # Service-account token signing pair (RSA: what every SA consumer expects).
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ca.srl
    touch .complete
  ) || die "certificate generation failed"
}

b64() { base64 -w0 <"$1"; }

# $1 output file, $2 cert name in $PKI, $3.. context names
write_kubeconfig() {
  local out=$1 who=$2; shift 2
  local ctx first=$1
  {
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters:"
    echo "- name: noetl-e2e"
    echo "  cluster:"
    echo "    server: $API_URL"
    echo "    certificate-authority-data: $(b64 "$PKI/ca.crt")"
    echo "users:"
    echo "- name: $who"
    echo "  user:"
    echo "    client-certificate-data: $(b64 "$PKI/$who.crt")"
    echo "    client-key-data: $(b64 "$PKI/$who.key")"
    echo "contexts:"
    for ctx in "$@"; do
      echo "- name: $ctx"
      echo "  context:"
      echo "    cluster: noetl-e2e"
      echo "    user: $who"
    done
    echo "current-context: $first"
  } >"$out.tmp"
  chmod 600 "$out.tmp"
  mv "$out.tmp" "$out"
}

# ---------------------------------------------------------------------------
# process management (PID files only; never by name)

pid_of() {  # prints the PID if the component from our PID file is alive
  local f="$PIDS/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid=$(cat "$f")
  [[ -n "$pid" && -d "/proc/$pid" ]] || return 1
  # Guard against PID reuse: the process must still be the binary we started.
  # (No `tr | grep -q` pipe here: grep -q exits at the first match, tr gets
  # SIGPIPE and pipefail turns a match into a failure for long command lines.)
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$2"* ]] || return 1
  alive "$pid" || return 1
  echo "$pid"
}

port_in_use() {  # $1 port on 127.0.0.1; a plain connect attempt, loopback only
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# $1 name, $2 marker for pid_of, $3 ports it will listen on, rest: command
spawn() {
  local name=$1 marker=$2 ports=$3 p; shift 3
  if pid_of "$name" "$marker" >/dev/null; then
    log "$name already running (pid $(pid_of "$name" "$marker"))"
    return 0
  fi
  # Without this check a readiness probe could be answered by somebody
  # else's server on the same port (e.g. a second state dir) and we would
  # report success for a component that died on "address already in use".
  for p in $ports; do
    if port_in_use "$p"; then
      die "$name: 127.0.0.1:$p is already in use by a process this state dir ($STATE) did not start; stop it or pick other ports (NOETL_KUBE_*_PORT)"
    fi
  done
  mkdir -p "$PIDS" "$LOGS"
  # One log per run (the previous one kept as .prev.log), so the tail we
  # print on failure is this run's, not the last run's shutdown chatter.
  if [[ -f "$LOGS/$name.log" ]]; then mv -f "$LOGS/$name.log" "$LOGS/$name.prev.log"; fi
  # setsid: own session, so the cluster outlives `kube.sh start` and a
  # Ctrl-C or hang-up in the caller's terminal does not reach it. (No job
  # control in this script, so setsid execs in place and $! is the server.)
  setsid "$@" </dev/null >"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
  log "$name started (pid $!, log $LOGS/$name.log)"
}

# $1 what, $2 name of process to check is alive, rest: probe command
wait_for() {
  local what=$1 name=$2; shift 3  # $3 (marker) kept for call-site symmetry
  local deadline=$((SECONDS + WAIT_SECS)) t0 pid; t0=$(now)
  pid=$(cat "$PIDS/$name.pid" 2>/dev/null) || die "$name: no PID file"
  until "$@" >/dev/null 2>&1; do
    # Liveness by PID only: right after spawn the process may still be in
    # execve (setsid -> server), when /proc/PID/cmdline can read empty, so
    # pid_of's command-line check would report a live server as gone.
    if ! alive "$pid"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited while waiting for $what (log: $LOGS/$name.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "timed out after ${WAIT_SECS}s waiting for $what (log: $LOGS/$name.log)"
    fi
    sleep 0.3
  done
  log "$what ready after $(elapsed "$t0") s"
}

kc() { "$BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_OUT" --context noetl-e2e "$@"; }

https_ok() {  # $1 url; client cert auth with the admin identity
  curl -sf --max-time 3 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$1"
}
insecure_ok() {  # component serving certs are self-signed by the component
  curl -sfk --max-time 3 "$1"
}

start_etcd() {
  local ep="http://127.0.0.1:$ETCD_CLIENT_PORT" peer="http://127.0.0.1:$ETCD_PEER_PORT"
  local flavor; flavor=$(installed_etcd_version)
  # etcd 3.6 cannot open a 3.4 data dir (upgrades must pass through 3.5),
  # and this data is throwaway test state: on a change of etcd flavor,
  # start from an empty store rather than fail.
  if ! pid_of etcd "$STATE/etcd" >/dev/null; then
    if [[ -d "$STATE/etcd" && "$(cat "$STATE/etcd.flavor" 2>/dev/null)" != "$flavor" ]]; then
      log "etcd changed ($(cat "$STATE/etcd.flavor" 2>/dev/null || echo unknown) -> $flavor): wiping $STATE/etcd"
      rm -rf "$STATE/etcd"
    fi
    echo "$flavor" >"$STATE/etcd.flavor"
  fi
  mkdir -p "$STATE/etcd"
  chmod 700 "$STATE/etcd"
  # Plain HTTP is fine: loopback only, and it keeps the etcd side simple.
  spawn etcd "$STATE/etcd" "$ETCD_CLIENT_PORT $ETCD_PEER_PORT" env -u ETCD_UNSUPPORTED_ARCH "$(etcd_bin)" \
    --name noetl-e2e --data-dir "$STATE/etcd" \
    --listen-client-urls "$ep" --advertise-client-urls "$ep" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "noetl-e2e=$peer" --initial-cluster-state new \
    --quota-backend-bytes 1073741824 --log-level warn
  wait_for "etcd" etcd "$STATE/etcd" curl -sf --max-time 2 "$ep/health"
}

start_apiserver() {
  # Flags worth a word:
  # --endpoint-reconciler-type=none: the apiserver would publish its own
  #   address (127.0.0.1) in the "kubernetes" Endpoints, which validation
  #   rejects for loopback addresses; nothing here needs that object.
  # --requestheader-*: fills kube-system/extension-apiserver-authentication,
  #   without which controller-manager and scheduler log an error per
  #   second. The allowed name is one we never issue, so no front proxy can
  #   authenticate through it.
  # --feature-gates=WatchList=false (only with NOETL_KUBE_ETCD=debian):
  #   Debian's etcd 3.4.23 lacks the
  #   progress-notify support (>= 3.4.31 / 3.5.13) that streaming lists need.
  #   With the gate on, client-go >= 0.35 clients (kwok!) open a watch-list
  #   that the apiserver accepts and then ends with "required storage
  #   feature RequestWatchProgress is disabled"; the client retries with
  #   growing back-off and never falls back to LIST, so kwok noticed new
  #   pods only after ~45 s. With the gate off the request is refused up
  #   front and every client falls back to LIST+WATCH at once.
  local gates=()
  [[ "$ETCD_MODE" == debian ]] && gates=(--feature-gates=WatchList=false)
  spawn kube-apiserver "$BIN_DIR/kube-apiserver" "$API_PORT" "$BIN_DIR/kube-apiserver" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --endpoint-reconciler-type=none \
    --requestheader-client-ca-file="$PKI/ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    "${gates[@]}" \
    --allow-privileged=true \
    --profiling=false \
    --v=1
  # /readyz only turns 200 once the RBAC bootstrap roles and priority
  # classes exist, which the controller-manager and scheduler need.
  wait_for "kube-apiserver $API_URL/readyz" kube-apiserver "$BIN_DIR/kube-apiserver" \
    https_ok "$API_URL/readyz"
}

start_controller_manager() {
  spawn kube-controller-manager "$BIN_DIR/kube-controller-manager" "$KCM_PORT" "$BIN_DIR/kube-controller-manager" \
    --kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$STATE/kcm-certs" \
    --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --use-service-account-credentials=true \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --profiling=false \
    --v=1
  wait_for "kube-controller-manager healthz" kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    insecure_ok "https://127.0.0.1:$KCM_PORT/healthz"
}

start_scheduler() {
  spawn kube-scheduler "$BIN_DIR/kube-scheduler" "$SCHED_PORT" "$BIN_DIR/kube-scheduler" \
    --kubeconfig="$STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$STATE/sched-certs" \
    --leader-elect=false \
    --profiling=false \
    --v=1
  wait_for "kube-scheduler readyz" kube-scheduler "$BIN_DIR/kube-scheduler" \
    insecure_ok "https://127.0.0.1:$SCHED_PORT/readyz"
}

start_kwok() {
  # KWOK only plays a node's pods while it holds the node's Lease, and each
  # kwok process picks a random identity. Leases left by a previous kwok
  # would make a restarted one wait out the 40 s lease duration before any
  # pod turns Running. Drop them first (only when no kwok of ours is alive).
  if ! pid_of kwok "$BIN_DIR/kwok" >/dev/null; then
    kc -n kube-node-lease delete lease "${NODES[@]}" --ignore-not-found >/dev/null
  fi
  # Only nodes carrying the annotation are KWOK's, so a real node (should one
  # ever join) is left alone. No --server-address: kwok then opens no port.
  spawn kwok "$BIN_DIR/kwok" "" "$BIN_DIR/kwok" \
    --kubeconfig="$KUBECONFIG_OUT" \
    --config="$STAGES_FILE" \
    --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip="$NODE_IP" \
    --cidr="$POD_CIDR" \
    --node-lease-duration-seconds=40
  sleep 0.5
  pid_of kwok "$BIN_DIR/kwok" >/dev/null || { tail -n 30 "$LOGS/kwok.log" >&2; die "kwok exited at start (log: $LOGS/kwok.log)"; }
}

node_manifest() {  # $1 name, $2 arch
  cat <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/arch: $2
    kubernetes.io/os: linux
    kubernetes.io/hostname: $1
    node-role.kubernetes.io/agent: ""
spec: {}
status:
  allocatable: {cpu: "16", memory: 64Gi, pods: "110", ephemeral-storage: 100Gi}
  capacity: {cpu: "16", memory: 64Gi, pods: "110", ephemeral-storage: 100Gi}
  nodeInfo:
    architecture: $2
    operatingSystem: linux
    kubeletVersion: fake
    kubeProxyVersion: fake
    containerRuntimeVersion: kwok
    kernelVersion: kwok
    osImage: kwok
    bootID: ""
    machineID: ""
    systemUUID: ""
  phase: Running
EOF
}

create_nodes() {
  local n arch
  for n in "${NODES[@]}"; do
    arch=${n#kwok-}
    if ! kc get node "$n" >/dev/null 2>&1; then
      node_manifest "$n" "$arch" | kc create -f - >/dev/null
      log "node $n ($arch) created"
    fi
  done
  local t0; t0=$(now)
  kc wait --for=condition=Ready --timeout="${WAIT_SECS}s" "${NODES[@]/#/node/}" >/dev/null ||
    { tail -n 30 "$LOGS/kwok.log" >&2; die "fake nodes did not become Ready (log: $LOGS/kwok.log)"; }
  log "nodes ${NODES[*]} Ready after $(elapsed "$t0") s"
  # A Ready condition may be stale (left from before a restart); the leases
  # exist only once the running kwok has taken the nodes over.
  wait_for "kwok node leases" kwok "$BIN_DIR/kwok" \
    kc -n kube-node-lease get lease "${NODES[@]}"
}

cmd_start() {
  local t0; t0=$(now)
  require_installed
  command -v openssl >/dev/null || die "openssl missing (apt-get install openssl)"
  command -v curl >/dev/null || die "curl missing (apt-get install curl)"
  mkdir -p "$STATE" "$PIDS" "$LOGS"
  gen_certs
  # Tests use noetl-e2e; kind-noetl is the same cluster under the name kind
  # gives a cluster called "noetl", to reach kind-specific code paths.
  write_kubeconfig "$KUBECONFIG_OUT" admin noetl-e2e kind-noetl
  write_kubeconfig "$STATE/controller-manager.kubeconfig" controller-manager default
  write_kubeconfig "$STATE/scheduler.kubeconfig" scheduler default
  start_etcd
  start_apiserver
  start_controller_manager
  start_scheduler
  start_kwok
  create_nodes
  # Pods are refused until the namespace's "default" ServiceAccount exists;
  # its appearance also proves the controller-manager is really working.
  wait_for "default ServiceAccount" kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    kc get serviceaccount default -n default
  log "cluster up in $(elapsed "$t0") s; eval \"\$($0 env)\""
}

# ---------------------------------------------------------------------------
# stop / reset / env / status

alive() {  # $1 pid; an exited-but-unreaped (zombie) process counts as gone
  [[ -r "/proc/$1/stat" ]] || return 1
  local st; st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 1
  [[ -n "$st" && "$st" != Z ]]
}

stop_one() {  # $1 name, $2 marker
  local pid i
  pid=$(pid_of "$1" "$2") || { rm -f "$PIDS/$1.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  # The apiserver drains for a few seconds on SIGTERM; give everyone 15 s.
  for ((i = 0; i < 150; i++)); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    log "$1 (pid $pid) ignored SIGTERM for 15 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDS/$1.pid"
  log "$1 stopped (pid $pid)"
}

cmd_stop() {
  # Reverse start order: clients first, etcd last, so nothing logs errors
  # about a vanished dependency on the way down.
  stop_one kwok "$BIN_DIR/kwok"
  stop_one kube-scheduler "$BIN_DIR/kube-scheduler"
  stop_one kube-controller-manager "$BIN_DIR/kube-controller-manager"
  stop_one kube-apiserver "$BIN_DIR/kube-apiserver"
  stop_one etcd "$STATE/etcd"
}

cmd_reset() {
  cmd_stop
  case "$STATE" in
    /|"$HOME"|"") die "refusing to remove $STATE" ;;
  esac
  rm -rf "$STATE"
  log "removed $STATE (cached binaries kept in $CACHE_DIR)"
}

cmd_env() {
  # Our kubectl first: the machine may carry an older one elsewhere on PATH.
  printf 'export KUBECONFIG=%q\n' "$KUBECONFIG_OUT"
  printf 'export PATH=%q:"$PATH"\n' "$BIN_DIR"
  printf 'export NOETL_E2E_KUBE_CONTEXT=noetl-e2e\n'
}

cmd_status() {
  local rc=0 c m
  for c in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    if [[ $c == etcd ]]; then m="$STATE/etcd"; else m="$BIN_DIR/$c"; fi
    if pid_of "$c" "$m" >/dev/null; then
      printf '%-24s running (pid %s)\n' "$c" "$(pid_of "$c" "$m")"
    else
      printf '%-24s stopped\n' "$c"; rc=1
    fi
  done
  printf '%-24s %s\n' "binaries" "$(if have_kube && have_kwok && have_etcd; then echo "kube $KUBE_VERSION, kwok $KWOK_VERSION, etcd $(installed_etcd_version)"; else echo "not installed"; fi)"
  printf '%-24s %s\n' "kubeconfig" "$KUBECONFIG_OUT (contexts noetl-e2e, kind-noetl)"
  if [[ $rc -eq 0 ]]; then kc get nodes -L kubernetes.io/arch || rc=1; fi
  return $rc
}

usage() {
  cat <<EOF
usage: $0 install|start|stop|reset|env|status
  install  build kube-apiserver/controller-manager/scheduler/kubectl $KUBE_VERSION,
           etcd (NOETL_KUBE_ETCD=source|debian, now: $ETCD_MODE) and kwok $KWOK_VERSION
           into $CACHE_DIR (cached)
  start    certs, etcd, control plane, kwok, nodes ${NODES[*]} (idempotent)
  stop     stop what start started (PID files in $PIDS)
  reset    stop and wipe $STATE
  env      print exports: eval "\$($0 env)"
  status   show component state and nodes
EOF
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  reset) cmd_reset ;;
  env) cmd_env ;;
  status) cmd_status || exit $? ;;  # "stopped" is an answer, not a failure report
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
