#!/bin/bash
# Debian's chromium (and a font for its screenshots), for the test that renders report.html in a headless browser. Idempotent.
set -euo pipefail
if command -v chromium >/dev/null; then
  echo "chromium-setup: $(chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium-setup: run as root to install Debian's chromium package" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends chromium fonts-liberation >/dev/null 2>&1 \
  || { apt-get update >/dev/null; apt-get install -y --no-install-recommends chromium fonts-liberation >/dev/null; }
echo "chromium-setup: installed $(chromium --version 2>/dev/null || echo chromium)"
