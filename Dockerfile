# One image for every part of the system; the command picks the part:
#   docker run <image> catalog | orders | rewards | gateway | seed
# The build stage bundles the TypeScript entry point with esbuild; the runtime stage holds only the bundle and
# the composed supergraph schema.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npx esbuild scripts/run-service.ts --bundle --platform=node --target=node20 --minify --sourcemap \
      --outfile=dist/run-service.js

FROM node:20-bookworm-slim
# A container listens on its network interface (services bind 127.0.0.1 unless HOST says otherwise); NODE_ENV is
# production, so the image refuses to start without real secrets (JWT_SECRET, GATEWAY_SIGNING_SECRET, EVENT_SIGNING_SECRET).
ENV NODE_ENV=production HOST=0.0.0.0 NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app/dist ./dist
COPY --from=build /app/schema ./schema
USER node
ENTRYPOINT ["node", "dist/run-service.js"]
