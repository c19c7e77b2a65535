# The engine's container image: a build stage with every dependency compiles the server and bundles the web app; the
# runtime stage holds production dependencies and the build output only, and runs as the unprivileged `node` user.
# Not built on the development machines (no Docker engine there): test/docker/dockerfile.test.ts checks this file and
# runs its steps in a clean checkout instead.

ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; the build runs below.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY types ./types
COPY web-modeler ./web-modeler
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs the TypeScript build, and tsc is a dev dependency.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web-modeler/dist ./web-modeler/dist
# Empty folders to mount models into, and the embedded database's folder (unused with DATABASE_URL), owned by `node`.
RUN mkdir -p /app/processes /app/decisions /app/data && chown node:node /app/data
USER node
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/app/data/pglite \
    PROCESSES_DIR=/app/processes \
    DECISIONS_DIR=/app/decisions
EXPOSE 8080
VOLUME ["/app/data"]
# slim images have no curl: Node's fetch asks /health/ready (database, migrations, Kafka when configured).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/ready').then((res) => process.exit(res.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful shutdown; give `docker stop -t` more than SHUTDOWN_GRACE_PERIOD (30 s by default).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
