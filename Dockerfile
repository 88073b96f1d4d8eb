# One image for every service; SERVICE picks which one runs:
#   docker build -t agent-orchestrator .
#   docker run -p 8000:8000 agent-orchestrator                          # orchestrator (SQLite in /data)
#   docker run -p 8001:8001 -e SERVICE=a2a-agent agent-orchestrator
#   docker run -p 8002:8002 -e SERVICE=api-agent agent-orchestrator
#   docker run -p 3000:3000 -e SERVICE=ui -e ORCHESTRATOR_URL=http://orchestrator:8000 agent-orchestrator
# Settings come from the environment (or a .env mounted at /app/.env); see .env.example.

# Debian-based official image, same Deno as .ci/run and the README.
FROM denoland/deno:2.9.6

ENV DENO_NO_UPDATE_CHECK=1 \
    DENO_NO_PROMPT=1 \
    NO_COLOR=1 \
    HOST=0.0.0.0 \
    SERVICE=orchestrator \
    DATABASE_URL=sqlite:/data/agent_orchestrator.db

# The image's non-root user "deno" owns the app, the data folder and the Deno cache (/deno-dir).
WORKDIR /app
RUN mkdir -p /data && chown deno:deno /app /data
USER deno

# Dependencies in their own layer: only the manifests and the lock file, so code changes reuse it.
COPY --chown=deno:deno deno.json deno.lock ./
COPY --chown=deno:deno db/deno.json db/
COPY --chown=deno:deno lib/deno.json lib/
COPY --chown=deno:deno orchestrator/deno.json orchestrator/
COPY --chown=deno:deno agents/a2a/deno.json agents/a2a/
COPY --chown=deno:deno agents/api/deno.json agents/api/
COPY --chown=deno:deno ui/deno.json ui/
RUN deno install --frozen

COPY --chown=deno:deno . .
# Anything the entry points need beyond the import map (fails if deno.lock is out of date), then
# the UI's island bundles, built once here; the UI starts with --no-build and serves them.
RUN deno cache --frozen orchestrator/main.ts agents/a2a/main.ts agents/api/main.ts ui/main.ts \
    db/migrate_cli.ts \
 && deno run -A ui/build.ts

VOLUME ["/data"]
EXPOSE 8000 8001 8002 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["deno", "eval", "const s = Deno.env.get('SERVICE') ?? 'orchestrator'; const env = (k, d) => Deno.env.get(k) || d; const port = { orchestrator: env('ORCHESTRATOR_PORT', '8000'), 'a2a-agent': env('A2A_AGENT_PORT', '8001'), 'api-agent': env('API_AGENT_PORT', '8002'), ui: env('UI_PORT', '3000') }[s]; const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) }); Deno.exit(r.ok ? 0 : 1);"]

# The base image's entrypoint (tini) runs this; `deno task` passes SIGTERM on to the service.
CMD ["sh", "-c", "if [ \"$SERVICE\" = ui ]; then exec deno task ui --no-build; else exec deno task \"$SERVICE\"; fi"]
