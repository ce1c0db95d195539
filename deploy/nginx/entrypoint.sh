#!/bin/sh
# Renders the site from its template, writes the resolver nginx looks the upstream names up with, and starts
# nginx in the foreground. The resolver is the container's first nameserver (Docker's 127.0.0.11, Podman's
# network DNS): only that one knows the other services' names, and nginx would ask the others in turn.
# EMMA_NGINX_RESOLVER overrides it.
set -eu
envsubst '${EMMA_API_UPSTREAM} ${EMMA_REALTIME_UPSTREAM} ${EMMA_NGINX_PORT} ${EMMA_DASHBOARD_ROOT}' \
  </etc/nginx/templates/emma.conf.template >/etc/nginx/conf.d/emma.conf

resolver=${EMMA_NGINX_RESOLVER:-$(awk '/^nameserver/ { print $2; exit }' /etc/resolv.conf)}
case $resolver in
*:*) resolver="[$resolver]" ;; # IPv6
esac
if [ -n "$resolver" ]; then
  echo "resolver $resolver valid=10s; resolver_timeout 5s;" >/etc/nginx/conf.d/00-resolver.conf
else
  echo "emma-nginx: no nameserver in /etc/resolv.conf; the upstreams must be addresses" >&2
fi
exec nginx -e /dev/stderr -g 'daemon off;'
