/**
 * One codec per table: which of its columns hold JSON and what each reads as when empty. The
 * columns and their parsed types come from schema.ts; a codec only names its JSON columns,
 * and the compiler checks that it names all of them and nothing else.
 */
import type { Selectable } from "kysely";
import type {
  AgentsTable,
  JsonText,
  MessagesTable,
  SessionsTable,
  TaskEventsTable,
  TasksTable,
  TaskStepsTable,
} from "./schema.ts";
import type { Parsed } from "./types.ts";

/** The JSON columns of a table. */
type JsonColumns<Table> = {
  [K in keyof Selectable<Table>]: Selectable<Table>[K] extends JsonText<unknown> ? K : never;
}[keyof Selectable<Table>];

export interface RowCodec<Table> {
  /** A selected row with its JSON columns parsed. */
  decode(row: Selectable<Table>): Parsed<Table>;
}

function rowCodec<Table>(
  empty: { [K in JsonColumns<Table>]: Parsed<Table>[K] },
): RowCodec<Table> {
  const columns = Object.entries(empty) as [string, unknown][];
  return {
    decode(row) {
      const parsed: Record<string, unknown> = { ...row };
      for (const [column, fallback] of columns) {
        const text = parsed[column] as string | null | undefined;
        parsed[column] = text ? JSON.parse(text) : structuredClone(fallback);
      }
      return parsed as Parsed<Table>;
    },
  };
}

export const agentRows = rowCodec<AgentsTable>({ capabilities: [], config: {}, metadata: {} });
export const sessionRows = rowCodec<SessionsTable>({ metadata: {} });
export const messageRows = rowCodec<MessagesTable>({ metadata: {} });
export const taskRows = rowCodec<TasksTable>({ plan: {}, result: {}, metadata: {} });
export const stepRows = rowCodec<TaskStepsTable>({
  dependencies: [],
  input_data: {},
  output_data: {},
});
export const eventRows = rowCodec<TaskEventsTable>({ data: {} });
