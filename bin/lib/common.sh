# shellcheck shell=bash
# What the scripts in bin/ share; each sources it first, after set -euo pipefail:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# It sets root (the project directory) and defines:
#   say MESSAGE                "[script] MESSAGE" on stdout
#   die MESSAGE                "[script] error: MESSAGE" on stderr, exit status 1
#   help_or_reject ARGUMENT    for an argument the script does not take: -h/--help prints the
#                              usage (exit 0), anything else an error and the synopsis (exit 2)
#   usage_error MESSAGE        the message and the synopsis on stderr, exit status 2
#   project_version            the root pom's own <version> (read once, here)
#   jar_of MODULE              the jar the module's build makes (a service's: its -exec.jar)
#   build MODULE...            ./mvnw -q -DskipTests package -pl MODULE,... -am
#   build_if_stale MODULE...   the same for those whose output is missing or older than a file
#                              it is made from
#   wait_until [--pid PID] [--log FILE] WHAT TIMEOUT_S COMMAND...
#                              runs COMMAND until it succeeds; dies after TIMEOUT_S seconds, or
#                              once process PID has exited, showing the end of FILE
#   port_open PORT [HOST]      something listens on HOST:PORT (127.0.0.1 unless given)
#   need COMMAND [PACKAGE]     dies unless COMMAND is on PATH (naming the Debian package)
#   apt_install COMMAND [PACKAGE]      installs the Debian package if COMMAND is not (root only)
#   npm_installed DIR PACKAGE VERSION  that version of the npm package is installed under DIR
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '[%s] %s\n' "${0##*/}" "$*"; }
die() { say "error: $*" >&2; exit 1; }

# --- arguments -------------------------------------------------------------------------------
# A script's usage is its header comment (line 2 up to the first line that is not a comment),
# and the first paragraph of it is the synopsis. Each script takes its own arguments and hands
# every other one to help_or_reject:
#   for arg in "$@"; do case "$arg" in --keep) keep=1 ;; *) help_or_reject "$arg" ;; esac; done
usage() { # [--synopsis]: the header comment without its '#', or only its first paragraph
  awk -v synopsis="${1:-}" 'NR == 1 { next } !/^#/ { exit }
    { sub(/^# ?/, "") } synopsis != "" && $0 == "" { exit } { print }' "$0"
}
help_or_reject() { # argument
  case "$1" in
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown option '$1'" ;;
    *) usage_error "unexpected argument '$1'" ;;
  esac
}
usage_error() { # message: it and the synopsis on stderr, exit status 2
  say "error: $1" >&2
  usage --synopsis >&2
  echo "(more: $0 -h)" >&2
  exit 2
}

# --- the build -------------------------------------------------------------------------------
# The root pom's own <version>: the first one outside <parent>, before its sections begin.
PROJECT_VERSION="$(awk '/<parent>/ { parent = 1 } /<\/parent>/ { parent = 0; next }
  /<(modules|properties|dependencyManagement|dependencies|build|profiles)>/ { exit }
  !parent && match($0, /<version>[^<]+<\/version>/) { print substr($0, RSTART + 9, RLENGTH - 19); exit }' \
  "$root/pom.xml")"
[ -n "$PROJECT_VERSION" ] || die "found no <version> of the project in $root/pom.xml"
project_version() { echo "$PROJECT_VERSION"; }

jar_of() { # module
  # a module packaged by Spring Boot's plugin runs from its -exec.jar (classifier set in the root pom)
  if grep -q '<artifactId>spring-boot-maven-plugin</artifactId>' "$root/$1/pom.xml"; then
    echo "$root/$1/target/$1-$PROJECT_VERSION-exec.jar"
  else
    echo "$root/$1/target/$1-$PROJECT_VERSION.jar"
  fi
}

outputs() { # module: what of its build the scripts use
  case "$1" in
    local-stack) # the broker's and Connect worker's jars (a pom module: no jar), PostgreSQL's binaries
      echo "$root/local-stack/target/kafka-lib"; echo "$root/local-stack/target/postgres/postgres-linux-x86_64.txz" ;;
    sql-sink) echo "$root/sql-sink/target/plugin" ;;          # the connector's plugin directory
    bench) jar_of bench; echo "$root/bench/target/lib" ;;     # and the jars it runs with
    *) jar_of "$1" ;;
  esac
}

module_deps() { # module: the project modules its pom depends on outside test scope, and theirs
  local dep
  awk -v RS='</dependency>' 'sub(/.*<dependency>/, "") && !/<scope>test<\/scope>/ &&
      match($0, /<artifactId>[^<]+<\/artifactId>/) { print substr($0, RSTART + 12, RLENGTH - 25) }' \
      "$root/$1/pom.xml" |
    while read -r dep; do
      if [ -f "$root/$dep/pom.xml" ]; then echo "$dep"; module_deps "$dep"; fi
    done
}

stale() { # module: an output is missing, or older than a file it is built from (the root pom, and
  # the pom and src/main of the module and of the modules it depends on; tests are not in a jar)
  local out module modules outs inputs=("$root/pom.xml")
  mapfile -t modules < <(echo "$1"; module_deps "$1")
  for module in "${modules[@]}"; do
    inputs+=("$root/$module/pom.xml")
    [ ! -d "$root/$module/src/main" ] || inputs+=("$root/$module/src/main")
    # a browser app's sources (the console's), built into the module's jar
    [ ! -d "$root/$module/frontend" ] || inputs+=("$root/$module/frontend"/{src,public,index.html,package.json,package-lock.json})
  done
  mapfile -t outs < <(outputs "$1")
  for out in "${outs[@]}"; do
    [ -e "$out" ] || return 0
    # run from a Maven build (a test): that build made the outputs, and a second Maven beside it
    # would rewrite the jars it is using; only what is missing is built then
    [ -z "${MAVEN_PROJECTBASEDIR:-}" ] || continue
    [ -z "$(find "${inputs[@]}" -newer "$out" -print -quit)" ] || return 0
  done
  return 1
}

build() { # module...
  say "building $* (./mvnw -q -DskipTests package) ..." >&2
  (cd "$root" && IFS=, && ./mvnw -q -DskipTests package -pl "$*" -am) >&2 || die "the build of $* failed"
  # Maven leaves an output alone when its inputs did not change what it holds (a comment in a pom,
  # say): without this it would be older than them, and stale, for good
  local module outs
  for module in "$@"; do
    mapfile -t outs < <(outputs "$module")
    touch -c "${outs[@]}"
  done
}

build_if_stale() { # module...
  local module wanted=()
  for module in "$@"; do
    if stale "$module"; then wanted+=("$module"); fi
  done
  if [ "${#wanted[@]}" -gt 0 ]; then build "${wanted[@]}"; fi
}

# --- waiting and tools -----------------------------------------------------------------------
wait_until() { # [--pid PID] [--log FILE] what timeout-seconds command...
  local pid="" log=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --pid) pid="$2"; shift 2 ;;
      --log) log="$2"; shift 2 ;;
      *) break ;;
    esac
  done
  local what="$1" timeout="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || die_showing "$log" "$what: the process (pid $pid) exited"
    [ "$SECONDS" -lt "$deadline" ] || die_showing "$log" "$what: not ready after ${timeout}s"
    sleep 0.2
  done
}
die_showing() { # log message: the message, and the log's last lines (what a failed start says is there)
  [ -n "$1" ] || die "$2"
  { say "error: $2; the end of $1:"; tail -n 40 "$1" 2>/dev/null | sed 's/^/    /'; } >&2
  exit 1
}

port_open() { (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null; }

need() { # command [Debian package]
  command -v "$1" >/dev/null || die "$1 is missing; install the Debian package ${2:-$1}"
}

apt_install() { # command [Debian package]
  command -v "$1" >/dev/null && return
  [ "$(id -u)" = 0 ] || need "$@"
  echo "installing ${2:-$1} (Debian)"
  { apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${2:-$1}"; } >/dev/null
}

npm_installed() { # directory package version
  [ "$(jq -r .version "$1/node_modules/$2/package.json" 2>/dev/null)" = "$3" ]
}
