/**
 * A step's start, as the lifecycle writes it: the step running under the lease, with its
 * agent and input, and its `step.started` event. Written alone (a retried or resumed step)
 * or in the write that completes the step it waited for (a chain: one commit per step).
 */
import type { Transaction } from "kysely";
import {
  type Agent,
  type BatchAppends,
  type Database,
  type JsonObject,
  type Lease,
  transitions,
} from "@app/db";
import { taskEvent } from "@app/lib";

/** A step's attempt to start: its agent (the first able one), what it is given, its count. */
export interface StepStart {
  step_number: number;
  agent: Pick<Agent, "id" | "name"> | undefined;
  input_data: JsonObject;
  attempts: number;
}

/** Steps to start in the write that completes the step they waited for. */
export interface NextSteps {
  steps: StepStart[];
  /** Asked in the write, after the step's output and usage: false starts none. */
  allowed?(trx: Transaction<Database>): Promise<boolean>;
}

/** Starts the step under the lease; false when the lease is lost or the step may not start. */
export async function writeStepStart(
  trx: Transaction<Database>,
  appends: BatchAppends,
  lease: Lease,
  start: StepStart,
): Promise<boolean> {
  const agent_id = start.agent?.id ?? null;
  const agent_name = start.agent?.name ?? null;
  const started = await transitions.startStep(trx, lease, start.step_number, {
    agent_id,
    agent_name,
    input_data: start.input_data,
    attempts: start.attempts,
  });
  if (started) {
    appends.event(
      lease.taskId,
      taskEvent("step.started", { step_number: start.step_number, agent_id, agent_name }),
    );
  }
  return started;
}
