#!/bin/sh
# One product: ?id=N. Deliberately vulnerable (the lab's SQL-injection target): the decoded id is
# pasted into the SQL text that psql sends to the database.
DB=postgres.shop-data.svc.cluster.local
echo "Content-Type: text/plain"
echo ""
id=$(httpd -d "${QUERY_STRING#id=}")
PGPASSWORD=$(cat /etc/shop/db/password)
export PGPASSWORD
psql -h "$DB" -U "$(cat /etc/shop/db/username)" -d shop -At -F '|' \
  -c "SELECT id, name, price FROM products WHERE id = '$id'" 2>&1
