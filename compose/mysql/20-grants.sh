#!/bin/bash
# MySQL init step 2 (after 10-schema.sql = connectors/schema.sql): the least-privilege debezium user of
# connectors/grants.sql, for any host of the compose network ('%'). As grants.sql asks, the password is given
# by an init command, never written into a file; it travels base64-encoded so that no quote in it can break
# the SQL. The official image runs this once, on an empty data directory, as root over the socket.
set -e
if [ -z "${CDC_DB_PASSWORD:-}" ]; then
  echo "20-grants.sh: CDC_DB_PASSWORD is not set (see secrets.env.example)" >&2
  false
fi
cdc_password_b64="$(printf '%s' "$CDC_DB_PASSWORD" | base64 | tr -d '\n')"
MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql --protocol=socket -uroot \
  --init-command="SET @cdc_password = CONVERT(FROM_BASE64('$cdc_password_b64') USING utf8mb4), @cdc_host = '%'" \
  < /opt/curriculum/grants.sql
echo "20-grants.sh: debezium user created (hosts localhost, 127.0.0.1, %)"
