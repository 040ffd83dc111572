# The ETL runner as its own image. Build from the repository root:
#   docker build -f docker/etl.Dockerfile -t sp01/etl .
# Run (exports mounted at /data, embedded warehouse kept in a volume):
#   docker run --rm -v "$PWD/reports:/data:ro" -v sp01-warehouse:/var/lib/sp01 sp01/etl
FROM node:22-bookworm-slim AS build
WORKDIR /repo
ENV NX_NO_CLOUD=true NX_DAEMON=false CI=true
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx nx run etl:build --outputStyle=static \
 # patch-package has already fixed exceljs in node_modules; pruning keeps that file as it is.
 && npm prune --omit=dev --no-audit --no-fund \
 && find libs apps tools -path '*/node_modules' -prune -o \( -name src -o -name '*.tsbuildinfo' \) -prune -exec rm -rf {} +

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    SP01_SOURCE_DIR=/data \
    SP01_PGLITE_DIR=/var/lib/sp01/warehouse
COPY --from=build /repo/package.json ./
COPY --from=build /repo/node_modules ./node_modules
COPY --from=build /repo/libs ./libs
COPY --from=build /repo/apps/etl ./apps/etl
USER node
ENTRYPOINT ["node", "apps/etl/dist/main.js"]
