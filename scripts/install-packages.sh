#!/usr/bin/env bash
# Installs the system packages in scripts/system-packages.txt that are missing; as root it installs
# them with apt-get, otherwise it prints the exact command to run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -Ev '^\s*(#|$)' "$here/system-packages.txt")
missing=()
for entry in "${wanted[@]}"; do
  # "command:package" means: satisfied by any installed "command", else install "package".
  if [[ $entry == *:* ]]; then
    command -v "${entry%%:*}" >/dev/null 2>&1 && continue
    entry=${entry#*:}
  fi
  dpkg-query -W -f='${Status}' "$entry" 2>/dev/null | grep -q 'install ok installed' || missing+=("$entry")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "vigil: missing system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "vigil: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if [ "${1:-}" = "--update" ] || ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian starts these services on install; the lab runs its own copies inside containers.
for svc in redis-server postgresql dnsmasq mariadb ssh; do
  systemctl disable --now "$svc" >/dev/null 2>&1 || true
done
