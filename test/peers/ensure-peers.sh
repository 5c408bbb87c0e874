#!/usr/bin/env bash
# The real programs the tests meet (see README, "Tests"): upsd with dummy-ups, snmpd, snmpsim,
# snmptrap/snmpinform, snmptrapd, powermand with vpcd, socat pty pairs, ping, OpenSSH's sshd, Mosquitto, and Chromium for
# the editor test. Installed from
# Debian's packages when missing; `npm test` and .ci/run both call this.
# libnss3-tools: certutil/pk12util build the certificate database of upsd (NSS build) for STARTTLS.
set -euo pipefail
packages=(nut-server nut-client libnss3-tools snmp snmpd snmptrapd snmpsim powerman socat iputils-ping chromium openssh-server mosquitto mosquitto-clients)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
  echo "ensure-peers: missing Debian packages: ${missing[*]} (install them as root; tests that need them will fail)" >&2
  exit 0
fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "ensure-peers: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
