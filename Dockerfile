# One image for every part of the system; the command picks the part:
#   docker run <image> catalog | orders | rewards | gateway | seed
# The build stage bundles the TypeScript entry point with esbuild; the runtime stage holds only the bundle and
# the composed supergraph schema and the storefront's static build.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npx esbuild scripts/run-service.ts --bundle --platform=node --target=node20 --minify --sourcemap \
      --outfile=dist/run-service.js
# The storefront the gateway serves at / (web/dist, resolved next to the bundle as ../web/dist).
RUN npx tsx scripts/web-build.ts --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/web/dist ./web/dist
USER node
ENTRYPOINT ["node", "dist/run-service.js"]
