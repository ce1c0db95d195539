#!/bin/sh
# The SQL probe tests talk to a real MariaDB at 127.0.0.1:3306 as root without a password (what this
# project's machines run). On a fresh Debian machine this installs and starts one, as root, and only then
# opens root to password-less TCP logins; an existing server is left exactly as it is.
set -eu

if command -v mariadb-admin >/dev/null 2>&1 && mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-mariadb: no MariaDB at 127.0.0.1:3306 and no way to install one (needs root and apt-get)" >&2
  exit 1
fi
if [ ! -x /usr/sbin/mariadbd ]; then
  "$(dirname "$0")/apt-install.sh" --no-recommends mariadb-server
  fresh=1
fi
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1
for _ in $(seq 60); do mariadb-admin -uroot ping >/dev/null 2>&1 && break; sleep 0.5; done
if [ "${fresh:-0}" = 1 ]; then
  # A server we just installed: let root in over TCP without a password, as the tests expect.
  mariadb -uroot -e "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
    FLUSH PRIVILEGES;"
fi
mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1 || {
  echo "ensure-test-mariadb: MariaDB did not come up at 127.0.0.1:3306" >&2
  exit 1
}
echo "ensure-test-mariadb: MariaDB ready at 127.0.0.1:3306" >&2
