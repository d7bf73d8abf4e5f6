#!/usr/bin/env bash
# load_sample.sh STATE_FILE SOURCE_DIR: the Gia Lai sample loaded into the
# test cluster (pg_cluster.sh) exactly as README.md, "A shared workspace in
# PostGIS", and docs/postgis.md say: the database gialai, the workspace
# schema plan made by share/postgis/workspace.sql, the sample's layers
# appended with ogr2ogr, and the roles of docs/postgis.md (readers, editors,
# one login of each with a password). The tests copy this database for each
# test (CREATE DATABASE ... TEMPLATE gialai) and never use it themselves.
set -euo pipefail
state="${1:?usage: load_sample.sh STATE_FILE SOURCE_DIR}"
src="${2:?usage: load_sample.sh STATE_FILE SOURCE_DIR}"
PGHOST="$(cat "$state")"
export PGHOST PGUSER=bordercov_admin PGDATABASE=postgres
gpkg="$src/geodata/gia-lai.gpkg"

# README: create the database and the workspace schema.
createdb gialai
psql -X -q -d gialai -v schema=plan -f "$src/share/postgis/workspace.sql"
# README: load the sample (lines and communes become multi-part, as the
# schema holds them; the order of the layers follows their references;
# PG_USE_COPY makes ogr2ogr copy the rows in bulk into the existing tables).
ogr2ogr --config PG_USE_COPY YES -f PostgreSQL PG:"dbname=gialai active_schema=plan" "$gpkg" \
  -append -nlt PROMOTE_TO_MULTI border_lines communes
ogr2ogr --config PG_USE_COPY YES -f PostgreSQL PG:"dbname=gialai active_schema=plan" "$gpkg" \
  -append markers teams households assignments marker_custodians

# docs/postgis.md: who may read and who may edit.
psql -X -q -v ON_ERROR_STOP=1 -d gialai <<'SQL'
CREATE ROLE plan_readers NOLOGIN;
GRANT USAGE ON SCHEMA plan TO plan_readers;
GRANT SELECT ON ALL TABLES IN SCHEMA plan TO plan_readers;
CREATE ROLE plan_editors NOLOGIN IN ROLE plan_readers;
GRANT INSERT, UPDATE, DELETE ON plan.border_lines, plan.markers, plan.communes, plan.teams,
    plan.households, plan.assignments, plan.marker_custodians TO plan_editors;
CREATE ROLE station_duc_co LOGIN PASSWORD 'tram-duc-co' IN ROLE plan_editors;
CREATE ROLE planner_ro LOGIN PASSWORD 'chi-doc' IN ROLE plan_readers;
SQL

# The figures hold as loaded: nothing refused, every row there.
for layer in border_lines markers communes teams households assignments marker_custodians; do
  want="$(ogrinfo -ro -so "$gpkg" "$layer" | sed -n 's/^Feature Count: //p')"
  got="$(psql -X -At -d gialai -c "SELECT count(*) FROM plan.$layer")"
  if [ "$want" != "$got" ]; then
    echo "load_sample.sh: plan.$layer holds $got rows, the GeoPackage $want." >&2
    exit 1
  fi
done
echo "The Gia Lai sample is in database gialai, schema plan."
