-- MySQL init step 3: the real cohorts table (tools/src/main/resources/cohorts.csv, mounted read-only into the
-- server's secure_file_priv directory). Header line skipped; timestamps are quoted; deleted_at is the word NULL.
LOAD DATA INFILE '/var/lib/mysql-files/cohorts.csv'
  REPLACE INTO TABLE curriculum_logs.cohorts
  CHARACTER SET utf8mb4
  FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"'
  LINES TERMINATED BY '\n'
  IGNORE 1 LINES
  (id, name, slack, start_date, end_date, created_at, updated_at, @deleted_at, program_id)
  SET deleted_at = NULLIF(NULLIF(@deleted_at, 'NULL'), '');
