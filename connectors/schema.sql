-- The source database of the detector: curriculum_logs with its two tables, columns as in production.
-- Idempotent (IF NOT EXISTS); run as an administrator: mariadb -u root < connectors/schema.sql
CREATE DATABASE IF NOT EXISTS curriculum_logs CHARACTER SET utf8mb4;
USE curriculum_logs;

-- One row per page view: date and time are the campus's local wall-clock time (America/Chicago).
CREATE TABLE IF NOT EXISTS logs (
  id        INT UNSIGNED NOT NULL AUTO_INCREMENT,
  date      DATE         NOT NULL,
  time      TIME         NOT NULL,
  path      VARCHAR(2048) NOT NULL,
  user_id   INT UNSIGNED NOT NULL,
  cohort_id INT UNSIGNED NULL,
  ip        VARCHAR(45)  NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB;

-- The cohorts (classes) a user belongs to; the real table ships as tools/src/main/resources/cohorts.csv.
CREATE TABLE IF NOT EXISTS cohorts (
  id         INT UNSIGNED NOT NULL,
  name       VARCHAR(255) NOT NULL,
  slack      VARCHAR(255) NOT NULL,
  start_date DATE         NOT NULL,
  end_date   DATE         NOT NULL,
  created_at DATETIME     NOT NULL,
  updated_at DATETIME     NOT NULL,
  deleted_at DATETIME     NULL,
  program_id INT UNSIGNED NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB;
