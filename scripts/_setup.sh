# Shared by scripts/demo and scripts/test: make sure uv and the locked dependencies are here.
# Sourced, not run. Sets UV to a working uv command.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if command -v uv >/dev/null 2>&1; then
  UV=(uv)
elif python3 -m uv --version >/dev/null 2>&1; then
  UV=(python3 -m uv)
else
  echo "setup: installing uv with pip" >&2
  python3 -m pip install --quiet --disable-pip-version-check uv
  UV=(python3 -m uv)
fi
"${UV[@]}" sync --frozen --quiet
