#!/usr/bin/env bash
# Creates .venv-bench/ (git-ignored) with the bench peers of bench/peers/requirements.txt; a second run
# with the same requirements returns at once.
set -euo pipefail
cd "$(dirname "$0")/../.."
req=bench/peers/requirements.txt
stamp=.venv-bench/.requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "bench venv up to date (.venv-bench)"; exit 0
fi
python3 -m venv .venv-bench
.venv-bench/bin/pip install --quiet --upgrade pip
.venv-bench/bin/pip install --quiet -r "$req"
.venv-bench/bin/python -c "import torchquantum, pennylane, qiskit_machine_learning" 2>/dev/null
echo "$want" > "$stamp"
echo "bench venv ready: .venv-bench ($(du -sh .venv-bench | cut -f1))"
