# The app image: API + dashboard (npm start) or a solver worker (npm run worker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --loglevel=warn --no-audit --no-fund
COPY . .
RUN npm run build:client

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --loglevel=warn --no-audit --no-fund
COPY --from=build /app/client/dist ./client/dist
COPY solver ./solver
COPY server ./server
COPY shared ./shared
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "server/main.ts"]
