# eMMA agent, the sidecar for each monitored host. Build from the repository root:
#   docker build -f deploy/agent.Dockerfile -t emma-agent .
# Run it with the command that GET /api/v1/enrollment-tokens/:id/install prints.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY backend/package.json backend/
COPY agent/package.json agent/
COPY dashboard/package.json dashboard/
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts --workspace @emma/agent --workspace @emma/protocol

FROM node:20-bookworm-slim
# ICMP probes use fping (ping as the fallback). An image without apt (e.g. a busybox-based test base)
# keeps its own ping.
RUN if command -v apt-get >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends fping iputils-ping && rm -rf /var/lib/apt/lists/*; \
    else echo "no apt-get in this base: ICMP probes use its ping"; fi
WORKDIR /app
ENV NODE_ENV=production \
    EMMA_HOST_PROC=/host/proc \
    EMMA_HOST_ROOT=/host/root \
    EMMA_STATE_DIR=/var/lib/emma-agent
COPY --from=deps /app/node_modules node_modules
COPY package.json ./
COPY protocol protocol
COPY agent/package.json agent/package.json
COPY agent/src agent/src
# The state volume keeps the agent's identity and its spool across restarts and upgrades.
RUN mkdir -p /var/lib/emma-agent && chmod 700 /var/lib/emma-agent
VOLUME /var/lib/emma-agent
# Runs as root: it reads the host's /proc and (for container monitoring) the Docker socket, both mounted read-only.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "--import", "tsx", "agent/src/healthcheck.ts"]
ENTRYPOINT ["node", "--import", "tsx", "agent/src/main.ts"]
