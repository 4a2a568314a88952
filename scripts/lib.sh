# Shared setup for scripts/run-app and scripts/test. Sourced, not run.
# Installs what is missing and nothing else, so a second run is quick.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# The Tauri CLI must use ui/package.json, not another package.json it might find.
export TAURI_FRONTEND_PATH=ui

APP_APT=(build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev)
TEST_APT=(xvfb xauth webkit2gtk-driver imagemagick poppler-utils fonts-noto-core fonts-wqy-microhei fonts-symbola fonts-urw-base35)
TAURI_DRIVER_VERSION=2.1.0

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing system packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_toolchain() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first (https://rustup.rs)"; exit 1; }
  command -v node >/dev/null || { echo "node not found: install Node.js 20 or newer first"; exit 1; }
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || { echo "Node.js $major is too old: Readyroom needs Node.js 20 or newer"; exit 1; }
  if command -v rustup >/dev/null; then
    rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt >/dev/null
  fi
}

ensure_npm() {
  local stamp=ui/node_modules/.readyroom-lock
  if [ ! -d ui/node_modules ] || ! cmp -s ui/package-lock.json "$stamp"; then
    echo "==> installing npm packages (ui/)"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    cp ui/package-lock.json "$stamp"
  fi
}

ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null; then
    echo "==> installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION" --quiet
  fi
}

has_display() {
  [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}
