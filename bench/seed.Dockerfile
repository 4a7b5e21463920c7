# NoETL's image built "the seed's way", for `npm run bench` only: every stage
# starts FROM the target platform's image and compiles inside it, so for
# linux/arm64 on an amd64 machine apt, npm, cargo and python all run under
# QEMU. It is the slow path docker/noetl/Dockerfile exists to avoid; the
# benchmark times both with the same context and the same base image.
#
# The harness has no arm64 Node/Rust builder image (its builder image is
# amd64-only), so the toolchain comes from Debian's apt inside the emulated
# stage, as it would on top of any plain per-target base image.

ARG RUNTIME_BASE=python:3.12-slim-bookworm
ARG UI_DIR=ui-src
ARG CLI_DIR=noetlctl
ARG CLI_BIN=noetl
ARG PY_PACKAGE=noetl
ARG UI_PACKAGE_DIR=noetl/core/ui

# The same Debian packages the harness's builder image has, minus the cross
# compilers (nothing cross-compiles here).
FROM ${RUNTIME_BASE} AS toolchain
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm rustc-web cargo-web gcc libc6-dev python3-venv \
 && rm -rf /var/lib/apt/lists/*

FROM toolchain AS ui
ARG UI_DIR
WORKDIR /src/ui
COPY ${UI_DIR}/package.json ${UI_DIR}/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ${UI_DIR}/ ./
RUN VITE_API_BASE_URL=/api npm run build && test -f dist/index.html

FROM toolchain AS cli
ARG CLI_DIR
ARG CLI_BIN
WORKDIR /src/cli
COPY ${CLI_DIR}/ ./
RUN cargo build --release --frozen && cp "target/release/$CLI_BIN" /cli

# The example's Python package has no dependencies, so "install" is a copy
# into a venv (pip would need the network for its build backend).
FROM toolchain AS python-venv
ARG PY_PACKAGE
ARG UI_PACKAGE_DIR
COPY ${PY_PACKAGE}/ /src/${PY_PACKAGE}/
COPY --from=ui /src/ui/dist/ /tmp/ui-dist/
RUN python3 -m venv --without-pip /opt/venv \
 && site=$(/opt/venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') \
 && cp -a "/src/$PY_PACKAGE" "$site/" \
 && mkdir -p "$site/$UI_PACKAGE_DIR" && cp -a /tmp/ui-dist/. "$site/$UI_PACKAGE_DIR/"

FROM ${RUNTIME_BASE} AS runtime
COPY --from=python-venv /opt/venv /opt/venv
COPY --from=cli /cli /usr/local/bin/noetl
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PYTHONUNBUFFERED=1
WORKDIR /opt/noetl
EXPOSE 8082
CMD ["python3", "-m", "noetl.server", "--host", "0.0.0.0", "--port", "8082"]
