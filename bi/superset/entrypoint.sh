#!/usr/bin/env bash
# The Superset image's commands (docker-compose.yml runs each as its own service):
#   init       metadata schema, the admin user (once), roles and permissions
#   serve      the web server on :8088
#   provision  the warehouse, datasets, saved queries, charts and the "ML hiring"
#              dashboard through the REST API (bi/superset/provision.py), once the
#              server is healthy and the pipeline has published analytics.duckdb
set -euo pipefail

case "${1:-serve}" in
  init)
    superset db upgrade
    if superset fab list-users 2>/dev/null | grep -q "username:${SUPERSET_ADMIN_USERNAME:-admin} "; then
      echo "admin user ${SUPERSET_ADMIN_USERNAME:-admin} exists"
    else
      superset fab create-admin \
        --username "${SUPERSET_ADMIN_USERNAME:-admin}" \
        --password "${SUPERSET_ADMIN_PASSWORD:?set SUPERSET_ADMIN_PASSWORD}" \
        --firstname Superset --lastname Admin \
        --email "${SUPERSET_ADMIN_EMAIL:-admin@localhost}"
    fi
    superset init
    ;;
  serve)
    exec gunicorn --bind 0.0.0.0:8088 --workers "${SUPERSET_WORKERS:-2}" \
      --timeout 120 --access-logfile - "superset.app:create_app()"
    ;;
  provision)
    shift
    exec python /app/provision.py --url "${SUPERSET_URL:-http://superset:8088}" \
      --wait 600 --wait-for-warehouse "${HIRING_SIGNALS_WAIT_S:-3600}" "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
