# Paved's toolchain installers, sourced by ./platform (bash).
#
# Versions come from scripts/toolchain/versions.env (the one place they are
# pinned). Every function installs only what is missing and is safe to run
# again; a second clone on the same machine reuses the per-user cache.
#
#   PAVED_CACHE   ${XDG_CACHE_HOME:-$HOME/.cache}/paved: Go-built tools,
#                 <tool>/<version>/bin/<tool> plus SOURCE (how it was built)
#   PAVED_STATE   ${XDG_STATE_HOME:-$HOME/.local/state}/paved: the test
#                 PostgreSQL cluster and Redis (root: /var/lib/paved)
#   .toolchain/   project-local: Node 22, the TechDocs Python venv
#
# Expects ROOT, TOOLS and a `log` function from the caller.

# shellcheck source=versions.env
source "$ROOT/scripts/toolchain/versions.env"

PAVED_CACHE="${PAVED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/paved}"
if [[ "$(id -u)" == 0 ]]; then
  # PostgreSQL refuses to run as root: its data directory belongs to the
  # `postgres` user, who cannot enter /root.
  PAVED_STATE="${PAVED_STATE:-/var/lib/paved}"
else
  PAVED_STATE="${PAVED_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/paved}"
fi
export PAVED_CACHE PAVED_STATE

apt_install() {
  # Debian packages; installed only when missing.
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    log "missing Debian packages ${missing[*]}: install them with your package manager"
    return 1
  fi
  log "installing Debian packages: ${missing[*]}"
  local started=$SECONDS
  if [[ ! -f "$TOOLS/.apt-updated" ]]; then
    mkdir -p "$TOOLS"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && touch "$TOOLS/.apt-updated"
  fi
  # policy-rc.d exit 101: packages must not start their own services (the
  # Debian PostgreSQL cluster needs a password on loopback; we run our own).
  local policy=/usr/sbin/policy-rc.d created_policy=""
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  local status=$?
  [[ -n "$created_policy" ]] && rm -f "$policy"
  log "Debian packages took $((SECONDS - started))s"
  return $status
}

# go_tool NAME MODULE VERSION [module]: prints the path of NAME built from
# MODULE@VERSION, building it into the cache when it is not there, with
# `CGO_ENABLED=0 go install MODULE@VERSION`. The fourth argument `module`
# builds through a throwaway local module (go.mod with one require line,
# see go_module_tool) instead: needed when the module proxy refuses the
# module's version list, which `go install` reads for deprecation notices
# (Regal).
go_tool() {
  local name="$1" module="$2" version="$3" mode="${4:-install}"
  if [[ "$mode" == module ]]; then
    go_module_tool "$name" "$version" "$module" printf 'require %s %s\n' "$module" "$version"
    return
  fi
  local dir="$PAVED_CACHE/$name/$version"
  local bin="$dir/bin/$name"
  if [[ -x "$bin" ]]; then
    echo "$bin"
    return 0
  fi
  command -v go >/dev/null || { log "need Go (https://go.dev) to build $name $version"; return 1; }
  mkdir -p "$PAVED_CACHE/$name"
  (
    # One build per tool and version at a time, whatever the number of clones.
    flock 9
    [[ -x "$bin" ]] && exit 0
    local started=$SECONDS tmp how="CGO_ENABLED=0 go install $module@$version"
    tmp="$(mktemp -d "$PAVED_CACHE/$name/.build-$version.XXXXXX")"
    log "building $name $version ($how) into $dir"
    CGO_ENABLED=0 GOBIN="$tmp/bin" GOFLAGS=-buildvcs=false go install -trimpath "$module@$version" >&2 ||
      { rm -rf "$tmp"; log "could not build $name $version"; exit 1; }
    printf '%s\n%s\nbuilt %s in %ss\n' "$how" "$(go version)" \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((SECONDS - started))" >"$tmp/SOURCE"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    log "$name $version built in $((SECONDS - started))s"
  ) 9>"$PAVED_CACHE/$name/.lock" || return 1
  echo "$bin"
}

# OPA, gator and Regal on PATH (and as PAVED_OPA_BIN etc. for scripts).
ensure_policy_tools() {
  local opa gator regal
  opa="$(go_tool opa "$OPA_MODULE" "$OPA_VERSION")" || return 1
  gator="$(go_tool gator "$GATOR_MODULE" "$GATOR_VERSION")" || return 1
  regal="$(GO_TOOL_LDFLAGS="-X $REGAL_MODULE/pkg/version.Version=$REGAL_VERSION" \
    go_tool regal "$REGAL_MODULE" "$REGAL_VERSION" module)" || return 1
  export PAVED_OPA_BIN="$opa" PAVED_GATOR_BIN="$gator" PAVED_REGAL_BIN="$regal"
  export PATH="$(dirname "$opa"):$(dirname "$gator"):$(dirname "$regal"):$PATH"
}

# Only OPA: what ./platform start needs.
ensure_opa() {
  local opa
  opa="$(go_tool opa "$OPA_MODULE" "$OPA_VERSION")" || return 1
  export PAVED_OPA_BIN="$opa"
  export PATH="$(dirname "$opa"):$PATH"
}

# The TechDocs generator every Backstage user runs (mkdocs-techdocs-core,
# which brings mkdocs and mkdocs-material), in a project-local venv.
ensure_techdocs() {
  local venv="$TOOLS/venv" stamp="$TOOLS/venv/.paved-techdocs-core" want="$TECHDOCS_CORE_VERSION copies"
  if [[ ! -x "$venv/bin/mkdocs" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    command -v python3 >/dev/null || { log "need python3 for the TechDocs generator"; return 1; }
    log "installing mkdocs-techdocs-core==$TECHDOCS_CORE_VERSION (PyPI) into .toolchain/venv"
    local started=$SECONDS
    rm -rf "$venv"
    # --copies: the TechDocs backend refuses to build a docs folder holding a
    # symbolic link to outside it, and the portal's docs folder is the
    # repository root, which holds this venv.
    python3 -m venv --copies "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "mkdocs-techdocs-core==$TECHDOCS_CORE_VERSION" >&2
    echo "$want" >"$stamp"
    log "TechDocs generator installed in $((SECONDS - started))s"
  fi
  export PATH="$venv/bin:$PATH"
  # mkdocs-material 9.7 prints a banner about MkDocs 2.0 on every build, on
  # stderr; the TechDocs backend would log it as an error each time.
  export NO_MKDOCS_2_WARNING=true
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

postgres_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# PostgreSQL on 127.0.0.1:5432 for the tests: the one already answering, or a
# cluster of Paved's own (trust auth on loopback only, user postgres) under
# PAVED_STATE, from Debian's postgresql package.
ensure_postgres() {
  if tcp_open 127.0.0.1 5432; then
    log "PostgreSQL: already answering on 127.0.0.1:5432"
    return 0
  fi
  apt_install postgresql || return 1
  local bindir major data run_as=()
  bindir="$(postgres_bindir)"
  major="$(basename "$(dirname "$bindir")")"
  data="$PAVED_STATE/postgresql-$major"
  if [[ "$(id -u)" == 0 ]]; then run_as=(runuser -u postgres --); fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data"
    chmod 700 "$data"
    [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$data"
    "${run_as[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 ||
      { log "initdb failed (see $data.initdb.log)"; return 1; }
  fi
  # fsync off: a throwaway test cluster; a crash loses test data only.
  "${run_as[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=5432 -c unix_socket_directories=$data -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { log "PostgreSQL did not start (see $data/server.log)"; return 1; }
  log "PostgreSQL $major: started on 127.0.0.1:5432 (data $data, user postgres, trust on loopback)"
}

# Redis on 127.0.0.1:6379: the one already answering, or Debian's
# redis-server started without persistence.
ensure_redis() {
  if tcp_open 127.0.0.1 6379; then
    log "Redis: already answering on 127.0.0.1:6379"
    return 0
  fi
  apt_install redis-server || return 1
  mkdir -p "$PAVED_STATE/redis"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no \
    --dir "$PAVED_STATE/redis" --logfile "$PAVED_STATE/redis/redis.log" \
    --pidfile "$PAVED_STATE/redis/redis.pid" >/dev/null || { log "Redis did not start"; return 1; }
  local i
  for i in $(seq 50); do tcp_open 127.0.0.1 6379 && break; sleep 0.1; done
  log "Redis $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/'): started on 127.0.0.1:6379 (log $PAVED_STATE/redis/redis.log)"
}

# ./platform doctor: every tool, its version and where it came from.
doctor() {
  local row
  row() { printf '%-22s %-26s %s\n' "$1" "$2" "$3"; }
  row tool version source
  row node "$("$NODE_BIN/node" -v)" "$NODE_BIN/node"
  row yarn "$("$NODE_BIN/node" "$YARN_RELEASE" -v)" "${YARN_RELEASE#"$ROOT/"} (checked in)"
  row go "$(go env GOVERSION 2>/dev/null || echo missing)" "$(command -v go || echo 'not found')"
  local name module version bin
  for name in opa gator regal kube-apiserver etcd kubectl; do
    case "$name" in
      kube-apiserver | kubectl) module="$KUBE_MODULE/cmd/$name" version="$KUBE_VERSION" ;;
      *) module="$(eval echo "\$${name^^}_MODULE")" version="$(eval echo "\$${name^^}_VERSION")" ;;
    esac
    bin="$PAVED_CACHE/$name/$version/bin/$name"
    if [[ -x "$bin" ]]; then
      row "$name" "$version" "$bin ($(sed -n 1p "${bin%/bin/*}/SOURCE"), $(sed -n 3p "${bin%/bin/*}/SOURCE"))"
    else
      row "$name" "$version (pinned)" "not built yet: ./platform test builds it from $module"
    fi
  done
  if [[ -x "$TOOLS/venv/bin/mkdocs" ]]; then
    row mkdocs-techdocs-core "$(cut -d' ' -f1 "$TOOLS/venv/.paved-techdocs-core")" ".toolchain/venv (PyPI), $("$TOOLS/venv/bin/mkdocs" --version | cut -d' ' -f1-3)"
  else
    row mkdocs-techdocs-core "$TECHDOCS_CORE_VERSION (pinned)" "not installed yet: ./platform start or test installs it"
  fi
  local pg_state="not running" redis_state="not running"
  tcp_open 127.0.0.1 5432 && pg_state="answering on 127.0.0.1:5432"
  tcp_open 127.0.0.1 6379 && redis_state="answering on 127.0.0.1:6379"
  row postgresql "$(dpkg-query -W -f='${Version}' postgresql 2>/dev/null || echo missing)" "Debian package postgresql; $pg_state"
  row redis "$(dpkg-query -W -f='${Version}' redis-server 2>/dev/null || echo missing)" "Debian package redis-server; $redis_state"
  row chromium "$(dpkg-query -W -f='${Version}' chromium 2>/dev/null || echo missing)" "Debian package chromium (/usr/bin/chromium)"
  row protoc "$(dpkg-query -W -f='${Version}' protobuf-compiler 2>/dev/null || echo missing)" "Debian package protobuf-compiler"
  row python3 "$(python3 -V 2>&1 | cut -d' ' -f2)" "$(command -v python3 || echo 'not found')"
  row cargo "$(cargo -V 2>/dev/null | cut -d' ' -f2 || echo missing)" "$(command -v cargo || echo 'not found')"
  row "cache (per user)" "" "$PAVED_CACHE"
  row "state (per user)" "" "$PAVED_STATE"
}

# What the golden paths' own test suites need beyond Node (template CI):
# protoc's Go plugins in the per-user cache (exported as
# PAVED_PROTOC_GEN_GO_BIN / PAVED_PROTOC_GEN_GO_GRPC_BIN), make, the Rust
# wasm target when rustup manages the toolchain, python3-venv on Debian's
# python3, and a check that cargo exists. Template CI fails with a message
# naming the missing tool; it never skips.
ensure_golden_path_tools() {
  local gen_go gen_go_grpc missing=()
  gen_go="$(go_tool protoc-gen-go "$PROTOC_GEN_GO_MODULE" "$PROTOC_GEN_GO_VERSION")" || return 1
  gen_go_grpc="$(go_tool protoc-gen-go-grpc "$PROTOC_GEN_GO_GRPC_MODULE" "$PROTOC_GEN_GO_GRPC_VERSION")" || return 1
  export PAVED_PROTOC_GEN_GO_BIN="$gen_go" PAVED_PROTOC_GEN_GO_GRPC_BIN="$gen_go_grpc"
  command -v make >/dev/null || apt_install make || missing+=("make")
  command -v cargo >/dev/null || missing+=("cargo (https://rustup.rs)")
  if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$RUST_WASM_TARGET"; then
    log "adding Rust target $RUST_WASM_TARGET (rustup)"
    rustup target add "$RUST_WASM_TARGET" >&2 || missing+=("Rust target $RUST_WASM_TARGET")
  fi
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    # Debian's python3 leaves ensurepip (which venv needs) to python3-venv.
    [[ "$(command -v python3)" == /usr/bin/python3 ]] && apt_install python3-venv
    python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=("python3 with venv and ensurepip (Debian: python3-venv)")
  fi
  if ((${#missing[@]})); then
    log "missing for the golden paths' own tests: ${missing[*]}"
    return 1
  fi
}

# go_module_tool NAME VERSION PACKAGE GOMOD_COMMAND [ARGS...]: prints the path
# of NAME, the main package PACKAGE built in a throwaway local module, into
# $PAVED_CACHE/NAME/VERSION/bin/NAME when it is not there (go_tool's
# `module` mode is this with one require line). The go.mod may hold several
# require and replace lines:
# GOMOD_COMMAND ARGS prints them (after `module` and `go`, which are
# written here) and runs only when NAME is built, so a warm run asks no
# network. VERSION names the cache folder: it must change whenever what
# GOMOD_COMMAND prints does. The generated go.mod and go.sum stay beside the
# binary (src/), next to SOURCE; they are never committed. GO_TOOL_LDFLAGS
# as for go_tool. The build runs under `nice -n 10` (shared cores).
go_module_tool() {
  local name="$1" version="$2" package="$3"
  shift 3
  local dir="$PAVED_CACHE/$name/$version"
  local bin="$dir/bin/$name"
  if [[ -x "$bin" ]]; then
    echo "$bin"
    return 0
  fi
  command -v go >/dev/null || { log "need Go (https://go.dev) to build $name $version"; return 1; }
  mkdir -p "$PAVED_CACHE/$name"
  (
    flock 9
    [[ -x "$bin" ]] && exit 0
    local started=$SECONDS tmp lines
    tmp="$(mktemp -d "$PAVED_CACHE/$name/.build-$version.XXXXXX")"
    mkdir -p "$tmp/src"
    lines="$("$@")" || { rm -rf "$tmp"; log "could not write the go.mod for $name $version"; exit 1; }
    printf 'module paved.local/toolchain/%s\n\ngo %s\n\n%s\n' \
      "$name" "$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')" "$lines" >"$tmp/src/go.mod"
    log "building $name $version (go build $package in a local module: $(grep -c '^require' "$tmp/src/go.mod") require, $(grep -c '^replace' "$tmp/src/go.mod") replace lines) into $dir"
    (cd "$tmp/src" && CGO_ENABLED=0 GOFLAGS='-mod=mod -buildvcs=false' nice -n 10 go build -trimpath \
      -ldflags "${GO_TOOL_LDFLAGS:-}" -o "$tmp/bin/$name" "$package" >&2) || { rm -rf "$tmp"; log "could not build $name $version"; exit 1; }
    printf 'go build -trimpath %s in a local module (src/go.mod)\n%s\nbuilt %s in %ss\n' "$package" "$(go version)" \
      "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$((SECONDS - started))" >"$tmp/SOURCE"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    log "$name $version built in $((SECONDS - started))s"
  ) 9>"$PAVED_CACHE/$name/.lock" || return 1
  echo "$bin"
}

# go.mod lines for kube-apiserver: require k8s.io/kubernetes KUBE_VERSION and
# replace every k8s.io staging module that its go.mod requires (at v0.0.0,
# replaced there with ./staging/src/k8s.io/...) with the published
# KUBE_STAGING_VERSION.
kube_apiserver_gomod() {
  local gomod
  gomod="$(cd "$PAVED_CACHE" && GOFLAGS= go mod download -json "$KUBE_MODULE@$KUBE_VERSION" |
    sed -n -E 's/^[[:space:]]*"GoMod": "(.*)",?$/\1/p')"
  [[ -f "$gomod" ]] || { log "could not download $KUBE_MODULE $KUBE_VERSION"; return 1; }
  printf 'require %s %s\n\n' "$KUBE_MODULE" "$KUBE_VERSION"
  awk -v v="$KUBE_STAGING_VERSION" '
    $2 == "=>" && $3 ~ /^\.\/staging\// { staged[$1] = 1 }
    $1 ~ /^k8s\.io\// && $2 == "v0.0.0" { required[$1] = 1 }
    END { for (m in required) if (m in staged) print "replace " m " => " m " " v }
  ' "$gomod" "$gomod" | sort
}

etcd_gomod() { printf 'require %s %s\n' "$ETCD_MODULE" "$ETCD_VERSION"; }

# A real control plane for @paved/kube-control-plane's tests: kube-apiserver
# (KUBE_VERSION) and etcd (ETCD_VERSION) built into the per-user cache,
# exported as PAVED_KUBE_APISERVER_BIN and PAVED_ETCD_BIN. A cold build
# downloads the modules and compiles for many minutes; a warm run only
# checks that both binaries are there.
# -ldflags for a k8s.io/kubernetes command: -s -w and the version that
# /version and `kubectl version` report (component-base and client-go).
# Fails when KUBE_STAGING_VERSION is not the release of KUBE_VERSION.
kube_ldflags() {
  local minor="${KUBE_VERSION#v1.}"
  if [[ "$KUBE_STAGING_VERSION" != "v0.$minor" ]]; then
    log "versions.env: KUBE_STAGING_VERSION $KUBE_STAGING_VERSION is not the release of KUBE_VERSION $KUBE_VERSION (want v0.$minor)"
    return 1
  fi
  local kv=k8s.io/component-base/version cv=k8s.io/client-go/pkg/version
  printf '%s' "-s -w -X $kv.gitVersion=$KUBE_VERSION -X $kv.gitMajor=1 -X $kv.gitMinor=${minor%%.*} -X $kv.gitTreeState=clean -X $cv.gitVersion=$KUBE_VERSION -X $cv.gitMajor=1 -X $cv.gitMinor=${minor%%.*} -X $cv.gitTreeState=clean"
}

ensure_kube_control_plane() {
  local apiserver etcd ldflags
  ldflags="$(kube_ldflags)" || return 1
  apiserver="$(GO_TOOL_LDFLAGS="$ldflags" \
    go_module_tool kube-apiserver "$KUBE_VERSION" "$KUBE_MODULE/cmd/kube-apiserver" kube_apiserver_gomod)" || return 1
  etcd="$(GO_TOOL_LDFLAGS="-s -w" go_module_tool etcd "$ETCD_VERSION" "$ETCD_MODULE" etcd_gomod)" || return 1
  export PAVED_KUBE_APISERVER_BIN="$apiserver" PAVED_ETCD_BIN="$etcd"
}

# kubectl at KUBE_VERSION, for the Kubernetes simulator's tests (a real
# client against it): `go build k8s.io/kubernetes/cmd/kubectl` through the
# same local module as kube-apiserver (kube_apiserver_gomod: its go.mod
# replaces the staging modules kubectl needs too), into the per-user cache,
# exported as PAVED_KUBECTL_BIN. A kubectl on PATH is not used: the tests run
# the pinned one.
ensure_kubectl() {
  local kubectl ldflags
  ldflags="$(kube_ldflags)" || return 1
  kubectl="$(GO_TOOL_LDFLAGS="$ldflags" \
    go_module_tool kubectl "$KUBE_VERSION" "$KUBE_MODULE/cmd/kubectl" kube_apiserver_gomod)" || return 1
  export PAVED_KUBECTL_BIN="$kubectl"
}
