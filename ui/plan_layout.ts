/**
 * Where each step of a plan goes in its graph: one row per level of dependencies (a step sits
 * one row below its deepest dependency), so steps that can run at the same time sit side by
 * side in a row, and every edge runs downward. Pure, shared by server and browser.
 */
export interface LayoutStep {
  step_number: number;
  dependencies: number[];
}

export interface PlacedNode {
  step_number: number;
  level: number;
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: number;
  to: number;
}

export interface PlanLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 44;
const GAP_X = 24;
const GAP_Y = 40;
const PAD = 8;
export const MAX_PER_LINE = 6;

export function layoutPlan(steps: readonly LayoutStep[]): PlanLayout {
  const byNumber = new Map(steps.map((step) => [step.step_number, step]));
  const levels = new Map<number, number>();
  const levelOf = (n: number, seen: Set<number>): number => {
    const known = levels.get(n);
    if (known !== undefined) return known;
    if (seen.has(n)) return 0; // a cycle (never in a valid plan): cut it, do not recurse forever
    seen.add(n);
    const deps = (byNumber.get(n)?.dependencies ?? []).filter((d) => byNumber.has(d));
    const level = deps.length ? 1 + Math.max(...deps.map((d) => levelOf(d, seen))) : 0;
    levels.set(n, level);
    return level;
  };
  const rows: number[][] = [];
  for (const step of steps) {
    const level = levelOf(step.step_number, new Set());
    (rows[level] ??= []).push(step.step_number);
  }
  // A wide level (183 research steps in parallel) wraps onto lines of MAX_PER_LINE nodes.
  const lines: { level: number; steps: number[] }[] = [];
  rows.forEach((row, level) => {
    if (!row) return;
    row.sort((a, b) => a - b);
    for (let i = 0; i < row.length; i += MAX_PER_LINE) {
      lines.push({ level, steps: row.slice(i, i + MAX_PER_LINE) });
    }
  });
  const widest = Math.max(1, ...lines.map((line) => line.steps.length));
  const width = PAD * 2 + widest * NODE_W + (widest - 1) * GAP_X;
  const nodes: PlacedNode[] = [];
  lines.forEach((line, index) => {
    const lineWidth = line.steps.length * NODE_W + (line.steps.length - 1) * GAP_X;
    const left = (width - lineWidth) / 2;
    line.steps.forEach((n, i) =>
      nodes.push({
        step_number: n,
        level: line.level,
        x: left + i * (NODE_W + GAP_X),
        y: PAD + index * (NODE_H + GAP_Y),
      })
    );
  });
  const edges = steps.flatMap((step) =>
    step.dependencies.filter((d) => byNumber.has(d)).map((d) => ({
      from: d,
      to: step.step_number,
    }))
  );
  const height = PAD * 2 + lines.length * NODE_H + Math.max(0, lines.length - 1) * GAP_Y;
  return { nodes, edges, width, height };
}
