/**
 * The assertions the tests use. `@std/assert` is published only on JSR, which this project's
 * registries do not serve, so the workspace carries these few on top of `node:assert`.
 */
import nodeAssert from "node:assert/strict";

export class AssertionError extends Error {
  override name = "AssertionError";
}

export function assert(condition: unknown, message = "expected a truthy value"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

export function assertEquals<T>(actual: unknown, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message as string);
}

/** Two numbers within `tolerance` of each other (sums of prices are floating point). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  message?: string,
): void {
  if (Math.abs(actual - expected) > tolerance) {
    throw new Error(message ?? `expected ${actual} to be within ${tolerance} of ${expected}`);
  }
}

export function assertNotEquals(actual: unknown, expected: unknown, message?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, message as string);
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(actual, pattern, message as string);
}

export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new AssertionError(
      message ??
        `expected ${JSON.stringify(actual.slice(0, 500))} to include ${JSON.stringify(expected)}`,
    );
  }
}

type ErrorClass = abstract new (...args: never[]) => Error;

function checkError(error: unknown, errorClass?: ErrorClass, includes?: string): Error {
  if (!(error instanceof Error)) throw new AssertionError(`expected an Error, got ${error}`);
  if (errorClass && !(error instanceof errorClass)) {
    const got = error as Error;
    throw new AssertionError(`expected ${errorClass.name}, got ${got.name}: ${got.message}`);
  }
  if (includes && !error.message.includes(includes)) {
    throw new AssertionError(
      `expected the error message "${error.message}" to include "${includes}"`,
    );
  }
  return error;
}

export function assertThrows(fn: () => unknown, errorClass?: ErrorClass, includes?: string): Error {
  try {
    fn();
  } catch (error) {
    return checkError(error, errorClass, includes);
  }
  throw new AssertionError("expected the function to throw");
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  errorClass?: ErrorClass,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, errorClass, includes);
  }
  throw new AssertionError("expected the promise to reject");
}
