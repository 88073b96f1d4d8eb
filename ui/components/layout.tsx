/** The frame of every page: skip link, header with navigation and who is signed in, content. */
import type { ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import { ViewerContext } from "./viewer_context.ts";

const NAV = [
  { href: "/", label: "Chat", key: "chat" },
  { href: "/tasks", label: "Tasks", key: "tasks" },
  { href: "/agents", label: "Agents", key: "agents" },
];

export function Layout(
  { current, children }: { current?: string; children: ComponentChildren },
) {
  const viewer = useContext(ViewerContext);
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="site-header">
        <a class="brand" href="/">
          <img src="/static/icon.svg" alt="" width={28} height={28} />
          <span>Agent Orchestrator</span>
        </a>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.key}>
                <a href={item.href} aria-current={current === item.key ? "page" : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {viewer && viewer.via !== "open" && (
          <form class="account" method="post" action="/signout">
            <span>
              Signed in as <strong data-testid="viewer">{viewer.user_id}</strong>
              {viewer.role === "admin" && " (admin)"}
            </span>
            <button type="submit" class="secondary">Sign out</button>
          </form>
        )}
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
