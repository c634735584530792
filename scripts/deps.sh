#!/usr/bin/env bash
# Installs the Debian 12 packages piiscan needs to build, test and benchmark,
# but only those that are missing (apt-get update runs only when something is).
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config
  libpcre2-dev libarchive-dev libmagic-dev libyaml-dev libexpat1-dev libjansson-dev libssl-dev
  libgmime-3.0-dev libpoppler-glib-dev libfreexl-dev libxml2-dev
  libcmocka-dev
  python3 python3-openpyxl python3-docx python3-reportlab python3-pil python3-xlwt python3-odf
  zip unzip p7zip-full xz-utils zstd lz4 bzip2 gzip cpio genisoimage ncompress
  ripgrep time
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
