# The Klaster API for docker-compose.yml: initialises the schema, loads seeds/, serves on port 8000.
# Neo4j runs in its own container; NEO4J_URI (set by docker-compose.yml) points at it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KLASTER_STATE_DIR=/home/klaster/.state \
    KLASTER_CYPHER_DIR=/app/cypher

RUN useradd --create-home --uid 1000 klaster
WORKDIR /app
COPY --chown=klaster:klaster . .
# A regular (not editable) install: klaster.settings.PROJECT_ROOT then points into site-packages, so the
# folders read at run time (cypher/, seeds/) are named from /app explicitly.
RUN pip install .

USER klaster
EXPOSE 8000
CMD ["sh", "-c", "klaster init && klaster load seeds/ && exec klaster serve --host 0.0.0.0 --port 8000"]
