# syntax=docker/dockerfile:1
# Iris as a container: `docker compose up -d` (see compose.yaml and docs/admin-guide.md).

# Node 22 is the current LTS line; package.json requires 22.12 or newer.
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: compiles TypeScript and the sqlite3 native module -------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# sqlite3 is compiled with node-gyp, which needs Python, make and a C++ compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# Build sqlite3 from source instead of downloading a prebuilt binary, against the headers this image
# installs under /usr/local/include/node, so the build needs only the npm registry and Debian.
# npm 11 warns that it does not know build_from_source, but passes it on to sqlite3's installer.
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local

# Dependencies first, so a source change does not reinstall them. `prepare` (the TypeScript build) needs
# the sources, so scripts are skipped here and sqlite3's install script runs through `npm rebuild`.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild sqlite3

COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: production dependencies and compiled JavaScript only --------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin

# The SQLite store lives under /app/data (STORE_URL's default is sqlite://data/iris.sqlite); the
# official image's `node` user (uid 1000) owns it, and the process runs as that user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]

EXPOSE 9464
# Slim images have no curl, so Node itself probes /healthz. HEALTH_PORT=0 turns the listener off and
# makes this check fail.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HEALTH_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node as PID 1 receives SIGTERM from `docker stop` directly, so shutdown is graceful.
CMD ["node", "dist/adapters/main.js"]
