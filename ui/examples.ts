/**
 * Example requests for the chat box, chosen from what the registered (active) agents can do:
 * a capability nobody serves gets no example, so every suggestion can actually run.
 */
const BY_CAPABILITY: Record<string, string> = {
  research: "Research recent advances in home batteries and summarize the key findings",
  analysis:
    "Analyze these monthly sales figures and tell me the trend: 120, 135, 128, 150, 171, 190",
  summarization: "Summarize the main arguments for and against a four-day work week",
  extraction: "Extract the people, places and dates from: Ada met Charles in London on 5 June 1833",
  writing: "Write a short, friendly product announcement for a new note-taking app",
  web_search: "Search the web for this week's news on solar power and list the highlights",
};

export const MAX_EXAMPLES = 4;

export function exampleRequests(capabilities: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const capability of capabilities) {
    const example = BY_CAPABILITY[capability] ??
      `Use ${capability.replaceAll("_", " ")} to help me with a question`;
    seen.add(example);
    if (seen.size === MAX_EXAMPLES) break;
  }
  return [...seen];
}
