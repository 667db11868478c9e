#!/usr/bin/env bash
# Install the Debian packages the product needs (espeak-ng, redis-server, ...) when missing.
# Uses apt-get as root or through passwordless sudo; otherwise prints one line saying what to install.
set -u
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "ivr: please install these system packages first: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "ivr: installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || { echo "ivr: apt-get install ${missing[*]} failed" >&2; exit 1; }
