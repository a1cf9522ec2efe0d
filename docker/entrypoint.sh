#!/bin/sh
# Container entrypoint for the app image (see Dockerfile and docs/deployment.md).
set -e

if [ "$#" -gt 0 ]; then
    # A one-off command such as `tracker demo` or, later, `tracker worker`.
    exec "$@"
fi

# Create or upgrade both stores' schemas; safe to run on every start.
tracker init

exec gunicorn \
    --bind 0.0.0.0:8000 \
    --workers "${GUNICORN_WORKERS:-3}" \
    --worker-tmp-dir /dev/shm \
    --access-logfile - \
    "tracker:create_app()"
