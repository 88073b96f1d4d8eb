/** Islands in the browser: hydrate every marker the server rendered for this island. */
import { type ComponentType, h, hydrate } from "preact";

export function hydrateIsland<P>(name: string, component: ComponentType<P>): void {
  for (const element of document.querySelectorAll<HTMLElement>(`[data-island="${name}"]`)) {
    const props = JSON.parse(element.dataset.props ?? "{}") as P;
    hydrate(h(component as ComponentType<Record<string, unknown>>, props as never), element);
    // A mark for tests and styles: from here on the island handles its own forms.
    element.dataset.hydrated = "true";
  }
}
