#!/bin/sh
# Operator diagnostics: resolves a name given as ?host=NAME. Deliberately vulnerable (the lab's
# command-injection target): the decoded value is pasted into a sh -c command line unchecked.
echo "Content-Type: text/plain"
echo ""
host=$(httpd -d "${QUERY_STRING#host=}")
sh -c "nslookup $host 2>&1"
