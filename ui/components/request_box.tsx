/**
 * The request box of the chat (home page and session page): a labelled textarea with a live
 * character counter and example requests to start from. Pure and controlled: the island that
 * uses it owns the text; without JavaScript it is a plain form field.
 */
import type { ComponentChildren } from "preact";
import { MAX_REQUEST_CHARS, requestTooLong } from "../request_limit.ts";

export interface RequestBoxProps {
  value: string;
  onInput?: (text: string) => void;
  /** Sends the form (Ctrl/Cmd+Enter). */
  onSubmitKey?: (form: HTMLFormElement) => void;
  examples?: string[];
  autoFocus?: boolean;
  sending?: boolean;
  /** Options under the box, before the buttons (another feature's: "let me approve the plan"). */
  options?: ComponentChildren;
  /** Extra controls after the send button (the first stays the default on Enter) (another helper's attachments, options...). */
  children?: ComponentChildren;
}

export function RequestBox(
  { value, onInput, onSubmitKey, examples = [], autoFocus, sending, options, children }:
    RequestBoxProps,
) {
  const tooLong = requestTooLong(value);
  return (
    <div class="request-box">
      <label for="request">Your request</label>
      <textarea
        id="request"
        name="description"
        rows={3}
        required
        autoFocus={autoFocus}
        aria-describedby="request-count"
        aria-invalid={tooLong ? "true" : undefined}
        placeholder="e.g. Research recent AI developments and summarize them"
        value={value}
        onInput={(e) => onInput?.(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter sends, as in most chat boxes.
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.currentTarget.form) {
            e.preventDefault();
            if (onSubmitKey) onSubmitKey(e.currentTarget.form);
            else e.currentTarget.form.requestSubmit();
          }
        }}
      />
      {options && <div class="request-options">{options}</div>}
      <div class="form-row">
        <button type="submit" disabled={sending || !!tooLong}>
          {sending ? "Sending…" : "Send"}
        </button>
        {children}
        <span class="muted hint">Ctrl+Enter to send</span>
        <span
          id="request-count"
          class={tooLong ? "request-count request-count-over" : "request-count muted hint"}
          data-testid="request-count"
        >
          {value.length.toLocaleString("en")} / {MAX_REQUEST_CHARS.toLocaleString("en")}
        </span>
      </div>
      {tooLong && <p class="notice notice-error" role="alert">{tooLong}</p>}
      {examples.length > 0 && (
        <div class="examples">
          <p class="muted hint" id="examples-label">Try one of these:</p>
          <ul class="example-list" aria-labelledby="examples-label">
            {examples.map((example) => (
              <li key={example}>
                <button
                  type="button"
                  class="secondary example"
                  onClick={() => {
                    onInput?.(example);
                    (document.getElementById("request") as HTMLTextAreaElement | null)?.focus();
                  }}
                >
                  {example}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
