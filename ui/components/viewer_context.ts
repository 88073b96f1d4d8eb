/** The signed-in viewer, for the page frame (set by renderPage on the server). */
import { createContext } from "preact";
import type { Me } from "../types.ts";

export const ViewerContext = createContext<Me | undefined>(undefined);
