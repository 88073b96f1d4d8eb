/**
 * What building a statement with Kysely's builder costs against the statement helper, on
 * SQLite, to decide where the helper is worth it: `deno bench -A db/statement_bench.ts`.
 */
import { connect } from "./connect.ts";
import { migrateToLatest } from "./migrate.ts";
import { statement } from "./statement.ts";

const dir = await Deno.makeTempDir({ prefix: "statement-bench-" });
const db = connect(`sqlite:${dir}/bench.db`);
await migrateToLatest(db);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const now = new Date().toISOString();
await db.insertInto("sessions").values({
  session_id: "s",
  user_id: "u",
  metadata: "{}",
  created_at: now,
  updated_at: now,
}).execute();
const { id: taskId } = await db.insertInto("tasks").values({
  session_id: "s",
  user_id: "u",
  description: "d",
  status: "executing",
  plan: "{}",
  result: "{}",
  metadata: "{}",
  attempts: 0,
  created_at: now,
  updated_at: now,
}).returning("id").executeTakeFirstOrThrow();

const event = { task_id: taskId, type: "step.started", data: `{"step":1}`, created_at: now };

const insertEvent = statement<
  { task_id: number; type: string; data: string; created_at: string },
  { id: number }
>(
  `insert into "task_events" ("task_id", "type", "data", "created_at") ` +
    `values (:task_id, :type, :data, :created_at) returning "id"`,
);

const builtInsert = () => db.insertInto("task_events").values(event).returning("id");

const selectTask = statement<{ id: number }, { id: number; status: string }>(
  `select "id", "status" from "tasks" where "id" = :id`,
);
const builtSelect = () => db.selectFrom("tasks").select(["id", "status"]).where("id", "=", taskId);

Deno.bench("build: event insert, Kysely builder", { group: "build insert", baseline: true }, () => {
  builtInsert().compile();
});
Deno.bench("build: event insert, statement helper", { group: "build insert" }, () => {
  insertEvent.compile(db, event);
});
Deno.bench("build: select by id, Kysely builder", { group: "build select", baseline: true }, () => {
  builtSelect().compile();
});
Deno.bench("build: select by id, statement helper", { group: "build select" }, () => {
  selectTask.compile(db, { id: taskId });
});
Deno.bench(
  "run: event insert, Kysely builder",
  { group: "run insert", baseline: true },
  async () => {
    await builtInsert().execute();
  },
);
Deno.bench("run: event insert, statement helper", { group: "run insert" }, async () => {
  await insertEvent.query(db, event);
});
Deno.bench(
  "run: select by id, Kysely builder",
  { group: "run select", baseline: true },
  async () => {
    await builtSelect().execute();
  },
);
Deno.bench("run: select by id, statement helper", { group: "run select" }, async () => {
  await selectTask.query(db, { id: taskId });
});
