/**
 * API keys: 256 random bits, shown once; the database keeps only their SHA-256 (a fast hash is
 * enough for keys this random), and every comparison is constant-time.
 */
import { timingSafeEqual } from "node:crypto";

export const KEY_PREFIX = "ak_";

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A new key, and the characters lists show to tell it from others. */
export function generateApiKey(): { key: string; prefix: string } {
  const key = KEY_PREFIX + base64Url(crypto.getRandomValues(new Uint8Array(32)));
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6) };
}

/** SHA-256 of the key, hex. */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  // Hashing first gives equal lengths, so the length of the expected secret does not leak.
  const [a, b] = await Promise.all([hashApiKey(given), hashApiKey(expected)]);
  return timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b));
}
