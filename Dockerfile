# syntax=docker/dockerfile:1
# One image for every Switchyard process; the command picks the app:
#   docker run switchyard                                    gateway + admin + worker in one process
#   docker run switchyard node scripts/start.mjs gateway     (or admin, billing-worker, migrate)
# See docs/deployment.md.

ARG NODE_IMAGE=node:20-bookworm-slim
# npm 11 honours the `allowScripts` field of package.json: only approved packages run install
# scripts (the image's bundled npm 10 would run them all, including telemetry).
ARG NPM_VERSION=11.19.1

# ---- build: full install, compile TypeScript into dist/ ------------------------------------------
FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
ENV SCARF_ANALYTICS=false
RUN npm install -g "npm@${NPM_VERSION}" --no-audit --no-fund
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN node scripts/build.mjs

# ---- runtime: production dependencies only, non-root --------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG NPM_VERSION
ENV NODE_ENV=production \
    SCARF_ANALYTICS=false \
    OUTBOX_DIR=/var/lib/switchyard/outbox
RUN npm install -g "npm@${NPM_VERSION}" --no-audit --no-fund && npm cache clean --force
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional drops the embedded Postgres binaries (~100 MB): in a container Postgres is a
# service of its own; the quick start's embedded one is for laptops.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/scripts ./scripts
# The sources ride along (small): they hold the data files read at run time (libs/*/data, resolved
# from the folder of package.json), and scripts/start.mjs compares dist/ against them.
COPY --from=build /app/tsconfig.json ./
COPY --from=build /app/libs ./libs
COPY --from=build /app/apps ./apps
# The usage outbox must survive a restart: mount a volume there (docker-compose.yml does).
RUN mkdir -p /var/lib/switchyard/outbox && chown -R node:node /var/lib/switchyard
USER node
EXPOSE 8080 8081
# Probes whichever port the app serves; compose sets HEALTH_PORT per service.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HEALTH_PORT || process.env.GATEWAY_PORT || 8080}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "scripts/start.mjs", "all-in-one"]
