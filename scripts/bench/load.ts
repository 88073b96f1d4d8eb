/** A bounded-concurrency request driver with a progress line, shared by every benchmark phase. */

export async function runPool(
  total: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
  label: string,
): Promise<{ seconds: number; errors: number }> {
  let next = 0;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  const progress = setInterval(() => {
    const s = (performance.now() - started) / 1000;
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `\r${label}: ${done}/${total} (${Math.round(done / s)}/s, ${errors} errors)   `,
      ),
    );
  }, 250);
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) {
      const index = next++;
      try {
        await job(index);
      } catch (error) {
        errors++;
        if (errors <= 3) console.error(`\n${label}: ${error}`);
      }
      done++;
    }
  }));
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;
  Deno.stderr.writeSync(
    new TextEncoder().encode(`\r${label}: ${done}/${total} in ${seconds.toFixed(1)} s\n`),
  );
  return { seconds, errors };
}

/** A port free now, for a service that must know its own URL before it listens. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function cpuMs(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** The whole machine's CPU time so far, busy and in all, in ms (from /proc/stat's first line). */
export function machineCpuMs(): { busy: number; total: number } {
  const [, ...ticks] = Deno.readTextFileSync("/proc/stat").split("\n")[0].trim().split(/\s+/);
  const values = ticks.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: (total - values[3] - values[4]) * 10, total: total * 10 };
}

/** CPU time used so far by every process named `name` (e.g. the Postgres server's), in ms. */
export function cpuMsOfAll(name: string): number {
  let total = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) === name) {
        total += cpuMs(Number(entry.name));
      }
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** The least-squares slope of `points` (y per unit of x): a leak is a slope, a plateau is not. */
export function slope(points: [number, number][]): number {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  return sxx ? sxy / sxx : 0;
}
