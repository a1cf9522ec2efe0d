# The Learning Network Tracker web app (gunicorn). See docs/deployment.md.

# The influence maps' browser libraries, from npm (package-lock.json pins them).
FROM node:20-slim AS vendor
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A writable home: gunicorn 25.1+ puts its control socket in ~/.gunicorn/.
RUN groupadd --system --gid 10001 tracker \
    && useradd --system --uid 10001 --gid tracker --create-home --home-dir /home/tracker \
       --shell /usr/sbin/nologin tracker

WORKDIR /app
COPY . /app
COPY --from=vendor /build/node_modules/cytoscape/dist/cytoscape.min.js \
     /build/node_modules/cytoscape-svg/cytoscape-svg.js /app/tracker/static/vendor/

# Editable on purpose: create_app() finds templates/ and migrations/ beside the package
# (tracker/__init__.py ROOT), so the package must run from /app, not from site-packages.
RUN pip install --no-cache-dir -e ".[postgres]" \
    && chmod 0755 /app/docker/entrypoint.sh \
    && mkdir -p /app/instance \
    && chown tracker:tracker /app/instance \
    && chmod 0700 /app/instance

USER tracker
EXPOSE 8000

# No arguments: `tracker init`, then gunicorn on 0.0.0.0:8000.
# With arguments (e.g. `tracker demo`): runs them as given, without init.
ENTRYPOINT ["/app/docker/entrypoint.sh"]
