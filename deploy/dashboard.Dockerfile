# The dashboard behind nginx: the built SolidJS app, /api and the health checks proxied to the api role(s),
# /ws to the realtime role(s) (deploy/nginx/emma.conf.template). nginx from Debian's packages, run as the
# unprivileged www-data on port 8080.
# Build from the repository root: docker build -f deploy/dashboard.Dockerfile -t emma-dashboard .
# The bases are pinned to releases; add @sha256:<digest> to pin them byte for byte.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim
ARG DEBIAN_IMAGE=debian:12.11-slim

FROM ${NODE_IMAGE} AS build
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

FROM ${DEBIAN_IMAGE}
LABEL org.opencontainers.image.title="eMMA dashboard" \
      org.opencontainers.image.description="The eMMA dashboard behind nginx, proxying /api and /ws"
# gettext-base: envsubst for the template. The paths nginx writes to belong to www-data.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx-light gettext-base \
 && rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/conf.d/* \
 && mkdir -p /var/cache/emma-nginx \
 && chown www-data:www-data /etc/nginx/conf.d /var/cache/emma-nginx
COPY deploy/nginx/nginx.conf /etc/nginx/nginx.conf
COPY deploy/nginx/emma.conf.template /etc/nginx/templates/emma.conf.template
COPY deploy/nginx/entrypoint.sh /usr/local/bin/emma-nginx
COPY --from=build /app/dashboard/dist /usr/share/emma/dashboard
ENV EMMA_NGINX_PORT=8080 \
    EMMA_API_UPSTREAM=api:8080 \
    EMMA_REALTIME_UPSTREAM=realtime:8081 \
    EMMA_DASHBOARD_ROOT=/usr/share/emma/dashboard
USER www-data
EXPOSE 8080
# nginx's own answer (not the API's): the proxy is up and serving.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${EMMA_NGINX_PORT} && printf 'GET /nginx-health HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"]
STOPSIGNAL SIGQUIT
ENTRYPOINT ["emma-nginx"]
