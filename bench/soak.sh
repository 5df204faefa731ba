#!/usr/bin/env bash
# Soak: the live detector (`run`, its own JVM, -Xmx1g) on an embedded broker, fed create events at a steady rate; every
# SAMPLE seconds it prints the detector's RSS, heap in use, state directory size and consumer lag on the logs topic.
# They should stay flat: state ages out (event time runs ten times faster than the wall clock), lag stays near zero.
# Not part of CI (ten minutes of load by default).
# Usage: bench/soak.sh [ROWS_PER_SECOND=2000] [SECONDS=600] [SAMPLE=15]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cp_file="$(mktemp)"
# One reactor run (-am) compiles the modules and resolves tools' test classpath against their target/classes.
mvn -B -q -Dstyle.color=never -pl tools -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
classpath="tools/target/test-classes:tools/target/classes:app/target/classes:cdc/target/classes:detector/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
exec java ${JAVA_OPTS:--Xmx1g} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classpath" \
  io.curriculum.tools.bench.SoakBench "${1:-2000}" "${2:-600}" "${3:-15}"
