#!/bin/sh
# Renders the product list fetched from the api service (HTTP, through kube-dns).
echo "Content-Type: text/html"
echo ""
echo "<!doctype html><html><body><h1>Products</h1><pre>"
if ! curl -sf -m 5 http://api.shop-api.svc.cluster.local:8080/cgi-bin/products; then
  echo "api unavailable"
fi
echo "</pre></body></html>"
