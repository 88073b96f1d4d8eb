/** The UI's pages rendered against a real orchestrator with a real agent, read as HTML. */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "@app/lib/assert";
import { readSse } from "./helpers/sse.ts";
import { startAskingAgent } from "./helpers/asking_agent.ts";
import { startUiStack, type UiStack } from "./ui_stack.ts";
import { startCardServer } from "./ui_card_server.ts";

// deno-lint-ignore no-explicit-any
type Json = Record<string, any>;

function uiTest(name: string, fn: (stack: UiStack) => Promise<void>, options = {}) {
  Deno.test({
    name: `[ui] ${name}`,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const stack = await startUiStack(options);
      try {
        await fn(stack);
      } finally {
        await stack.close();
      }
    },
  });
}

async function submitTask(stack: UiStack, description: string, extra: Json = {}) {
  const created = await stack.orch.api<Json>("/api/tasks", {
    method: "POST",
    json: { description, user_id: "alice", ...extra },
  });
  assertEquals(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

/** Posts an HTML form the way a browser without JavaScript does; answers the redirect. */
async function postForm(url: string, fields: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  await response.body?.cancel();
  return { status: response.status, location: response.headers.get("location") ?? "" };
}

const scriptsOf = (html: string) =>
  [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);

uiTest(
  "/ lists sessions newest first, filters by user and by ?q=, named after their request",
  async (stack) => {
    for (const user of ["alice", "bob", "alice"]) {
      await stack.orch.api("/api/sessions", { method: "POST", json: { user_id: user } });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const { body: sessions } = await stack.orch.api<Json[]>("/api/sessions");
    const newestFirst = [...sessions].sort((a, b) => b.id - a.id).map((s) => s.session_id);
    const { status, html } = await stack.page("/");
    assertEquals(status, 200);
    const shown = [...html.matchAll(/data-session-id="([^"]+)"/g)].map((m) => m[1]);
    assertEquals(shown, newestFirst);
    // Chat first: the request box and the name asked (no name remembered yet).
    assertStringIncludes(html, '<label for="request">Your request</label>');
    assertStringIncludes(html, '<label for="user-name">Your name</label>');
    assertEquals(scriptsOf(html), ["/islands/home.js"]);

    const filtered = await stack.page("/?user_id=bob");
    const bobs = [...filtered.html.matchAll(/data-session-id="([^"]+)"/g)].map((m) => m[1]);
    assertEquals(bobs, sessions.filter((s) => s.user_id === "bob").map((s) => s.session_id));

    // Named after the first request; ?q= (no JavaScript) searches those names.
    const created = await submitTask(stack, "Research tidal power in Wales");
    await stack.orch.waitForTask(created.task_id);
    const named = await stack.page("/?q=tidal+WALES");
    const hits = [...named.html.matchAll(/data-session-id="([^"]+)"/g)].map((m) => m[1]);
    assertEquals(hits, [created.session_id]);
    assertStringIncludes(named.html, ">Research tidal power in Wales</a>");
  },
);

uiTest(
  "chat by form (no JS): POST /chat makes the session and task, remembers the name",
  async (stack) => {
    const response = await fetch(`${stack.ui}/chat`, {
      method: "POST",
      body: new URLSearchParams({ user_id: "erin", description: "Research kelp farming" }),
      redirect: "manual",
    });
    await response.body?.cancel();
    assertEquals(response.status, 303);
    assertMatch(response.headers.get("location")!, /^\/sessions\/sess_\w+#task-\d+$/);
    assertStringIncludes(response.headers.get("set-cookie")!, "ui_user=erin");
    const home = await fetch(`${stack.ui}/`, { headers: { cookie: "ui_user=erin" } });
    assert(!(await home.text()).includes('for="user-name"'), "the name is not asked again");
    const tooLong = await postForm(`${stack.ui}/chat`, {
      user_id: "erin",
      description: "y".repeat(20_001),
    });
    assertEquals(tooLong.status, 303);
    assertStringIncludes(decodeURIComponent(tooLong.location), "1 characters over the limit");
    const sessionId = response.headers.get("location")!.split("/")[2].split("#")[0];
    const deleted = await postForm(`${stack.ui}/sessions/${sessionId}/delete`, {});
    assertEquals(deleted.status, 303);
    assertEquals((await stack.orch.api(`/api/sessions/${sessionId}`)).status, 404);
  },
);

uiTest("starting a session by form (no JS) redirects to its page", async (stack) => {
  const { status, location } = await postForm(`${stack.ui}/sessions`, { user_id: "carol" });
  assertEquals(status, 303);
  assertMatch(location, /^\/sessions\/sess_\w+$/);
  const page = await stack.page(location);
  assertEquals(page.status, 200);
  assertStringIncludes(page.html, "<strong>carol</strong>");
  assertStringIncludes(page.html, "No requests yet");
  const empty = await postForm(`${stack.ui}/sessions`, { user_id: "  " });
  assertEquals(empty.status, 303);
  assertStringIncludes(empty.location, "error=");
});

uiTest(
  "a session page shows the request, its task card with steps, summary and insights",
  async (stack) => {
    const created = await submitTask(stack, "Research recent AI developments and summarize them");
    const task = await stack.orch.waitForTask(created.task_id) as Json;
    assertEquals(task.status, "completed");
    const { status, html } = await stack.page(`/sessions/${created.session_id}`);
    assertEquals(status, 200);
    assertStringIncludes(html, "Research recent AI developments and summarize them");
    assertStringIncludes(html, `data-task-id="${created.task_id}"`);
    assertStringIncludes(html, `href="/tasks/${created.task_id}"`);
    for (const step of task.steps) assertStringIncludes(html, `>${step.description} <`);
    assertEquals(
      (html.match(/class="badge badge-completed"/g) ?? []).length,
      1 + task.steps.length,
    );
    assertStringIncludes(html, task.result.insights[0]);
    assertStringIncludes(html, "Researcher handled");
    // The answer is on the card, not repeated as a message after it.
    assertEquals(html.split('class="summary"').length, 2);
    assertStringIncludes(html, '<label for="request">Your request</label>');
    assertEquals(scriptsOf(html), ["/islands/conversation.js"]);
    const script = await fetch(`${stack.ui}/islands/conversation.js`);
    assertEquals(script.status, 200);
    assertStringIncludes(script.headers.get("content-type")!, "javascript");
    assertStringIncludes(await script.text(), "conversation");
  },
);

uiTest("sending the next request by form (no JS) adds a task to the session", async (stack) => {
  const first = await submitTask(stack, "Research graph databases");
  const { status, location } = await postForm(
    `${stack.ui}/sessions/${first.session_id}/tasks`,
    { description: "Analyze the findings" },
  );
  assertEquals(status, 303);
  assertMatch(location, new RegExp(`^/sessions/${first.session_id}#task-\\d+$`));
  const { body: tasks } = await stack.orch.api<Json[]>(`/api/tasks?session_id=${first.session_id}`);
  assertEquals(tasks.map((t) => t.description).sort(), [
    "Analyze the findings",
    "Research graph databases",
  ]);
  assertEquals(tasks.find((t) => t.description === "Analyze the findings")!.user_id, "alice");
});

uiTest(
  "'Let me approve the plan' by form (no JS): the task waits for approval, shown with its buttons",
  async (stack) => {
    const first = await submitTask(stack, "Research graph databases");
    const { status } = await postForm(`${stack.ui}/sessions/${first.session_id}/tasks`, {
      description: "Analyze the findings",
      require_approval: "true",
    });
    assertEquals(status, 303);
    const { body: tasks } = await stack.orch.api<Json[]>(
      `/api/tasks?session_id=${first.session_id}`,
    );
    const waiting = tasks.find((t) => t.description === "Analyze the findings")!;
    assertEquals(waiting.status, "awaiting_approval");
    const { html } = await stack.page(`/sessions/${first.session_id}`);
    assertStringIncludes(html, "Let me approve the plan");
    assertStringIncludes(html, "This plan waits for your approval.");
    assertStringIncludes(html, ">Approve</button>");
    assertStringIncludes(html, ">Reject</button>");
  },
);

uiTest(
  "approving, rejecting and answering by form (no JS): each goes back to the conversation",
  async (stack) => {
    const asking = await startAskingAgent({ capability: "extraction" });
    try {
      await stack.orch.api("/api/agents", { method: "POST", json: { url: asking.url } });
      const a = await submitTask(stack, "Research owls", { require_approval: true });
      const b = await submitTask(stack, "Research bats", {
        require_approval: true,
        session_id: a.session_id,
      });
      const approved = await postForm(`${stack.ui}/tasks/${a.task_id}/approve`, {});
      assertEquals(approved.status, 303);
      assertEquals(approved.location, `/sessions/${a.session_id}#task-${a.task_id}`);
      assertEquals((await stack.orch.waitForTask(a.task_id) as Json).status, "completed");
      const rejected = await postForm(`${stack.ui}/tasks/${b.task_id}/reject`, {
        reason: "bats can wait",
      });
      assertEquals(rejected.status, 303);
      const b2 = await stack.orch.waitForTask(b.task_id) as Json;
      assertEquals([b2.status, b2.error], ["cancelled", "bats can wait"]);

      // The asking agent extracts, once told what from.
      const c = await submitTask(stack, "Extract the names from this text: Ada met Alan", {
        session_id: a.session_id,
      });
      let waiting: Json = {};
      for (let i = 0; i < 500 && waiting.status !== "input_required"; i++) {
        waiting = (await stack.orch.api<Json>(`/api/tasks/${c.task_id}`)).body;
        await new Promise((r) => setTimeout(r, 20));
      }
      assertEquals(waiting.status, "input_required", JSON.stringify(waiting));
      const { html } = await stack.page(`/sessions/${a.session_id}`);
      assertStringIncludes(html, "What should I research?");
      assertStringIncludes(html, `action="/tasks/${c.task_id}/input"`);
      const answered = await postForm(`${stack.ui}/tasks/${c.task_id}/input`, {
        text: "the names of mathematicians",
        step_number: String(waiting.steps.at(-1).step_number),
      });
      assertEquals(answered.status, 303);
      const done = await stack.orch.waitForTask(c.task_id) as Json;
      assertEquals(done.status, "completed", JSON.stringify(done));
      assertEquals(asking.received.at(-1)?.text, "the names of mathematicians");
    } finally {
      await asking.close();
    }
  },
);

uiTest(
  "the task page shows each step's agent, status, duration, input and output",
  async (stack) => {
    const created = await submitTask(stack, "Research solar power and summarize it");
    const task = await stack.orch.waitForTask(created.task_id) as Json;
    const { status, html } = await stack.page(`/tasks/${created.task_id}`);
    assertEquals(status, 200);
    assertStringIncludes(html, `<h1>Task #${created.task_id}</h1>`);
    for (const step of task.steps) {
      assertStringIncludes(html, `Step ${step.step_number}: ${step.description}`);
    }
    assertEquals((html.match(/<dd>Researcher /g) ?? []).length, task.steps.length);
    assertMatch(html, /<dt>Duration<\/dt><dd>\d+(\.\d)? (ms|s)<\/dd>/);
    assertEquals((html.match(/<summary>Input/g) ?? []).length, task.steps.length);
    assertEquals((html.match(/<summary>Output/g) ?? []).length, task.steps.length);
    // Pretty JSON: the output's fields on their own indented lines.
    assertStringIncludes(html, "{\n  &quot;operation&quot;");
    assert(!html.includes("Cancel task"), "a finished task has no cancel button");
    assertEquals(scriptsOf(html), ["/islands/task_timeline.js"]);
    assertEquals((await stack.page("/tasks/999")).status, 404);
  },
);

uiTest("tokens and cost show on each step, the task and the session", async (stack) => {
  // The stack's agent reports 1,234 tokens of gpt-4o-mini (priced by default) per step.
  const created = await submitTask(stack, "Research solar power and summarize it");
  const task = await stack.orch.waitForTask(created.task_id) as Json;
  const steps = task.steps.length;
  const perStep = 1234, cost = (1200 * 0.15 + 34 * 0.6) / 1e6;
  const { html } = await stack.page(`/tasks/${created.task_id}`);
  assertEquals((html.match(/<dt>Tokens<\/dt>/g) ?? []).length, steps);
  assertStringIncludes(html, `${perStep.toLocaleString("en-US")} tokens · $${cost.toPrecision(2)}`);
  const total = `${(perStep * steps).toLocaleString("en-US")} tokens · $${
    (cost * steps).toPrecision(2)
  }`;
  assertStringIncludes(html, total, "the task's total");
  const session = await stack.page(`/sessions/${created.session_id}`);
  assertStringIncludes(session.html, `· spent ${total}`);
  // The conversation's card: the task's total in its header, each step's beside it.
  assertEquals((session.html.match(/class="usage"/g) ?? []).length, steps + 2);
});

uiTest("a running task can be cancelled from its page without JS", async (stack) => {
  const created = await submitTask(stack, "Research slow things");
  const running = await stack.page(`/tasks/${created.task_id}`);
  assertStringIncludes(running.html, "Cancel task");
  const { status, location } = await postForm(`${stack.ui}/tasks/${created.task_id}/cancel`, {});
  assertEquals(status, 303);
  assertEquals(location, `/tasks/${created.task_id}`);
  const task = await stack.orch.waitForTask(created.task_id) as Json;
  assertEquals(task.status, "cancelled");
  const after = await stack.page(location);
  assertStringIncludes(after.html, "Task cancelled.");
}, { agentHangs: true });

uiTest(
  "the agents page lists agents; register by URL, check now and remove work by form",
  async (stack) => {
    const card = startCardServer();
    try {
      const first = await stack.page("/agents");
      assertEquals(first.status, 200);
      assertStringIncludes(first.html, ">Researcher</h3>");
      assertStringIncludes(first.html, "<dd>api</dd>");
      assertStringIncludes(first.html, "<li>summarization</li>");
      assertStringIncludes(first.html, '<label for="agent-url">Agent URL</label>');
      assertEquals(scriptsOf(first.html), ["/islands/agents_panel.js"]);

      const registered = await postForm(`${stack.ui}/agents`, { url: card.url });
      assertEquals(registered.status, 303);
      assertStringIncludes(decodeURIComponent(registered.location), `Registered ${card.name}.`);
      const listed = await stack.page(registered.location);
      assertStringIncludes(listed.html, `>${card.name}</h3>`);
      assertStringIncludes(listed.html, "<dd>a2a_server</dd>");
      assertStringIncludes(listed.html, "<li>research</li>");
      assertStringIncludes(listed.html, `role="status">Registered ${card.name}.`);

      const again = await postForm(`${stack.ui}/agents`, { url: card.url });
      assertStringIncludes(again.location, "error=");

      const { body: agents } = await stack.orch.api<Json[]>("/api/agents");
      const id = agents.find((a) => a.name === card.name)!.id;
      const checked = await postForm(`${stack.ui}/agents/${id}/health`, {});
      assertStringIncludes(decodeURIComponent(checked.location), `Agent ${id} is`);

      const removed = await postForm(`${stack.ui}/agents/${id}/delete`, {});
      assertStringIncludes(decodeURIComponent(removed.location), "Agent removed.");
      assert(!(await stack.page("/agents")).html.includes(card.name));
    } finally {
      await card.close();
    }
  },
);

uiTest(
  "/api is proxied with the signed-in key added on the server; SSE streams through",
  async (stack) => {
    const key = "ui-test-secret-key";
    const direct = await fetch(`${stack.orch.url}/api/agents`);
    await direct.body?.cancel();
    assertEquals(direct.status, 401, "the orchestrator must want the key");
    // Not signed in: the proxy answers 401, pages send the browser to sign in.
    const anonymous = await fetch(`${stack.ui}/api/agents`);
    assertEquals(anonymous.status, 401);
    await anonymous.body?.cancel();
    const page = await fetch(`${stack.ui}/agents`, { redirect: "manual" });
    assertEquals(page.status, 303);
    assertEquals(page.headers.get("location"), "/signin?next=%2Fagents");
    await page.body?.cancel();

    const signedIn = await fetch(`${stack.ui}/signin`, {
      method: "POST",
      headers: { origin: stack.ui },
      body: new URLSearchParams({ key, next: "/agents" }),
      redirect: "manual",
    });
    assertEquals(signedIn.status, 303);
    assertEquals(signedIn.headers.get("location"), "/agents");
    await signedIn.body?.cancel();
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0];
    assert(!cookie.includes(key), "the cookie is not the key");
    const headers = { cookie, origin: stack.ui };

    const proxied = await fetch(`${stack.ui}/api/agents`, { headers });
    assertEquals(proxied.status, 200);
    assertEquals((await proxied.json())[0].name, "Researcher");

    const created = await fetch(`${stack.ui}/api/tasks`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ description: "Research tidal energy", user_id: "dave" }),
    });
    assertEquals(created.status, 201);
    const { task_id, session_id } = await created.json();
    const events = await readSse(`${stack.ui}/api/tasks/${task_id}/events`, {
      headers,
      until: (event) => event.event === "task.completed",
    });
    assertEquals(events.at(-1)?.event, "task.completed");
    assert(events.some((e) => e.event === "step.completed"));

    for (const path of ["/", `/sessions/${session_id}`, `/tasks/${task_id}`, "/agents"]) {
      const response = await fetch(stack.ui + path, { headers });
      const html = await response.text();
      assertEquals(response.status, 200, path);
      assert(!html.includes(key), `${path} must not carry the key`);
      assertStringIncludes(html, "Signed in as");
    }
    const badInput = await fetch(`${stack.ui}/api/tasks`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: "{}",
    });
    assertEquals(badInput.status, 422);
    assertEquals((await badInput.json()).error.code, "validation_failed");
    // A signed-in request that says nothing of where it comes from is refused (CSRF).
    const unvouched = await fetch(`${stack.ui}/api/tasks`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ description: "Research x" }),
    });
    assertEquals(unvouched.status, 403);
    await unvouched.body?.cancel();
  },
  { apiKey: "ui-test-secret-key" },
);

uiTest("a cross-site form post is refused", async (stack) => {
  const response = await fetch(`${stack.ui}/sessions`, {
    method: "POST",
    headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    body: new URLSearchParams({ user_id: "mallory" }),
    redirect: "manual",
  });
  assertEquals(response.status, 403);
  await response.body?.cancel();
  const { body } = await stack.orch.api<Json[]>("/api/sessions");
  assertEquals(body.length, 0);
});
