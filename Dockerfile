# Image Panel: one C++ binary plus the static web build, on Debian bookworm.
#
#   docker build -t image-panel .
#   docker run -d -p 127.0.0.1:9090:9090 --env-file .env \
#     -v "$PWD/data:/app/data" -v "$PWD/images:/app/images" image-panel
#
# Stages: web (Node 20: the web app needs Node >= 20.19, Debian's nodejs is 18),
# build (g++ and the -dev packages), runtime (shared libraries only).
# Needs BuildKit (the default builder since Docker 23) for the ccache mount.
# Where Docker Hub is slow, point the base images at a mirror, e.g.
#   --build-arg DEBIAN_IMAGE=docker.m.daocloud.io/library/debian:bookworm

ARG NODE_IMAGE=node:20-bookworm
ARG DEBIAN_IMAGE=debian:bookworm
ARG DEBIAN_SLIM_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS web
WORKDIR /web
# Manifests first, so the npm layer is reused until the dependencies change.
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ---------------------------------------------------------------------------
FROM ${DEBIAN_IMAGE} AS build
WORKDIR /src
COPY scripts/setup-deps.sh /tmp/setup-deps.sh
# setup-deps.sh adds nodejs/npm whenever `node` is missing (for its --test
# tier); the web app is built in its own stage, so a stand-in `node` keeps
# Debian's nodejs and npm out of this stage.
RUN ln -s /bin/true /usr/local/bin/node \
 && bash /tmp/setup-deps.sh --build \
 && rm /usr/local/bin/node /tmp/setup-deps.sh \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# The cache mount keeps ccache's objects between image builds.
RUN --mount=type=cache,target=/root/.cache/ccache \
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPANEL_BENCH=OFF \
 && cmake --build build --target image-panel \
 && strip build/image-panel

# ---------------------------------------------------------------------------
FROM ${DEBIAN_SLIM_IMAGE} AS runtime
COPY scripts/setup-deps.sh /tmp/setup-deps.sh
RUN ln -s /bin/true /usr/local/bin/node \
 && bash /tmp/setup-deps.sh --runtime \
 && rm /usr/local/bin/node /tmp/setup-deps.sh \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed UID/GID, so host folders mounted on the volumes can be given to it:
#   mkdir -p data images && sudo chown 10001:10001 data images
RUN groupadd --system --gid 10001 panel \
 && useradd --system --uid 10001 --gid panel --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin panel \
 && mkdir -p /app/data /app/images \
 && chown panel:panel /app/data /app/images \
 && chmod 0700 /app/data

WORKDIR /app
COPY --from=build /src/build/image-panel /app/image-panel
COPY --from=web /web/build /app/web
COPY VERSION /app/VERSION

# The binary's defaults point into its source tree; these point into /app.
ENV HOST=0.0.0.0 \
    PORT=9090 \
    DATA_DIR=/app/data \
    IMAGES_DIR=/app/images \
    WEB_BUILD_DIR=/app/web \
    VERSION_FILE=/app/VERSION

VOLUME ["/app/data", "/app/images"]
EXPOSE 9090
USER panel

# /health is exempt from the IP allowlist and the access key, not from the
# Host allowlist: send a Host the panel accepts (PUBLIC_ORIGIN's host, else the
# first ALLOWED_HOSTS entry, else the loopback address).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD h="${PUBLIC_ORIGIN:-${ALLOWED_HOSTS%%,*}}"; h="${h#*://}"; h="${h%%/*}"; \
      h="$(printf '%s' "$h" | tr -d ' ')"; \
      curl -fsS -o /dev/null --max-time 4 -H "Host: ${h:-127.0.0.1:9090}" http://127.0.0.1:9090/health || exit 1

ENTRYPOINT ["/app/image-panel"]
CMD ["--host", "0.0.0.0", "--port", "9090"]
