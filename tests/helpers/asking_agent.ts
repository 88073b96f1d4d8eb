/**
 * A real A2A agent on the official SDK (its Express adapters, as agents/a2a/testdata's
 * reference server) that asks before it works: a new task ends `input-required` (or
 * `auth-required`) with its questions, one per answer it still lacks; once answered, it
 * completes with a report naming the answers. It honours `metadata.idempotencyKey` as the
 * built-in agents do (a repeated key gets the stored outcome, the work not done again), so an
 * answer sent under a reused key would get the question again. It speaks v1.0 and v0.3, or
 * v0.3 only (`legacyOnly`): then the orchestrator's client must talk v0.3 to it.
 */
import express from "express";
import {
  A2A_PROTOCOL_VERSION,
  type AgentCard,
  type Part,
  Role,
  type Task,
  TaskState,
} from "@a2a-js/sdk";
import {
  AgentEvent,
  type AgentExecutor,
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
} from "@a2a-js/sdk/server";
import { agentCardHandler, jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import { A2A_LEGACY_PROTOCOL_VERSION } from "@a2a-js/sdk/compat/v0_3";

export interface AskingAgentOptions {
  /** The questions, asked one at a time until each has an answer. */
  questions?: string[];
  /** `auth` asks with auth-required instead of input-required. */
  kind?: "input" | "auth";
  /** Serve only a v0.3 interface. */
  legacyOnly?: boolean;
  /** The capability its one skill offers (default "research"). */
  capability?: string;
}

/** A message the agent received: the A2A task and context it named, its key and text. */
export interface Received {
  taskId: string;
  contextId: string;
  key: string | undefined;
  text: string;
  /** Answered from the store of keys, not worked on. */
  replayed: boolean;
}

const text = (value: string): Part => ({
  content: { $case: "text", value },
  metadata: undefined,
  filename: "",
  mediaType: "text/plain",
});

const dataPart = (value: Record<string, unknown>): Part => ({
  content: { $case: "data", value },
  metadata: undefined,
  filename: "",
  mediaType: "application/json",
});

const messageText = (parts: Part[]) =>
  parts.filter((p) => p.content?.$case === "text").map((p) => String(p.content!.value)).join("\n");

class AskingExecutor implements AgentExecutor {
  readonly received: Received[] = [];
  /** What each key was answered with: the state and the question or the report. */
  readonly #byKey = new Map<string, { state: TaskState; question?: string; answers?: string[] }>();
  /** The answers each A2A task has had so far. */
  readonly #answers = new Map<string, string[]>();

  constructor(readonly questions: string[], readonly asking: TaskState) {}

  execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId, userMessage } = context;
    const key = userMessage.metadata?.idempotencyKey as string | undefined;
    const said = messageText(userMessage.parts);
    const stored = key ? this.#byKey.get(key) : undefined;
    this.received.push({ taskId, contextId, key, text: said, replayed: stored !== undefined });
    // The SDK wants the task first, also when resumed (then as stored: still asking).
    bus.publish(AgentEvent.task(
      context.task ?? {
        id: taskId,
        contextId,
        status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: now() },
        artifacts: [],
        history: [userMessage],
        metadata: undefined,
      },
    ));
    let outcome = stored;
    if (!outcome) {
      // A new task's first message is the step; every later one is an answer.
      const answers = this.#answers.get(taskId) ?? [];
      if (context.task) answers.push(said);
      this.#answers.set(taskId, answers);
      outcome = answers.length < this.questions.length
        ? { state: this.asking, question: this.questions[answers.length] }
        : { state: TaskState.TASK_STATE_COMPLETED, answers: [...answers] };
      if (key) this.#byKey.set(key, outcome);
    }
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId,
      status: { state: TaskState.TASK_STATE_WORKING, message: undefined, timestamp: now() },
      metadata: undefined,
    }));
    if (outcome.state === TaskState.TASK_STATE_COMPLETED) {
      bus.publish(AgentEvent.artifactUpdate({
        taskId,
        contextId,
        artifact: {
          artifactId: "report",
          name: "report",
          description: "",
          parts: [dataPart({
            summary: `Researched ${outcome.answers!.join(" / ")}`,
            insights: outcome.answers!.map((a) => `answered: ${a}`),
          })],
          metadata: undefined,
          extensions: [],
        },
        append: false,
        lastChunk: true,
        metadata: undefined,
      }));
    }
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId,
      status: {
        state: outcome.state,
        message: {
          messageId: crypto.randomUUID(),
          taskId,
          contextId,
          role: Role.ROLE_AGENT,
          parts: [text(outcome.question ?? "done")],
          metadata: undefined,
          extensions: [],
          referenceTaskIds: [],
        },
        timestamp: now(),
      },
      metadata: undefined,
    }));
    bus.finished();
    return Promise.resolve();
  }

  cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    bus.publish(AgentEvent.statusUpdate({
      taskId,
      contextId: "",
      status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: undefined },
      metadata: undefined,
    }));
    bus.finished();
    return Promise.resolve();
  }
}

const now = () => new Date().toISOString();

function card(url: string, legacyOnly: boolean, capability: string): AgentCard {
  const versions = legacyOnly
    ? [A2A_LEGACY_PROTOCOL_VERSION]
    : [A2A_PROTOCOL_VERSION, A2A_LEGACY_PROTOCOL_VERSION];
  return {
    name: "Asking Agent",
    description: "Asks what to research, then researches it",
    supportedInterfaces: versions.map((protocolVersion) => ({
      url,
      protocolBinding: "JSONRPC",
      tenant: "",
      protocolVersion,
    })),
    provider: undefined,
    version: "1.0.0",
    documentationUrl: undefined,
    capabilities: { streaming: true, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["application/json"],
    skills: [{
      id: capability,
      name: capability,
      description: `${capability}, once told what`,
      tags: [capability],
      examples: [],
      inputModes: [],
      outputModes: [],
      securityRequirements: [],
    }],
    signatures: [],
  } as AgentCard;
}

export interface AskingAgent {
  url: string;
  received: Received[];
  /** The protocol version of each JSON-RPC call received ("1.0" or "0.3"). */
  versions: string[];
  /** The agent's own record of an A2A task. */
  task(id: string): Promise<Task | undefined>;
  close(): Promise<void>;
}

export async function startAskingAgent(options: AskingAgentOptions = {}): Promise<AskingAgent> {
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const url = `http://127.0.0.1:${port}`;
  const executor = new AskingExecutor(
    options.questions ?? ["What should I research?"],
    options.kind === "auth"
      ? TaskState.TASK_STATE_AUTH_REQUIRED
      : TaskState.TASK_STATE_INPUT_REQUIRED,
  );
  const store = new InMemoryTaskStore();
  const handler = new DefaultRequestHandler(
    card(url, options.legacyOnly ?? false, options.capability ?? "research"),
    store,
    executor,
  );
  const app = express();
  const cardRoute = agentCardHandler({
    agentCardProvider: handler,
    legacyCompat: { enabled: true },
  });
  app.use("/.well-known/agent-card.json", cardRoute);
  app.use("/.well-known/agent.json", cardRoute);
  // The protocol of each JSON-RPC call: v1.0 says so in A2A-Version, v0.3 says nothing.
  const versions: string[] = [];
  app.post("/", (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    versions.push(String(req.headers["a2a-version"] ?? "0.3"));
    next();
  });
  app.use(
    "/",
    jsonRpcHandler({
      requestHandler: handler,
      userBuilder: UserBuilder.noAuthentication,
      legacyCompat: { enabled: true },
    }),
  );
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(port, "127.0.0.1", () => resolve(listening));
  });
  return {
    url,
    received: executor.received,
    versions,
    task: (id) => store.load(id, undefined as never),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
