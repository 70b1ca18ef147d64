#!/bin/sh
# Product list, cache-aside: Redis first (10 s TTL), PostgreSQL on a miss.
CACHE=cache.shop-data.svc.cluster.local
DB=postgres.shop-data.svc.cluster.local
echo "Content-Type: application/json"
echo ""
redis-cli -h "$CACHE" INCR api:hits >/dev/null 2>&1
cached=$(redis-cli -h "$CACHE" --raw GET products 2>/dev/null)
if [ -n "$cached" ]; then
  echo "$cached"
  exit 0
fi
PGPASSWORD=$(cat /etc/shop/db/password)
export PGPASSWORD
rows=$(psql -h "$DB" -U "$(cat /etc/shop/db/username)" -d shop -At -F ' ' \
  -c "SELECT id, name, price FROM products ORDER BY id" 2>&1) || { echo "{\"error\":\"database: $rows\"}"; exit 0; }
json=$(echo "$rows" | awk 'BEGIN{printf "["} NR>1{printf ","} {printf "{\"id\":%s,\"name\":\"%s\",\"price\":%s}", $1, $2, $3} END{printf "]"}')
redis-cli -h "$CACHE" SET products "$json" EX 10 >/dev/null 2>&1
echo "$json"
