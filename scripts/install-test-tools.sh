#!/usr/bin/env bash
# Installs the system tools the test suite drives for real: PostgreSQL, Chromium, LibreOffice,
# poppler (pdftotext/pdftoppm), libical's GObject bindings, pandoc, fonts, Dovecot (the IMAP server
# the tests start on 127.0.0.1 for the organiser mailbox) and Node.js packages; python3-uno lets
# the round-trip tests type into a document with LibreOffice itself.
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql chromium libreoffice-writer-nogui python3-uno poppler-utils gir1.2-ical-3.0
          python3-gi pandoc fonts-dejavu-core fonts-liberation2 dovecot-imapd openssl nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  # node and npm may come from elsewhere on the machine; only ask apt when they are absent.
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      nodejs) command -v node >/dev/null || filtered+=("$p") ;;
      npm) command -v npm >/dev/null || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  if [ ${#filtered[@]} -gt 0 ]; then
    echo "Installing system packages: ${filtered[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
  fi
fi
# The tests start their own Dovecot with a throwaway configuration; a system-wide one the
# package may have started is not needed (and would hold the IMAP ports).
if command -v doveadm >/dev/null && [ -f /etc/dovecot/dovecot.conf ]; then
  doveadm stop >/dev/null 2>&1 || true
fi

(cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
