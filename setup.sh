#!/usr/bin/env bash
# Sets up qkc on a Debian machine, everything the main job, the tests and JupyterLab need:
#   1. the Debian packages in scripts/apt-packages.txt (as root, or through sudo; otherwise it prints
#      the exact apt-get command and carries on with the rest),
#   2. the project-local Python environment .venv/ from requirements.txt (JupyterLab, nbconvert, …),
#   3. node_modules/ by `npm ci` (its prepare step builds dist/ and links notebooks/node_modules/qkc),
#   4. the notebooks' package link and the tslab TypeScript kernel, registered for this project only.
# Each step is skipped when already done (stamps hold a hash of requirements.txt / package-lock.json),
# so a second run takes seconds and changes nothing.       Usage: bash setup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd -P)

say() { printf '== setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }
# sha256 over the named files' contents (and names), one hex string.
files_hash() { sha256sum "$@" | sha256sum | cut -c1-64; }

# --- 1. Debian packages -----------------------------------------------------------------------------
mapfile -t APT_PACKAGES < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/apt-packages.txt | grep -v '^$')
if ! command -v dpkg-query >/dev/null; then
  say "not Debian (no dpkg-query): install these packages yourself: ${APT_PACKAGES[*]}"
else
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    say "Debian packages present: ${APT_PACKAGES[*]}"
  else
    apt_install=(apt-get install -y --no-install-recommends "${missing[@]}")
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      # sudo without a password, or with one when someone is at the terminal to type it.
      if command -v sudo >/dev/null && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then sudo=(sudo); else sudo=(none); fi
    fi
    if [ "${sudo[*]}" = none ]; then
      say "missing Debian packages: ${missing[*]}; not root and no sudo, so run this as root and then set-up again:"
      printf '    apt-get update && DEBIAN_FRONTEND=noninteractive %s\n' "${apt_install[*]}"
      say "carrying on without them (the tests that need them will say so)"
    else
      say "installing Debian packages: ${missing[*]}"
      "${sudo[@]}" apt-get update
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive "${apt_install[@]}" ||
        die "apt-get failed; the command was: ${sudo[*]} ${apt_install[*]}"
    fi
  fi
fi

# --- Node 20+ (package.json engines; Debian 12's own nodejs is 18, so it does not come from apt) -------
command -v node >/dev/null || die "node not found: install Node.js 20 or newer (nodejs.org or NodeSource), then run set-up again"
node -e 'if (+process.versions.node.split(".")[0] < 20) { console.error(`setup: Node ${process.versions.node} found, qkc needs Node 20 or newer`); process.exit(1); }'

# --- 2. Python: the project-local venv ---------------------------------------------------------------
VENV_STAMP=.venv/.qkc-setup
venv_want="requirements.txt $(files_hash requirements.txt)"
if .venv/bin/python -c '' 2>/dev/null && [ "$(cat "$VENV_STAMP" 2>/dev/null)" = "$venv_want" ]; then
  say ".venv is current with requirements.txt"
else
  if ! .venv/bin/python -c '' 2>/dev/null; then
    # Debian's Python (python3-venv), not whichever python3 a pyenv puts first on PATH.
    base=python3
    [ -x /usr/bin/python3 ] && base=/usr/bin/python3
    say "creating .venv with $base"
    rm -rf .venv
    "$base" -m venv .venv || die "'$base -m venv .venv' failed (Debian: apt-get install python3-venv)"
  fi
  say "installing requirements.txt into .venv"
  .venv/bin/python -m pip install --disable-pip-version-check --no-input --quiet -r requirements.txt
  printf '%s\n' "$venv_want" >"$VENV_STAMP"
fi

# --- 3. npm: node_modules from package-lock.json (never `npm install`, which may rewrite the lock) -----
NPM_STAMP=node_modules/.qkc-setup
npm_want="node $(node -p 'process.versions.modules + " " + process.platform + "-" + process.arch') $(files_hash \
  package.json package-lock.json shims/*/package.json notebooks/package.json)"
if [ "$(cat "$NPM_STAMP" 2>/dev/null)" = "$npm_want" ] && [ -f dist/index.js ]; then
  say "node_modules is current with package-lock.json"
else
  say "npm ci"
  npm ci --no-audit --no-fund
  printf '%s\n' "$npm_want" >"$NPM_STAMP"
fi

# --- 4. notebooks/node_modules/qkc -> the project (how tslab resolves `import … from 'qkc'`) ----------
if [ "$(readlink -f notebooks/node_modules/qkc 2>/dev/null)" = "$ROOT" ]; then
  say "notebooks/node_modules/qkc links to the project"
else
  npm run --silent setup:notebooks
fi

# --- 5. the tslab kernel under .jupyter-kernel/ (found through JUPYTER_PATH; nothing global) -----------
KERNEL_JSON=.jupyter-kernel/share/jupyter/kernels/tslab/kernel.json
if [ -f "$KERNEL_JSON" ] && grep -qF "\"$ROOT/node_modules/tslab/bin/tslab\"" "$KERNEL_JSON"; then
  say "tslab kernel registered in .jupyter-kernel/"
else
  npm run --silent kernel:install
fi

say "done"
