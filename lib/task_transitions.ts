/**
 * Every allowed change of a task's or a step's status, as data. The lifecycle's statements take
 * their status guards from these tables (a row moves only from a listed state), and code that
 * knows a state asks `taskTransition` / `stepTransition`, which refuse an illegal move.
 */
import type { StepStatus, TaskStatus } from "./task_events.ts";

interface Transition<S extends string> {
  from: readonly S[];
  to: S;
}

export const TASK_TRANSITIONS = {
  /** Taken by a worker (claimed, or leased as it is stored). */
  start: { from: ["pending", "planning"], to: "executing" },
  /** Taken over by a worker after its previous owner's lease expired. */
  resume: { from: ["executing"], to: "executing" },
  complete: { from: ["executing"], to: "completed" },
  fail: { from: ["pending", "executing"], to: "failed" },
  cancel: {
    from: ["pending", "planning", "executing", "awaiting_approval", "input_required", "queued"],
    to: "cancelled",
  },
  /** A person approved the plan: any process may claim the task now. */
  approve: { from: ["awaiting_approval"], to: "pending" },
  /** A person rejected the plan, or nobody approved it within APPROVAL_TIMEOUT_MS. */
  reject: { from: ["awaiting_approval"], to: "cancelled" },
  /** Every step that could run waits for an answer: the lease is handed back. */
  wait: { from: ["executing"], to: "input_required" },
  /** An answer came: any process may claim the task and send it on. */
  answer: { from: ["input_required"], to: "pending" },
  /** A queued task's turn: it runs (`pending`) or, needing approval, waits for it. */
  dequeue: { from: ["queued"], to: "pending" },
  dequeueForApproval: { from: ["queued"], to: "awaiting_approval" },
  /** Run again from the failed step: queued, its completed steps kept (issue 19). */
  retry: { from: ["failed", "cancelled"], to: "pending" },
} as const satisfies Record<string, Transition<TaskStatus>>;

export const STEP_TRANSITIONS = {
  /** A first attempt, or the restart of one whose worker died (`running` again). */
  start: { from: ["pending", "running"], to: "running" },
  complete: { from: ["running"], to: "completed" },
  fail: { from: ["running"], to: "failed" },
  /**
   * Never to run: the task failed (one waiting for an answer will not get one). A `running`
   * one is skipped only by its task's run, once nothing of it runs: started in the write that
   * completed its dependency, it was never sent to an agent.
   */
  skip: { from: ["pending", "running", "input_required"], to: "skipped" },
  cancel: { from: ["pending", "running", "input_required"], to: "cancelled" },
  /** Its agent asked a question (A2A input-required or auth-required). */
  ask: { from: ["running"], to: "input_required" },
  /** The answer came: the step runs again, sending it to the same agent's task. */
  answer: { from: ["input_required"], to: "pending" },
  /** Queued again by a task's retry; completed steps keep their output and are not rerun. */
  retry: { from: ["failed", "skipped", "cancelled"], to: "pending" },
} as const satisfies Record<string, Transition<StepStatus>>;

/** The states a worker may claim a task from: to start it, or to take it over. */
export const CLAIMABLE_TASK_STATUSES: readonly TaskStatus[] = [
  ...new Set([...TASK_TRANSITIONS.start.from, ...TASK_TRANSITIONS.resume.from]),
];

export type TaskTransition = keyof typeof TASK_TRANSITIONS;
export type StepTransition = keyof typeof STEP_TRANSITIONS;

export class IllegalTransition extends Error {
  constructor(kind: "task" | "step", transition: string, from: string) {
    super(`a ${kind} cannot ${transition} from "${from}"`);
    this.name = "IllegalTransition";
  }
}

/** The status a task moves to by `transition`; throws when its status `from` does not allow it. */
export function taskTransition(from: TaskStatus, transition: TaskTransition): TaskStatus {
  const rule: Transition<TaskStatus> = TASK_TRANSITIONS[transition];
  if (!rule.from.includes(from)) throw new IllegalTransition("task", transition, from);
  return rule.to;
}

/** The status a step moves to by `transition`; throws when its status `from` does not allow it. */
export function stepTransition(from: StepStatus, transition: StepTransition): StepStatus {
  const rule: Transition<StepStatus> = STEP_TRANSITIONS[transition];
  if (!rule.from.includes(from)) throw new IllegalTransition("step", transition, from);
  return rule.to;
}

/** `'a', 'b'`: a transition's source states as SQL literals, for a statement's status guard. */
export function sqlStates(states: readonly string[]): string {
  return states.map((s) => `'${s}'`).join(", ");
}
