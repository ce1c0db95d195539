# PostgreSQL for the compose stack, from Debian's packages (PostgreSQL 15 of Debian 12), run as the
# unprivileged user postgres. It takes the official postgres image's settings (POSTGRES_PASSWORD,
# POSTGRES_USER, POSTGRES_DB, PGDATA), so that image can take its place.
# Build from the repository root: docker build -f deploy/postgres.Dockerfile -t emma-postgres .
# The base is pinned to a point release; add @sha256:<digest> to pin it byte for byte.
ARG DEBIAN_IMAGE=debian:12.11-slim

FROM ${DEBIAN_IMAGE}
LABEL org.opencontainers.image.title="eMMA PostgreSQL" \
      org.opencontainers.image.description="PostgreSQL 15 from Debian 12 for the eMMA compose stack"
# No cluster from the package: the entrypoint makes one in the volume on first start.
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /run/postgresql \
 && chmod 700 /var/lib/postgresql/data
COPY deploy/postgres/entrypoint.sh /usr/local/bin/emma-postgres
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
USER postgres
VOLUME /var/lib/postgresql/data
EXPOSE 5432
# SIGINT: PostgreSQL's fast shutdown (sessions end, the checkpoint is written).
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=5 \
  CMD pg_isready -h /run/postgresql -U "${POSTGRES_USER:-postgres}" -d "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"
ENTRYPOINT ["emma-postgres"]
