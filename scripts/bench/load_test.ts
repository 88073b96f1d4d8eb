import { assertAlmostEquals, assertEquals } from "@app/lib/assert";
import { slope } from "./load.ts";

Deno.test("slope: a leak is a slope, a plateau that rises and falls is near none", () => {
  // 0.5 MB more for every 1,000 tasks: 50 MB per 100,000.
  const leak: [number, number][] = [0, 20, 40, 60, 80, 100].map((k) => [k * 1000, 300 + k / 2]);
  assertAlmostEquals(slope(leak) * 100_000, 50, 1e-9);
  const plateau: [number, number][] = [[0, 300], [20_000, 340], [40_000, 300], [60_000, 340], [
    80_000,
    300,
  ], [100_000, 320]];
  assertAlmostEquals(slope(plateau) * 100_000, 0, 20);
  assertEquals(slope([[5, 1], [5, 2]]), 0);
});
