# Shared by bin/bench-*: builds the benchmark jar if needed and defines
#   bench_run <main class> [--name value ...]
# which runs one step against the stack at COMMAND_URL / QUERY_URL (or the local-stack ports)
# and passes the pids of the local stack's processes, so each step reports their CPU.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bench_jar="$root/bench/target/bench-0.1.0-SNAPSHOT.jar"
if [ ! -f "$bench_jar" ] || [ ! -d "$root/bench/target/lib" ]; then
  (cd "$root" && ./mvnw -q package -DskipTests -pl bench -am)
fi
command_url="${COMMAND_URL:-http://127.0.0.1:${COMMAND_PORT:-8080}}"
query_url="${QUERY_URL:-http://127.0.0.1:${QUERY_PORT:-8081}}"
stack_pids() { # name=pid,... of the local stack's processes now running (a second instance: name-2, ...)
  local pids="" process pid n
  for process in kafka=kafka.Kafka projector=projector-0.1.0-SNAPSHOT-exec query=query-service-0.1.0-SNAPSHOT-exec \
      command=command-service-0.1.0-SNAPSHOT-exec combined=combined-0.1.0-SNAPSHOT-exec; do
    n=0
    for pid in $(pgrep -f "${process#*=}" || true); do
      n=$((n + 1))
      pids="${pids:+$pids,}${process%%=*}$( ((n > 1)) && echo "-$n")=$pid"
    done
  done
  echo "$pids"
}
bench_run() {
  local main="$1" stack_pids
  shift
  stack_pids="$(stack_pids)"
  # every request carries an operator's token (its subject owns the users the benchmark registers)
  STREAMLEDGER_TOKEN="${STREAMLEDGER_TOKEN:-$("$root/bin/token" bench --operator --minutes 600)}"
  export STREAMLEDGER_TOKEN
  java -Xmx256m -cp "$bench_jar:$root/bench/target/lib/*" "dev.streamledger.bench.$main" \
    --url "$command_url" --query-url "$query_url" ${stack_pids:+--pids "$stack_pids"} "$@"
}
