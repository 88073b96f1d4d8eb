/** What a task waits for from the person in front of it: a plan to approve, or an answer. */
import type { IslandTask } from "../types.ts";
import { AgentQuestions } from "./agent_question.tsx";
import { PlanReview } from "./plan_review.tsx";

export function HumanTurn(
  { task, onTask }: { task: IslandTask; onTask: (task: IslandTask) => void },
) {
  if (task.status === "awaiting_approval") return <PlanReview task={task} onTask={onTask} />;
  return <AgentQuestions task={task} onTask={onTask} />;
}
