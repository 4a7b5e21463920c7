#!/usr/bin/env bash
# `npm run e2e`: bring up the real engines the end-to-end tests need (Docker
# engine + BuildKit + registry + QEMU, and a Kubernetes API server with
# simulated amd64/arm64 nodes), run test/e2e, and stop what this script
# started. Engines that were already running are used and left running.
# Everything is cached under ~/.cache/noetl-harness, so a warm run starts in
# seconds. A harness that cannot start fails the run: never a skip.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."

started=()
cleanup() {
  local status=$?
  for harness in "${started[@]}"; do bash "test/harness/$harness" stop || true; done
  exit "$status"
}
trap cleanup EXIT

for harness in docker.sh kube.sh; do
  [ -f "test/harness/$harness" ] || continue
  if ! bash "test/harness/$harness" status >/dev/null 2>&1; then
    started+=("$harness")
  fi
done

bash test/harness/docker.sh all
if [ -f test/harness/kube.sh ]; then
  bash test/harness/kube.sh install
  bash test/harness/kube.sh start
fi

node --import tsx --test --test-concurrency=1 test/e2e/*.test.ts
