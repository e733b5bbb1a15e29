# binscribe: the web UI built with Node, then the backend installed with uv from the lock file.
# Build: docker build -t binscribe .   Run: see compose.yaml and docs/deployment.md.

FROM node:20-bookworm-slim AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.12-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    BINSCRIBE_DATA_DIR=/data \
    BINSCRIBE_HOST=0.0.0.0 \
    BINSCRIBE_UI_DIR=/app/frontend/dist
RUN pip install --no-cache-dir uv \
    && useradd --system --create-home --home-dir /home/binscribe binscribe \
    && mkdir -p /data && chown binscribe /data
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY src/ src/
RUN uv sync --frozen --no-dev
COPY --from=ui /src/frontend/dist /app/frontend/dist
USER binscribe
VOLUME ["/data"]
EXPOSE 8000
CMD ["binscribe", "serve"]
