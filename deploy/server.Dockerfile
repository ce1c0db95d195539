# eMMA server: one image, the role chosen by the command (all | api | realtime | worker | migrate). The health
# check follows the role PID 1 runs (backend/src/healthcheck.ts): GET /health on EMMA_HTTP_PORT for all/api, on
# EMMA_WS_PORT for realtime, the heartbeat file for worker.
# Build from the repository root: docker build -f deploy/server.Dockerfile -t emma-server .
# The base is pinned to a release (renovate/dependabot bump it); add @sha256:<digest> to pin it byte for byte.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY backend/package.json backend/
COPY agent/package.json agent/
COPY dashboard/package.json dashboard/
# The agent workspace too: `emma all` runs a local agent in-process.
RUN npm ci --omit=dev --no-audit --no-fund --workspace @emma/backend --workspace @emma/protocol \
      --workspace @emma/agent
# uWebSockets.js ships its native module for every platform and Node ABI (90 MB): keep the one this runs.
RUN uws="uws_$(node -p 'process.platform + "_" + process.arch + "_" + process.versions.modules').node" \
 && test -f "node_modules/uWebSockets.js/binaries/$uws" \
 && find node_modules/uWebSockets.js/binaries -name 'uws_*.node' ! -name "$uws" -delete

# The dashboard's static files (Vite build); the server serves them at / (EMMA_DASHBOARD_DIR).
FROM ${NODE_IMAGE} AS dashboard
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY backend/package.json backend/
COPY agent/package.json agent/
COPY dashboard/package.json dashboard/
RUN npm ci --no-audit --no-fund --ignore-scripts --workspace @emma/dashboard
COPY tsconfig.json ./
COPY dashboard dashboard
RUN NODE_ENV=production npm run build -w dashboard

FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="eMMA server" \
      org.opencontainers.image.description="eMMA API, realtime and worker roles (one image, the role by command)"
WORKDIR /app
ENV NODE_ENV=production EMMA_HOST=0.0.0.0 EMMA_HTTP_PORT=8080 EMMA_DATA_DIR=/data
COPY --from=deps /app/node_modules node_modules
COPY package.json ./
COPY protocol protocol
COPY backend/package.json backend/package.json
COPY backend/src backend/src
COPY agent/package.json agent/package.json
COPY agent/src agent/src
COPY db db
COPY --from=dashboard /app/dashboard/dist dashboard/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "--import", "tsx", "backend/src/healthcheck.ts"]
ENTRYPOINT ["node", "--import", "tsx", "backend/src/main.ts"]
CMD ["all"]
