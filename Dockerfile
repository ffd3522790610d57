# The Relay gateway: `docker build -t relay .`, or `docker-compose up --build` for Redis, two gateways
# behind one gRPC proxy, Jaeger and Prometheus (see README, "Deployment shapes").
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    RELAY_LISTEN=0.0.0.0:50051
WORKDIR /app

COPY package.json package-lock.json .npmrc ./
RUN npm ci

# The gateway runs as plain JavaScript (dist/); the compiler then goes with the other dev dependencies.
COPY . .
RUN npm run build && npm prune --omit=dev && npm cache clean --force

USER node
EXPOSE 50051
# As npm start runs it (package.json): a young generation of 16 MiB rather than Node's 32 (README, Benchmarks).
CMD ["node", "--max-semi-space-size=8", "dist/gateway/main.js"]
