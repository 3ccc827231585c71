# shellcheck shell=bash
# Shared by bin/bench-* (after lib/common.sh): builds the benchmark jar if stale and defines
#   bench_run <main class> [--name value ...]
# which runs one step against the stack at COMMAND_URL / QUERY_URL (or the local-stack ports)
# and passes the pids of the local stack's processes, so each step reports their CPU.
build_if_stale bench
command_url="${COMMAND_URL:-http://127.0.0.1:${COMMAND_PORT:-8080}}"
query_url="${QUERY_URL:-http://127.0.0.1:${QUERY_PORT:-8081}}"
stack_pids() { # name=pid,... of the local stack's processes now running (a second instance: name-2, ...)
  local pids="" process pattern pid n
  # the SQL copy's: its Connect worker and the database sessions of its tasks (PostgreSQL runs a
  # process per connection)
  for process in kafka=kafka.Kafka projector=projector query=query-service command=command-service combined=combined \
      connect=connect.cli.ConnectDistributed "sql=postgres: [a-z]+ ledger "; do
    # a service by the name of its jar (run from target/, or extracted to target/aot/)
    pattern="${process#*=}"
    case "$pattern" in
      kafka.Kafka | connect.* | postgres:*) ;;
      *) pattern="$(basename "$(jar_of "$pattern")" .jar)" ;;
    esac
    n=0
    for pid in $(pgrep -f "$pattern" || true); do
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
  java -Xmx256m -cp "$(jar_of bench):$root/bench/target/lib/*" "dev.streamledger.bench.$main" \
    --url "$command_url" --query-url "$query_url" ${stack_pids:+--pids "$stack_pids"} "$@"
}
