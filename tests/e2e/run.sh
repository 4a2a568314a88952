#!/usr/bin/env bash
# Runs the end-to-end suite: the real app binary under Xvfb, driven by tauri-driver.
# Expects target/debug/readyroom-app-e2e, the app built with the UI embedded (scripts/test builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Software rendering: Xvfb has no GPU, and WebKitGTK's DMA-BUF renderer needs one.
export WEBKIT_DISABLE_DMABUF_RENDERER=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
export NO_AT_BRIDGE=1
rm -rf tests/e2e/artifacts
exec xvfb-run -a -s "-screen 0 1920x1200x24" node --test --test-concurrency=1 tests/e2e/app.test.mjs
