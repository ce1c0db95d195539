#!/bin/sh
# Renders the site from its template and starts nginx in the foreground. nginx refuses to start when an
# upstream's name does not resolve yet, and a compose stack starts everything at once: wait for the names
# first (up to EMMA_NGINX_WAIT_S). The addresses are read once, so restart nginx after scaling a role.
set -eu
envsubst '${EMMA_API_UPSTREAM} ${EMMA_REALTIME_UPSTREAM} ${EMMA_NGINX_PORT} ${EMMA_DASHBOARD_ROOT}' \
  </etc/nginx/templates/emma.conf.template >/etc/nginx/conf.d/emma.conf

deadline=$(($(date +%s) + ${EMMA_NGINX_WAIT_S:-60}))
for upstream in "$EMMA_API_UPSTREAM" "$EMMA_REALTIME_UPSTREAM"; do
  host=${upstream%:*}
  until getent hosts "$host" >/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "emma-nginx: $host does not resolve; starting anyway" >&2
      break
    fi
    sleep 1
  done
done
exec nginx -e /dev/stderr -g 'daemon off;'
