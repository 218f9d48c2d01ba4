#!/usr/bin/env bash
# Installs everything the test suite needs: Python packages and Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
python -m pip install -q -r requirements-dev.txt
