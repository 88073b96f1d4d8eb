/**
 * The plan as a graph (SVG): a node per step coloured by its status (and saying it in words),
 * an edge per dependency, steps that can run at once side by side in a row. Nodes carry
 * `data-step-number`, edges `data-from`/`data-to`; a node is a button that selects its step.
 */
import { layoutPlan, NODE_H, NODE_W } from "../plan_layout.ts";
import type { StepView } from "../types.ts";

const LABEL_CHARS = 18;
const short = (text: string) =>
  text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text;

export function PlanGraph(
  { steps, selected, onSelect }: {
    steps: StepView[];
    selected?: number | null;
    onSelect?: (step: number) => void;
  },
) {
  if (steps.length === 0) return null;
  const layout = layoutPlan(steps);
  const at = new Map(layout.nodes.map((node) => [node.step_number, node]));
  const byNumber = new Map(steps.map((step) => [step.step_number, step]));
  return (
    <div class="plan-graph-frame">
      <svg
        class="plan-graph"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        role="group"
        aria-label={`Plan graph: ${steps.length} steps`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" class="edge-head" />
          </marker>
        </defs>
        {layout.edges.map((edge) => {
          const from = at.get(edge.from)!;
          const to = at.get(edge.to)!;
          const x1 = from.x + NODE_W / 2, y1 = from.y + NODE_H;
          const x2 = to.x + NODE_W / 2, y2 = to.y;
          const mid = (y1 + y2) / 2;
          return (
            <path
              key={`${edge.from}-${edge.to}`}
              class="edge"
              data-from={edge.from}
              data-to={edge.to}
              d={`M ${x1} ${y1} C ${x1} ${mid}, ${x2} ${mid}, ${x2} ${y2 - 2}`}
              marker-end="url(#arrow)"
            />
          );
        })}
        {layout.nodes.map((node) => {
          const step = byNumber.get(node.step_number)!;
          const label = `Step ${step.step_number}: ${step.description}, ${step.status}`;
          const select = () => onSelect?.(step.step_number);
          return (
            <g
              key={node.step_number}
              class={`node node-${step.status}${
                selected === step.step_number ? " node-selected" : ""
              }`}
              data-step-number={step.step_number}
              data-status={step.status}
              transform={`translate(${node.x} ${node.y})`}
              role="button"
              tabIndex={0}
              aria-pressed={selected === step.step_number ? "true" : "false"}
              onClick={select}
              onKeyDown={(e) => {
                if (e.key === "Enter" || e.key === " ") {
                  e.preventDefault();
                  select();
                }
              }}
            >
              <title>{label}</title>
              <rect width={NODE_W} height={NODE_H} rx={8} />
              <text x={10} y={18} class="node-title">
                {step.step_number}. {short(step.description)}
              </text>
              <text x={10} y={35} class="node-status">{step.status}</text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
