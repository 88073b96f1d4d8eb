import { assert, assertEquals } from "@app/lib/assert";
import { layoutPlan, MAX_PER_LINE } from "./plan_layout.ts";

Deno.test("[ui] plan layout: a row per dependency level, parallel steps side by side", () => {
  const layout = layoutPlan([
    { step_number: 1, dependencies: [] },
    { step_number: 2, dependencies: [] },
    { step_number: 3, dependencies: [1, 2] },
    { step_number: 4, dependencies: [3] },
  ]);
  const at = new Map(layout.nodes.map((n) => [n.step_number, n]));
  assertEquals([1, 2, 3, 4].map((n) => at.get(n)!.level), [0, 0, 1, 2]);
  assertEquals(at.get(1)!.y, at.get(2)!.y);
  assert(at.get(2)!.x > at.get(1)!.x);
  assertEquals(layout.edges, [{ from: 1, to: 3 }, { from: 2, to: 3 }, { from: 3, to: 4 }]);
  assert(layout.height > at.get(4)!.y);
});

Deno.test("[ui] plan layout: a cycle or an unknown dependency does not hang or throw", () => {
  const layout = layoutPlan([
    { step_number: 1, dependencies: [2] },
    { step_number: 2, dependencies: [1, 9] },
  ]);
  assertEquals(layout.nodes.length, 2);
  assertEquals(layout.edges.length, 2);
});

Deno.test("[ui] plan layout: a wide level wraps onto lines, the next level below them all", () => {
  const steps: { step_number: number; dependencies: number[] }[] = Array.from(
    { length: 20 },
    (_, i) => ({ step_number: i + 1, dependencies: [] }),
  );
  steps.push({ step_number: 21, dependencies: steps.map((s) => s.step_number) });
  const layout = layoutPlan(steps);
  const ys = new Set(layout.nodes.filter((n) => n.level === 0).map((n) => n.y));
  assertEquals(ys.size, Math.ceil(20 / MAX_PER_LINE));
  const last = layout.nodes.find((n) => n.step_number === 21)!;
  assert(last.y > Math.max(...ys));
  assert(layout.width < (MAX_PER_LINE + 1) * 200);
});
