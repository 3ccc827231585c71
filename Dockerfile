# syntax=docker/dockerfile:1
# One image per service, from one file:
#   docker build --build-arg SERVICE=command-service --build-arg PORT=8080 -t streamledger/command-service .
#   docker build --build-arg SERVICE=projector       --build-arg PORT=8082 -t streamledger/projector .
#   docker build --build-arg SERVICE=query-service   --build-arg PORT=8081 -t streamledger/query-service .
#   docker build --build-arg SERVICE=console         --build-arg PORT=8084 -t streamledger/console .
# (docker compose build does them all.) The Kafka Connect worker with the sql-sink plugin
# (docs/sql.md) is the stage "connect", on Kafka's image or, for Strimzi, on Strimzi's:
#   docker build --target connect --build-arg SERVICE=sql-sink -t streamledger/sql-sink-connect .
#   docker build --target connect --build-arg SERVICE=sql-sink \
#     --build-arg CONNECT_BASE=quay.io/strimzi/kafka:1.0.1-kafka-4.1.2 -t streamledger/sql-sink-connect-strimzi .
# The jar is unpacked into Spring Boot's layers, so a
# code change rebuilds only the last, small layer; the JVM sizes its heap from the container's
# memory limit; the process runs as an unprivileged user and needs only /tmp and its state
# directory writable.

ARG CONNECT_BASE=apache/kafka:4.1.2

# Node.js for the console's browser app, which its Maven build makes with npm
FROM node:22-bookworm-slim AS node

FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
# the Maven repository is a build cache: dependencies are downloaded once, not per image
RUN --mount=type=cache,target=/root/.m2 ./mvnw -q package -DskipTests -pl "${SERVICE}" -am \
 && mkdir -p /layers /plugins \
 && if [ -d "${SERVICE}/target/plugin" ]; then cp -r "${SERVICE}/target/plugin/." /plugins/; \
    else java -Djarmode=tools -jar "${SERVICE}/target/${SERVICE}-0.1.0-SNAPSHOT-exec.jar" \
      extract --layers --launcher --destination /layers; fi

# Kafka Connect as Kafka (or Strimzi) ships it, with the sql-sink plugin on its plugin path
FROM ${CONNECT_BASE} AS connect
LABEL org.opencontainers.image.title="streamledger-sql-sink-connect"
COPY --from=build /plugins/ /opt/kafka/plugins/

FROM eclipse-temurin:17-jre
ARG SERVICE
ARG PORT=8080
LABEL org.opencontainers.image.title="streamledger-${SERVICE}"
RUN groupadd --system --gid 10001 streamledger \
 && useradd --system --uid 10001 --gid streamledger --home-dir /app --shell /usr/sbin/nologin streamledger \
 && mkdir -p /var/lib/streamledger && chown streamledger:streamledger /var/lib/streamledger
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
# Listen on every interface of the container (the services bind 127.0.0.1 by default), keep
# state on the volume, log one JSON object a line. The heap is a share of the container's
# memory limit; the rest is for RocksDB (projector, query service), threads and metaspace.
ENV SERVER_PORT=${PORT} \
    BIND_ADDRESS=0.0.0.0 \
    STATE_DIR=/var/lib/streamledger \
    LOGGING_STRUCTURED_FORMAT_CONSOLE=logstash \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=30 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"
EXPOSE ${PORT}
VOLUME /var/lib/streamledger
# ready = the service's readiness group (Kafka Streams RUNNING, outcome listener up); no curl
# in the image, so bash speaks HTTP/1.0 to it
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
