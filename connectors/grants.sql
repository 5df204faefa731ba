-- The Debezium user: what its connectors need and nothing more. Works on MySQL 8.x and MariaDB 10.11+.
-- Run as an administrator with the password given on the command line, never written into a file:
--   mariadb -u root --init-command="SET @cdc_password='...'" < connectors/grants.sql
--   mysql   -u root --init-command="SET @cdc_password='...'" < connectors/grants.sql
-- and, for the Connect workers' network, --init-command="SET @cdc_password='...', @cdc_host='10.0.%'".
--   SELECT ON curriculum_logs.*  the initial snapshot of the captured tables, nothing else
--   RELOAD                       FLUSH TABLES WITH READ LOCK for the moment the snapshot starts
--   SHOW DATABASES               the snapshot lists the databases to filter them
--   REPLICATION SLAVE            read the binlog (a.k.a. REPLICA)
--   REPLICATION CLIENT           SHOW MASTER/BINARY LOG STATUS, SHOW BINARY LOGS (MariaDB: BINLOG MONITOR)
-- No write privilege at all; no SUPER.
SET @cdc_host = COALESCE(@cdc_host, '127.0.0.1');

DROP PROCEDURE IF EXISTS mysql.curriculum_cdc_grant;
DELIMITER //
CREATE PROCEDURE mysql.curriculum_cdc_grant(IN host VARCHAR(255))
BEGIN
  IF @cdc_password IS NULL OR @cdc_password = '' THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'set @cdc_password first (see the head of grants.sql)';
  END IF;
  SET @account = CONCAT(QUOTE('debezium'), '@', QUOTE(host));
  SET @stmt = CONCAT('CREATE USER IF NOT EXISTS ', @account, ' IDENTIFIED BY ', QUOTE(@cdc_password));
  PREPARE s FROM @stmt; EXECUTE s; DEALLOCATE PREPARE s;
  SET @stmt = CONCAT('ALTER USER ', @account, ' IDENTIFIED BY ', QUOTE(@cdc_password));
  PREPARE s FROM @stmt; EXECUTE s; DEALLOCATE PREPARE s;
  SET @stmt = CONCAT('GRANT RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ', @account);
  PREPARE s FROM @stmt; EXECUTE s; DEALLOCATE PREPARE s;
  SET @stmt = CONCAT('GRANT SELECT ON curriculum_logs.* TO ', @account);
  PREPARE s FROM @stmt; EXECUTE s; DEALLOCATE PREPARE s;
END//
DELIMITER ;

CALL mysql.curriculum_cdc_grant('localhost');
CALL mysql.curriculum_cdc_grant('127.0.0.1');
CALL mysql.curriculum_cdc_grant(@cdc_host);
DROP PROCEDURE mysql.curriculum_cdc_grant;
FLUSH PRIVILEGES;
