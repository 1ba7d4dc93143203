#!/usr/bin/env bash
# The browser tests (Tests/Browser): the playground and the client module in headless Chromium against
# a node built from this checkout. Installs what is missing (Debian chromium + chromium-driver, and
# selenium, pytest, cryptography from PyPI), builds `circles`, runs pytest; the tests start and stop
# the node themselves. Screenshots (desktop and phone width, light and dark) go to out/screenshots/.
# Arguments go to pytest (e.g. -k signer).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for pkg in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if ((${#need[@]})); then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "browser-test: installing ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 -c 'import selenium, pytest, cryptography' 2>/dev/null || python3 -m pip install -q selenium pytest cryptography >&2
if [[ -z ${CIRCLES_BIN:-} ]]; then
  swift build --product circles >&2
  export CIRCLES_BIN="$PWD/.build/debug/circles"
fi
mkdir -p out/screenshots
exec python3 -m pytest -p no:cacheprovider -q -rfE Tests/Browser "$@"
