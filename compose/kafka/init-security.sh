#!/bin/sh
# One-shot (service kafka-init): creates or updates the SCRAM-SHA-256 users of the stack's principals and their ACLs on
# the secured broker, as its super user (User:broker, SASL/PLAIN on kafka:9094). Idempotent: run it again after a
# password change. The passwords come from the environment (secrets.env, loaded into the shell that runs docker compose),
# never from this file; letters, digits, '.', '_' and '-' only (kafka-configs' SCRAM syntax splits on ',' and ']').
#   detector  DETECTOR_SCRAM_PASSWORD   the detector (every replica, and `docker compose run detector replay ...`)
#   reviewer  REVIEWER_SCRAM_PASSWORD   reads curriculum.alerts.suspicious-ip only (an analyst's consumer)
#   connect   CONNECT_SCRAM_PASSWORD    the Kafka Connect worker and its Debezium connector
# The ACL block below is generated from DetectorAcls (module app) and checked by ComposeFileIT, which writes the
# current block to app/target/compose-acls.sh when they differ: copy it here, do not edit the block by hand.
set -eu

BOOTSTRAP="${BROKER_BOOTSTRAP:-kafka:9094}"
BIN="${KAFKA_BIN:-/opt/kafka/bin}"
CONFIG="${BROKER_CLIENT_CONFIG:-/tmp/broker-client.properties}"
/bin/sh "$(dirname "$0")/broker-client.sh" "$CONFIG"

scram_user() {
  name="$1"
  variable="$2"
  password="$(printenv "$variable" || true)"
  if [ -z "$password" ]; then
    echo "$variable is not set: copy secrets.env.example to secrets.env, set it and load it (set -a; . ./secrets.env; set +a)" >&2
    exit 1
  fi
  case "$password" in
    *[!A-Za-z0-9._-]*)
      echo "$variable: use letters, digits, '.', '_' and '-' only" >&2
      exit 1 ;;
  esac
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --alter \
    --entity-type users --entity-name "$name" --add-config "SCRAM-SHA-256=[password=$password]"
}

acl() {
  "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$CONFIG" --add --force "$@" > /dev/null
  echo "ACL: $*"
}

scram_user detector DETECTOR_SCRAM_PASSWORD
scram_user reviewer REVIEWER_SCRAM_PASSWORD
scram_user connect CONNECT_SCRAM_PASSWORD

# BEGIN ACLS (generated from DetectorAcls by ComposeFileIT; do not edit by hand)
acl --allow-principal User:detector --topic curriculum.curriculum_logs.logs --operation Read --operation Create
acl --allow-principal User:detector --topic curriculum.curriculum_logs.cohorts --operation Read --operation Create
acl --allow-principal User:detector --topic curriculum.detector.rules --operation Read --operation Write --operation Create
acl --allow-principal User:detector --topic curriculum.alerts.suspicious-ip --operation Write --operation Read --operation Create
acl --allow-principal User:detector --topic curriculum.alerts.lesson-band --operation Write --operation Read --operation Create
acl --allow-principal User:detector --topic curriculum.alerts.inactive-student --operation Write --operation Read --operation Create
acl --allow-principal User:detector --topic curriculum.dead-letter --operation Write --operation Create
acl --allow-principal User:detector --topic curriculum.alerts.simulated --operation Write --operation Create
acl --allow-principal User:detector --topic curriculum-detector --resource-pattern-type prefixed --operation All
acl --allow-principal User:detector --group curriculum-detector --resource-pattern-type prefixed --operation All
acl --allow-principal User:detector --transactional-id curriculum-detector --resource-pattern-type prefixed --operation All
acl --allow-principal User:reviewer --topic curriculum.alerts.suspicious-ip --operation Read
acl --allow-principal User:reviewer --group reviewer --resource-pattern-type prefixed --operation Read
acl --allow-principal User:connect --topic curriculum.curriculum_logs.logs --operation Write
acl --allow-principal User:connect --topic curriculum.curriculum_logs.cohorts --operation Write
acl --allow-principal User:connect --topic curriculum.schema-history.mysql --operation Read --operation Write --operation Create
acl --allow-principal User:connect --topic curriculum-connect --resource-pattern-type prefixed --operation All
acl --allow-principal User:connect --group curriculum-connect --resource-pattern-type prefixed --operation All
# END ACLS

echo "SCRAM users and ACLs in place"
