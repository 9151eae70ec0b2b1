#!/usr/bin/env bash
# Installs what the editor tests and the demo need, idempotently, with nothing but Debian's apt and
# the npm registry:
#   - Debian packages: libkrb5-dev (code-server's kerberos module), ripgrep, chromium;
#   - code-server 4.100.3 (VS Code 1.100.3, the newest release that runs on Node 20) into a cache
#     folder outside the repository: ${DSL_CACHE:-$HOME/.cache/daemonset-lens}/code-server-4.100.3.
# Prints the path of the code-server executable on its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE="${DSL_CACHE:-$HOME/.cache/daemonset-lens}"
DEST="$CACHE/code-server-$CODE_SERVER_VERSION"
BIN="$DEST/node_modules/.bin/code-server"

log() { printf '[install-editor] %s\n' "$*" >&2; }

# --- Debian packages ---------------------------------------------------------------------------
missing=()
for pkg in libkrb5-dev ripgrep chromium; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; exit 1; }
    SUDO=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# --- code-server -------------------------------------------------------------------------------
# Proves that code-server runs and that the native modules its postinstall builds are there.
verify() {
  [ -x "$BIN" ] || return 1
  local version
  # An explicit --config keeps code-server from writing ~/.config/code-server/config.yaml.
  version=$("$BIN" --config "$DEST/config.yaml" --version 2>/dev/null | head -1 || true)
  case "$version" in
    "$CODE_SERVER_VERSION "*) ;;
    *) log "code-server does not start (--version said: '$version')"; return 1 ;;
  esac
  if [ ! -f "$DEST/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node" ]; then
    log "code-server is installed but node-pty was not built: its postinstall did not run"
    return 1
  fi
}

# The marker is written only after verify passed, so a half-finished install is redone, not trusted.
if [ -f "$DEST/.installed" ] && [ -x "$BIN" ]; then
  log "code-server $CODE_SERVER_VERSION already in $DEST"
  echo "$BIN"
  exit 0
fi

# @vscode/ripgrep (a dependency of VS Code) downloads ripgrep from GitHub in its postinstall, which is
# unreachable here; it first looks for the archive in this cache, so give it Debian's rg.
TMP=$(node -p "require('os').tmpdir()")
RG_CACHE="$TMP/vscode-ripgrep-cache-1.15.11"
RG_TAR="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TAR" ]; then
  mkdir -p "$RG_CACHE"
  stage=$(mktemp -d)
  cp "$(command -v rg)" "$stage/rg"
  tar -czf "$RG_TAR.partial" -C "$stage" rg
  mv "$RG_TAR.partial" "$RG_TAR"
  rm -rf "$stage"
fi

rm -rf "$DEST"
mkdir -p "$DEST"
printf 'auth: none\n' >"$DEST/config.yaml"
cat >"$DEST/package.json" <<'EOF'
{ "name": "daemonset-lens-editor", "private": true, "description": "code-server for the DaemonSet Lens editor tests and demo" }
EOF
# npm 11 skips dependency install scripts unless a policy allows them. code-server's postinstall
# installs VS Code's own modules with nested `npm install` runs (node-pty, spdlog, ripgrep, kerberos,
# watcher…), each a project of its own that no package.json policy reaches; a user config file
# (npm_config_userconfig, inherited by the nested runs) is the one layer they all read. The file
# lives in this folder only and affects only installs run by this script.
NPMRC="$DEST/.npmrc-install"
cat >"$NPMRC" <<'EOF'
dangerously-allow-all-scripts=true
EOF
# Native modules (argon2, node-pty, …) that cannot fetch a prebuilt binary from GitHub are built
# with node-gyp, which would download Node's headers from nodejs.org; point it at the headers that
# ship with this Node instead.
nodeprefix=$(dirname "$(dirname "$(node -p process.execPath)")")
if [ -f "$nodeprefix/include/node/common.gypi" ]; then
  echo "nodedir=$nodeprefix" >>"$NPMRC"
  export npm_config_nodedir="$nodeprefix"
else
  log "warning: no Node headers under $nodeprefix/include/node; node-gyp will try to download them"
fi
log "npm install code-server@$CODE_SERVER_VERSION into $DEST (about a minute)"
(
  cd "$DEST"
  npm_config_userconfig="$NPMRC" npm_config_yes=true \
    npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
)

if ! verify; then exit 1; fi
touch "$DEST/.installed"
log "code-server $("$BIN" --config "$DEST/config.yaml" --version | head -1) installed"
echo "$BIN"
