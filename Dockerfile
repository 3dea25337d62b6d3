# One image for every part of the system; the command picks the part:
#   docker run <image> catalog | orders | rewards | payments | shipping | notifications | gateway | seed
# The build stage compiles the TypeScript entry point and the telemetry preload with esbuild, leaving packages
# external: OpenTelemetry's instrumentations patch modules as they are required from node_modules, which they
# cannot do inside a bundle; it also builds the storefront the gateway serves at /. The runtime stage holds the two
# bundles, the production dependencies, the composed supergraph schema and the storefront's static build.
# Node 22 LTS, as on Lambda (nodejs22.x).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npx esbuild run-service=scripts/run-service.ts telemetry=lib/telemetry/register.ts --bundle --platform=node \
      --target=node22 --packages=external --minify --sourcemap --outdir=dist
# The storefront the gateway serves at / (web/dist, resolved next to the bundle as ../web/dist).
RUN npx tsx scripts/web-build.ts --force

FROM node:22-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
# The fixes to dependencies in patches/ (package.json's postinstall applies them to a development install; patch-package
# is a development dependency, so it is fetched here at the version package-lock.json holds).
RUN npm ci --omit=dev --ignore-scripts && npx --yes patch-package@8.0.1 --error-on-fail && npm cache clean --force

FROM node:22-bookworm-slim
# A container listens on its network interface (services bind 127.0.0.1 unless HOST says otherwise); NODE_ENV is
# production, so the image refuses to start without real secrets (JWT_SECRET, GATEWAY_SIGNING_SECRET, EVENT_SIGNING_SECRET).
ENV NODE_ENV=production HOST=0.0.0.0 NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/web/persisted-query-manifest.json ./web/persisted-query-manifest.json
USER node
# The preload starts tracing only when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_TRACES_EXPORTER) is set.
ENTRYPOINT ["node", "--require", "./dist/telemetry.js", "dist/run-service.js"]
