/** The frame of every page: skip link, header with navigation, main content. */
import type { ComponentChildren } from "preact";

const NAV = [
  { href: "/", label: "Sessions", key: "sessions" },
  { href: "/agents", label: "Agents", key: "agents" },
];

export function Layout(
  { current, children }: { current?: string; children: ComponentChildren },
) {
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
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
