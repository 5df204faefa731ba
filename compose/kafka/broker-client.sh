#!/bin/sh
# Writes the client settings of the broker's own principal (User:broker, the only super user) to the file $1: SASL/PLAIN
# on the broker's internal listener (kafka:9094), the password from $BROKER_PASSWORD (secrets.env, never this file).
# Used by the kafka service's healthcheck and by init-security.sh.
set -eu
: "${BROKER_PASSWORD:?BROKER_PASSWORD is not set: copy secrets.env.example to secrets.env, set KAFKA_BROKER_PASSWORD and load it}"
umask 077
cat > "$1" <<CONFIG
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$BROKER_PASSWORD";
CONFIG
