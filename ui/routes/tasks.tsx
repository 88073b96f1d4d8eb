/**
 * `/tasks`: every task the viewer may see, newest first, filtered by status, agent and time
 * and searched by words of the request; the filters are a plain GET form (no script needed).
 * The orchestrator filters (owner-scoped); this page only forwards the choices.
 */
import type { Hono } from "hono";
import { Layout } from "../components/layout.tsx";
import { RelativeTime } from "../components/relative_time.tsx";
import { StatusBadge } from "../components/status_badge.tsx";
import type { OrchestratorClient } from "../orchestrator_client.ts";
import { renderPage } from "../render.tsx";
import { TASK_STATUSES } from "@app/lib/task_events";
import type { Agent, TaskStatus, TaskView } from "../types.ts";

const STATUSES: readonly TaskStatus[] = TASK_STATUSES;
export const PERIODS = {
  "": "Any time",
  "1h": "Last hour",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
};
const PERIOD_MS: Record<string, number> = { "1h": 3_600_000, "24h": 86_400_000, "7d": 604_800_000 };
const SHOWN = 200;

interface Filters {
  status: string;
  agent: string;
  period: string;
  q: string;
}

function TasksPage(
  { tasks, agents, filters, now }: {
    tasks: TaskView[];
    agents: Agent[];
    filters: Filters;
    now: number;
  },
) {
  const filtered = Object.values(filters).some(Boolean);
  return (
    <Layout current="tasks">
      <h1>Tasks</h1>
      <form class="card task-filters" method="get" action="/tasks" role="search">
        <div class="filter-grid">
          <div>
            <label for="filter-q">Search</label>
            <input id="filter-q" name="q" type="search" value={filters.q} maxLength={200} />
          </div>
          <div>
            <label for="filter-status">Status</label>
            <select id="filter-status" name="status">
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s} selected={filters.status === s}>{s}</option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-agent">Agent</label>
            <select id="filter-agent" name="agent_id">
              <option value="">Any agent</option>
              {agents.map((a) => (
                <option key={a.id} value={String(a.id)} selected={filters.agent === String(a.id)}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="filter-period">Created</label>
            <select id="filter-period" name="period">
              {Object.entries(PERIODS).map(([value, label]) => (
                <option key={value} value={value} selected={filters.period === value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="form-row">
          <button type="submit">Filter</button>
          {filtered && <a href="/tasks">Clear filters</a>}
        </div>
      </form>
      <h2>
        {filtered ? "Matching tasks" : "All tasks"} ({tasks.length}
        {tasks.length === SHOWN ? "+" : ""})
      </h2>
      {tasks.length === 0 ? <p class="muted">No tasks match.</p> : (
        <ul class="task-list">
          {tasks.map((task) => (
            <li key={task.id} class="task-row" data-task-id={task.id} data-status={task.status}>
              <a class="task-row-title" href={`/tasks/${task.id}`}>
                #{task.id} {task.description}
              </a>
              <StatusBadge status={task.status} />
              <span class="muted hint">
                {task.user_id} · created <RelativeTime iso={task.created_at} now={now} /> ·{" "}
                <a href={`/sessions/${encodeURIComponent(task.session_id)}`}>conversation</a>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function mountTasksRoutes(app: Hono, client: OrchestratorClient): void {
  app.get("/tasks", async (c) => {
    const filters: Filters = {
      status: STATUSES.includes(c.req.query("status") as TaskStatus) ? c.req.query("status")! : "",
      agent: /^\d+$/.test(c.req.query("agent_id") ?? "") ? c.req.query("agent_id")! : "",
      period: c.req.query("period") ?? "",
      q: (c.req.query("q") ?? "").trim().slice(0, 200),
    };
    if (!(filters.period in PERIOD_MS)) filters.period = "";
    const now = Date.now();
    const [tasks, agents] = await Promise.all([
      client.listTasks({
        limit: SHOWN,
        status: filters.status || undefined,
        agent_id: filters.agent ? Number(filters.agent) : undefined,
        since: filters.period ? new Date(now - PERIOD_MS[filters.period]).toISOString() : undefined,
        q: filters.q || undefined,
      }),
      client.listAgents(),
    ]);
    return renderPage({
      title: "Tasks",
      body: <TasksPage tasks={tasks} agents={agents} filters={filters} now={now} />,
    });
  });
}
