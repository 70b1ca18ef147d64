# Shared by the bench scripts (sourced): two network namespaces joined by an address-less bridge, the
# way the lab wires pods. Nothing gets an address in the host namespace and no namespace has a default
# route, so traffic stays between the two. Everything is named vigilbench-* / vigilb* (not vigil-*, which
# the lab sweeps as its own) and removed by
# pair_down (call it from an EXIT trap).
# usage: pair_up PREFIX SUBNET   e.g. pair_up gen 10.252.1   -> netns vigilbench-gen-c (.1) and -s (.2)

pair_up() {
  local p=$1 net=$2
  PAIR_BRIDGE="vigilb${p}br"
  PAIR_C="vigilbench-${p}-c"; PAIR_S="vigilbench-${p}-s"
  PAIR_C_IF="vigilb${p}c"; PAIR_S_IF="vigilb${p}s"
  PAIR_C_IP="${net}.1"; PAIR_S_IP="${net}.2"
  # unique-local IPv6 beside the IPv4 pair (fd00:7669:6769:6c00::/64, "vigil" in hex), no DAD delay
  PAIR_C_IP6="fd00:7669:6769:6c00::1"; PAIR_S_IP6="fd00:7669:6769:6c00::2"
  pair_down
  ip link add "$PAIR_BRIDGE" type bridge
  ip link set "$PAIR_BRIDGE" up
  local ns ifc ip
  local ip6
  for side in c s; do
    if [ "$side" = c ]; then ns=$PAIR_C; ifc=$PAIR_C_IF; ip=$PAIR_C_IP; ip6=$PAIR_C_IP6
    else ns=$PAIR_S; ifc=$PAIR_S_IF; ip=$PAIR_S_IP; ip6=$PAIR_S_IP6; fi
    ip netns add "$ns"
    ip link add "$ifc" type veth peer name eth0 netns "$ns"
    ip link set "$ifc" master "$PAIR_BRIDGE" up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" -6 addr add "$ip6/64" dev eth0 nodad
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
}

pair_down() {
  [ -n "${PAIR_C:-}" ] || return 0
  for ns in "$PAIR_C" "$PAIR_S"; do
    if ip netns pids "$ns" >/dev/null 2>&1; then
      for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null || true; done
      sleep 0.2
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    fi
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del "$PAIR_BRIDGE" 2>/dev/null || true
}

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$(basename "$0"): needs root for network namespaces; run: sudo $0 $*" >&2
    exit 1
  fi
}

require_commands() {
  local missing=()
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "$(basename "$0"): missing ${missing[*]}: install the packages in scripts/system-packages.txt (sudo apt-get install …)" >&2
    exit 1
  fi
}
