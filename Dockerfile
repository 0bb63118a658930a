# syntax=docker/dockerfile:1

# Build stage: full dependency tree to compile TypeScript, then drop dev dependencies so the
# runtime stage can copy node_modules as-is.
FROM node:20-bookworm-slim AS builder
WORKDIR /app
# Manifests first so the dependency layer is cached until they change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build copies the migrations' .sql files next to the compiled code.
COPY scripts/copy-migrations.mjs ./scripts/
RUN npm run build && npm prune --omit=dev

# Runtime stage: no compiler, no dev dependencies, no npm in the start path.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
# Files stay root-owned: the service only reads them.
COPY --from=builder /app/package.json ./
COPY --from=builder /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY config ./config
# The one writable path: the embedded PGlite database lives here when DATABASE_URL is unset.
RUN mkdir .data && chown node:node .data
VOLUME ["/app/.data"]
USER node
EXPOSE 3000
# main.ts drains the bus on SIGTERM; node runs as PID 1 and handles it itself (no shell wrapper).
STOPSIGNAL SIGTERM
# The slim image has no curl: probe liveness with node. 127.0.0.1, since localhost may resolve to ::1.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('node:http').get('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live',(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# A larger young generation, as `npm start` runs it: see docs/deployment.md.
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
