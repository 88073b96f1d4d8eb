/** What every service shares: configuration, logging, HTTP errors. */
export * from "./config.ts";
export * from "./logger.ts";
