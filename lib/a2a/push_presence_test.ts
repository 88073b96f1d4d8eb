import { assert, assertEquals } from "@app/lib/assert";
import { ServerCallContext } from "@a2a-js/sdk/server";
import { A2A_PUSH_CONFIG_TABLE } from "@app/db";
import { dbTest } from "@app/db/testing";
import { createPushNotifications } from "./push.ts";
import { PushPresenceStore } from "./push_presence.ts";

dbTest(
  "[a2a] push configs: looked for in batches, loaded for the tasks that have them",
  async (t) => {
    const context = new ServerCallContext({
      user: { isAuthenticated: true, userName: "alice" },
      requestedVersion: "1.0",
    });
    const { store } = createPushNotifications(t.db, A2A_PUSH_CONFIG_TABLE);
    assert(store instanceof PushPresenceStore);
    await store.save("with", context, {
      tenant: "",
      id: "",
      taskId: "with",
      url: "https://example.com/hook",
      token: "secret",
      authentication: undefined,
    });
    const ids = ["with", "without", "other"];
    const found = await Promise.all(ids.map((id) => store.loadWithMetadata(id, context)));
    assertEquals(found.map((configs) => configs.length), [1, 0, 0]);
    assertEquals(found[0][0].config.url, "https://example.com/hook");
    assertEquals(found[0][0].wireVersion, "1.0");
    assertEquals(store.lookups.stats, { batches: 1, calls: 3 }, "one lookup for the three");
    const other = new ServerCallContext({ user: { isAuthenticated: true, userName: "bob" } });
    assertEquals(await store.load("with", other), [], "another owner's task");

    await store.delete("with", context, found[0][0].config.id);
    assertEquals(await store.load("with", context), []);
  },
);
