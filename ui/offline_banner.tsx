/**
 * The offline banner: while the orchestrator has no language model, every page says so at the
 * top of its content, with how to add one (the same words as each offline answer's last line).
 * A middleware, so pages need no change; the orchestrator's /health is asked at most every 30 s.
 */
import type { MiddlewareHandler } from "hono";
import { render } from "preact-render-to-string";
import { OFFLINE_NOTICE } from "@app/lib/offline_notice";
import type { OrchestratorClient } from "./orchestrator_client.ts";

const RECHECK_MS = 30_000;
/** Where the banner goes: the start of every page's main content (see components/layout.tsx). */
const MAIN_OPEN = '<main id="main" tabindex="-1">';

export function OfflineBanner() {
  return (
    <aside class="offline-banner" aria-label="Offline mode">
      <strong>Offline mode.</strong> {OFFLINE_NOTICE.replace(/^Offline mode: /, "")}
    </aside>
  );
}

export function offlineBanner(client: OrchestratorClient): MiddlewareHandler {
  let known: { offline: boolean; at: number } | undefined;
  const banner = render(<OfflineBanner />);

  async function offline(): Promise<boolean> {
    if (known && Date.now() - known.at < RECHECK_MS) return known.offline;
    try {
      const response = await client.raw("/health", { signal: AbortSignal.timeout(2_000) });
      const health = await response.json() as { llm_provider?: string };
      known = { offline: health.llm_provider === "offline", at: Date.now() };
    } catch {
      // Unknown: no banner, and ask again next time.
      return false;
    }
    return known.offline;
  }

  return async (c, next) => {
    await next();
    if (!c.res.headers.get("content-type")?.startsWith("text/html")) return;
    if (!(await offline())) return;
    const html = await c.res.text();
    c.res = new Response(html.replace(MAIN_OPEN, MAIN_OPEN + banner), c.res);
  };
}
