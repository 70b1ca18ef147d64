#!/bin/sh
# First start: initdb, the shop role and database, one table with rows. Then the server.
set -e
: "${PGDATA:=/var/lib/postgresql/data}"
user=$(cat /etc/shop/db/username)
password=$(cat /etc/shop/db/password)
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  initdb -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 --no-sync --locale=C -E UTF8 >/tmp/initdb.log
  echo "host all all 10.244.0.0/16 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  postgres --single -D "$PGDATA" -c fsync=off postgres >/dev/null <<SQL
CREATE ROLE $user LOGIN PASSWORD '$password';
CREATE DATABASE shop OWNER $user;
SQL
  postgres --single -D "$PGDATA" -c fsync=off shop >/dev/null <<SQL
CREATE TABLE products (id serial PRIMARY KEY, name text NOT NULL, price numeric(8,2) NOT NULL);
INSERT INTO products (name, price) VALUES ('lantern', 19.90), ('tent', 149.00), ('stove', 59.50), ('rope', 12.25);
ALTER TABLE products OWNER TO $user;
SQL
  echo "postgres-entrypoint: database shop initialised"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp -c fsync=off \
  -c shared_buffers=16MB -c max_connections=20
