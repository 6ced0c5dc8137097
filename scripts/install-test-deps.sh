#!/usr/bin/env bash
# Installs the real WireGuard peers and network tools the interop tests drive,
# and the desktop session parts the desktop tier starts itself (a system
# D-Bus, polkitd and pkexec). --no-install-recommends keeps wireguard-tools
# from pulling in a kernel image.
set -euo pipefail
pkgs=(wireguard-go wireguard-tools iperf3 iputils-ping tcpdump nftables iproute2 procps chromium fonts-noto-cjk zip unzip
  dbus-daemon dbus-bin polkitd pkexec passwd util-linux ncat zbar-tools)
# The helper's resume test (logind mocked on a test bus) and its dynamic-DNS test.
pkgs+=(python3-dbusmock dnsmasq-base)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
