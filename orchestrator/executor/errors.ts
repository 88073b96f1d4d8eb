/** Why a task's run stops without failing the task: each is thrown where it is known. */

/** The task was cancelled: its run stops, the cancel has already recorded everything. */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

/** This process no longer holds the task's lease (taken over, or shutting down). */
export class LeaseLost extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseLost";
  }
}

/**
 * A step's outcome could not be written (the database failed). Not the agent's fault, and
 * not the task's: this run stops and the task is resumed once its lease expires.
 */
export class ProgressNotRecorded extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ProgressNotRecorded";
  }
}

/** A run that stops for one of these is resumed later, not failed. */
export const interruptsRun = (error: unknown): boolean =>
  error instanceof LeaseLost || error instanceof ProgressNotRecorded;
