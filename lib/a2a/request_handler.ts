/**
 * The SDK's request handler with two additions: it notes which calls stream (the executor
 * publishes every step only where someone watches), and it turns away keys the task table
 * cannot hold (the SDK's schema: ids and context ids up to 36 characters, tenants up to 255,
 * no NUL, which Postgres refuses) with a clear error naming the field, instead of a failed
 * write answered as an internal error.
 */
import type {
  CancelTaskRequest,
  GetTaskRequest,
  ListTasksRequest,
  SendMessageRequest,
  SubscribeToTaskRequest,
} from "@a2a-js/sdk";
import { DefaultRequestHandler, type ServerCallContext } from "@a2a-js/sdk/server";
import { RequestMalformedError, TaskNotFoundError } from "@a2a-js/sdk/errors";

const ID_LENGTH = 36;
const TENANT_LENGTH = 255;

function problemWith(value: string, max: number): string | undefined {
  if (value.length > max) return `is longer than ${max} characters`;
  if (value.includes("\0")) return "contains a NUL character";
  return undefined;
}

function checkField(field: string, value: string | undefined, max: number): void {
  const problem = value ? problemWith(value, max) : undefined;
  if (problem) throw new RequestMalformedError(`${field} ${problem}.`);
}

/** A task id the table cannot hold names no task there. */
function checkTaskId(id: string): void {
  if (problemWith(id, ID_LENGTH)) throw new TaskNotFoundError(`Task not found: ${id.slice(0, 64)}`);
}

function checkTenant(context: ServerCallContext): void {
  checkField("tenant", context.tenant, TENANT_LENGTH);
}

function checkMessage(params: SendMessageRequest, context: ServerCallContext): void {
  checkTenant(context);
  checkField("message.contextId", params.message?.contextId, ID_LENGTH);
  if (params.message?.taskId) checkTaskId(params.message.taskId);
}

export class CheckedRequestHandler extends DefaultRequestHandler {
  /** Calls made by `SendStreamingMessage`, whose caller watches every step. */
  readonly streamed = new WeakSet<ServerCallContext>();

  override async sendMessage(params: SendMessageRequest, context: ServerCallContext) {
    checkMessage(params, context);
    return await super.sendMessage(params, context);
  }

  override async *sendMessageStream(params: SendMessageRequest, context: ServerCallContext) {
    checkMessage(params, context);
    this.streamed.add(context);
    yield* super.sendMessageStream(params, context);
  }

  override async getTask(params: GetTaskRequest, context: ServerCallContext) {
    checkTenant(context);
    checkTaskId(params.id);
    return await super.getTask(params, context);
  }

  override async cancelTask(params: CancelTaskRequest, context: ServerCallContext) {
    checkTenant(context);
    checkTaskId(params.id);
    return await super.cancelTask(params, context);
  }

  override async *resubscribe(params: SubscribeToTaskRequest, context: ServerCallContext) {
    checkTenant(context);
    checkTaskId(params.id);
    yield* super.resubscribe(params, context);
  }

  override async listTasks(params: ListTasksRequest, context: ServerCallContext) {
    checkTenant(context);
    checkField("contextId", params.contextId, ID_LENGTH);
    if (params.statusTimestampAfter && Number.isNaN(Date.parse(params.statusTimestampAfter))) {
      throw new RequestMalformedError("statusTimestampAfter is not a timestamp.");
    }
    return await super.listTasks(params, context);
  }
}
