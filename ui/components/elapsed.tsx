/** How long a step or task has been running, ticking each second while it runs. */
import { useEffect, useState } from "preact/hooks";
import { formatElapsed } from "../format.ts";

export function Elapsed({ since, until }: { since: string | null; until?: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  const running = !!since && !until;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!since) return null;
  const end = until ? new Date(until).getTime() : now;
  return (
    <span class="elapsed" data-elapsed={running ? "running" : "done"} aria-live="off">
      {formatElapsed(end - new Date(since).getTime())}
    </span>
  );
}
