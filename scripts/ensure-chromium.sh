#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing (Playwright drives it
# through executable_path; browsers cannot be downloaded on these machines), with its
# Vietnamese texts (chromium-l10n: the file input reads "Chọn tệp", as users see it).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && [ -e /usr/lib/chromium/locales/vi.pak ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
$SUDO apt-get install -y -qq chromium chromium-l10n >/dev/null
command -v chromium
