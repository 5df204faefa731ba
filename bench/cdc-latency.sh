#!/usr/bin/env bash
# CDC benchmark: INSERT commit -> alert latency (p50/p90/p99/max) at a steady INSERT rate, then sustained CDC
# throughput on a backlog. Everything on this machine: a throwaway MariaDB (mariadbd from mariadb-server, its own
# data directory and port), an embedded Kafka broker, the detector (exactly_once_v2) and the Connect worker running a
# connector file of connectors/.
# Usage: bench/cdc-latency.sh [ROWS_PER_SECOND=1000] [SECONDS=60] [CONNECTOR=connectors/mysql.json]
#                             [COMMIT_INTERVAL_MS=100] [BACKLOG_ROWS=200000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
# One reactor run (-am) compiles the modules and resolves tools' test classpath against their target/classes, so it works
# on a fresh clone with nothing installed in the local repository; each module writes the file, tools (the last) wins.
mvn -B -q -Dstyle.color=never -pl tools -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
classpath="tools/target/test-classes:tools/target/classes:app/target/classes:cdc/target/classes:detector/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java ${JAVA_OPTS:--Xmx2g} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" \
  io.curriculum.app.cdc.CdcLatencyBench "${1:-1000}" "${2:-60}" "${3:-connectors/mysql.json}" "${4:-100}" "${5:-200000}"
