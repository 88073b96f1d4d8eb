/**
 * Islands on the server: <Island> renders a component inside a marker element carrying its
 * props as JSON and notes its name, so the page loads that island's bundle and nothing else.
 */
import { type ComponentType, createContext, h } from "preact";
import { useContext } from "preact/hooks";

/** The names of the islands a page rendered; renderPage reads it to emit script tags. */
export const IslandCollector = createContext<Set<string> | null>(null);

export interface IslandProps<P> {
  /** The island's file name in ui/islands/ without ".tsx": its bundle is /islands/{name}.js. */
  name: string;
  component: ComponentType<P>;
  props: P;
}

export function Island<P>({ name, component, props }: IslandProps<P>) {
  useContext(IslandCollector)?.add(name);
  return (
    <div data-island={name} data-props={JSON.stringify(props)}>
      {h(component as ComponentType<Record<string, unknown>>, props as Record<string, unknown>)}
    </div>
  );
}
