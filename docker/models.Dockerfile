# The model builder as its own image. Build from the repository root:
#   docker build -f docker/models.Dockerfile -t sp01/models .
# Run (a dbt-format project mounted at /project):
#   docker run --rm -v "$PWD/analytics:/project" -e DATABASE_URL=postgres://… sp01/models build --warehouse postgres
FROM node:22-bookworm-slim AS build
WORKDIR /repo
ENV NX_NO_CLOUD=true NX_DAEMON=false CI=true
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx nx run models:build --outputStyle=static \
 && npm prune --omit=dev --no-audit --no-fund \
 && find libs apps tools -path '*/node_modules' -prune -o \( -name src -o -name '*.tsbuildinfo' \) -prune -exec rm -rf {} +

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    SP01_MODELS_PROJECT_DIR=/project \
    SP01_PGLITE_DIR=/var/lib/sp01/warehouse
COPY --from=build /repo/package.json ./
COPY --from=build /repo/node_modules ./node_modules
COPY --from=build /repo/libs ./libs
COPY --from=build /repo/apps/models ./apps/models
USER node
ENTRYPOINT ["node", "apps/models/dist/main.js"]
