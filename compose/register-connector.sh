#!/bin/sh
# Registers a connector file of connectors/ on Kafka Connect, idempotently: PUT /connectors/<name>/config with
# the file's "config" object (creates the connector, or updates it to the file), then waits until the
# connector and its tasks are RUNNING. POSIX sh + awk + curl (the curlimages/curl image has no jq).
#   register-connector.sh FILE CONNECT_URL     register and wait
#   register-connector.sh --print FILE         print the name, then the config object (what would be PUT)
set -eu

# Prints the raw JSON text of the top-level member $2 of the JSON object in file $1 (a string with its quotes,
# or an object). Strings are skipped as a whole, so braces inside values such as ${env:CDC_DB_HOST} do not count.
json_member() {
  awk -v key="$2" '
    { text = text $0 "\n" }
    END {
      n = length(text); depth = 0; instr = 0; esc = 0; tok = ""; lastkey = ""; want = 0; start = 0
      for (i = 1; i <= n; i++) {
        c = substr(text, i, 1)
        if (instr) {
          if (esc) { esc = 0; tok = tok c; continue }
          if (c == "\\") { esc = 1; tok = tok c; continue }
          if (c == "\"") {
            instr = 0
            if (want && depth == 1) { print substr(text, start, i - start + 1); exit 0 }
            if (depth == 1) lastkey = tok
            continue
          }
          tok = tok c
          continue
        }
        if (c == "\"") { instr = 1; tok = ""; if (want && depth == 1) start = i; continue }
        if (c == ":" && depth == 1 && lastkey == key) { want = 1; continue }
        if (c == "{" || c == "[") { depth++; if (want && depth == 2 && start == 0) start = i; continue }
        if (c == "}" || c == "]") {
          depth--
          if (want && depth == 1 && start > 0) { print substr(text, start, i - start + 1); exit 0 }
          continue
        }
        if (c == "," && depth == 1) lastkey = ""
      }
      exit 1
    }' "$1"
}

connector_name() {
  json_member "$1" name | sed -e 's/^"//' -e 's/"$//'
}

if [ "${1:-}" = "--print" ]; then
  connector_name "$2"
  json_member "$2" config
  exit 0
fi

file="$1"
connect="$2"
name="$(connector_name "$file")" || { echo "no \"name\" in $file" >&2; exit 1; }
json_member "$file" config > /tmp/connector-config.json || { echo "no \"config\" object in $file" >&2; exit 1; }

echo "registering $name ($file) on $connect"
attempt=0
until code="$(curl -sS -o /tmp/put-response.json -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary @/tmp/connector-config.json "$connect/connectors/$name/config")" \
    && { [ "$code" = 200 ] || [ "$code" = 201 ]; }; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 30 ]; then
    echo "PUT $connect/connectors/$name/config failed (HTTP ${code:-none}):" >&2
    cat /tmp/put-response.json >&2 2>/dev/null || true
    exit 1
  fi
  sleep 2
done
echo "PUT $connect/connectors/$name/config: HTTP $code ($( [ "$code" = 201 ] && echo created || echo updated))"

attempt=0
while :; do
  status="$(curl -fsS "$connect/connectors/$name/status" 2>/dev/null || true)"
  states="$(printf '%s' "$status" | grep -o '"state":"[A-Z_]*"' | sed -e 's/"state":"//' -e 's/"//' | tr '\n' ' ')"
  case " $states" in
    *" FAILED "*)
      echo "$name failed: $status" >&2
      exit 1 ;;
  esac
  # the connector's state, then one per task: RUNNING everywhere and at least one task
  if [ -n "$states" ] && [ "$(printf '%s' "$states" | wc -w)" -ge 2 ] \
      && [ -z "$(printf '%s' "$states" | tr ' ' '\n' | grep -v -e '^RUNNING$' -e '^$' || true)" ]; then
    echo "$name is RUNNING: $status"
    exit 0
  fi
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then
    echo "$name not RUNNING after 120 s: ${status:-no status}" >&2
    exit 1
  fi
  sleep 2
done
