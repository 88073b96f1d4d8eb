/** The line every offline answer ends with, and the UI's offline banner says: how to add a model. */
export const OFFLINE_NOTICE =
  "Offline mode: no language model is configured, so this answer comes from rule-based tools. " +
  "To add one, set OPENAI_API_KEY (OpenAI), GROQ_API_KEY (Groq), or OPENAI_BASE_URL=" +
  "http://localhost:11434/v1 with LLM_MODEL (Ollama) in .env, then restart the services.";

/** The text without a trailing offline notice: an earlier answer as material for a follow-up. */
export function withoutOfflineNotice(text: string): string {
  return text.endsWith(OFFLINE_NOTICE) ? text.slice(0, -OFFLINE_NOTICE.length).trimEnd() : text;
}
