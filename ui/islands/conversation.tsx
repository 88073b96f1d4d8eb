/**
 * The session page's island: the conversation with live task cards, and the box that sends the
 * next request. Without JavaScript the same form posts to the server and the page reloads.
 */
import { useState } from "preact/hooks";
import type { JSX } from "preact";
import { RequestBox } from "../components/request_box.tsx";
import { MessageBubble } from "../components/conversation_entry.tsx";
import { TaskActions } from "../components/task_actions.tsx";
import { TaskCard } from "../components/task_card.tsx";
import { requestTooLong } from "../request_limit.ts";
import { HumanTurn } from "../components/human_turn.tsx";
import { ApprovalOption } from "../components/approval_option.tsx";
import { api } from "../client/api.ts";
import { useLiveTask } from "../client/use_live_task.ts";
import type { ConversationItem } from "../conversation.ts";
import type { CreatedTask, IslandTask, TaskView } from "../types.ts";

export interface ConversationProps {
  sessionId: string;
  userId: string;
  items: ConversationItem[];
}

/** A task card following its events: its actions (cancel, retry, edit and resend), and what
 * waits on a person (a plan to approve, a question to answer). */
export function LiveTaskCard(
  { task, onEdit }: { task: IslandTask; onEdit?: (description: string) => void },
) {
  const [live, setLive, progress] = useLiveTask(task);
  return (
    <TaskCard task={live} progress={progress}>
      <HumanTurn task={live} onTask={setLive} />
      <TaskActions task={live} onChange={setLive} onEdit={onEdit} />
    </TaskCard>
  );
}

export default function Conversation({ sessionId, userId, items: initial }: ConversationProps) {
  const [items, setItems] = useState(initial);
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const [approve, setApprove] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(event: JSX.TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const description = draft.trim();
    if (!description || sending || requestTooLong(description)) return;
    setSending(true);
    setError(null);
    try {
      const created = await api<CreatedTask>("/api/tasks", {
        method: "POST",
        json: {
          description,
          session_id: sessionId,
          user_id: userId,
          ...(approve && { require_approval: true }),
        },
      });
      const task = await api<TaskView>(`/api/tasks/${created.task_id}`);
      setItems((current) => [
        ...current,
        {
          kind: "message",
          message: {
            id: -task.id,
            role: "user",
            content: description,
            created_at: task.created_at,
          },
        },
        { kind: "task", task },
      ]);
      setDraft("");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  }

  /** Edit and resend: the request goes back into the box, to change and send again. */
  function edit(description: string) {
    setDraft(description);
    const box = document.getElementById("request") as HTMLTextAreaElement | null;
    box?.focus();
    box?.scrollIntoView({ block: "center" });
  }

  return (
    <>
      <section class="conversation" aria-label="Conversation" aria-live="polite">
        {items.length === 0 && <p class="muted">No requests yet. Ask something below.</p>}
        {items.map((item) =>
          item.kind === "task"
            ? <LiveTaskCard key={`t${item.task.id}`} task={item.task} onEdit={edit} />
            : <MessageBubble key={`m${item.message.id}`} message={item.message} />
        )}
      </section>
      <form
        class="card request-form"
        method="post"
        action={`/sessions/${encodeURIComponent(sessionId)}/tasks`}
        onSubmit={send}
      >
        <RequestBox
          value={draft}
          onInput={setDraft}
          sending={sending}
          options={<ApprovalOption checked={approve} onChange={setApprove} />}
        />
        {error && <p class="notice notice-error" role="alert">{error}</p>}
      </form>
    </>
  );
}
