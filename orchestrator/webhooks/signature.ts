/**
 * Webhook signatures: `X-Webhook-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with
 * WEBHOOK_SECRET as the key, and the check a receiver makes (constant time).
 */

async function hmacKey(secret: string): Promise<CryptoKey> {
  return await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
}

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** The header's value for `body` signed with `secret`. */
export async function signWebhook(secret: string, body: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    "HMAC",
    await hmacKey(secret),
    new TextEncoder().encode(body),
  );
  return `sha256=${hex(mac)}`;
}

/** Whether `signature` (the header as received) is `body`'s under `secret`. */
export async function verifyWebhookSignature(
  secret: string,
  body: string,
  signature: string | null,
): Promise<boolean> {
  if (!signature) return false;
  const expected = await signWebhook(secret, body);
  if (expected.length !== signature.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) {
    difference |= expected.charCodeAt(i) ^ signature.charCodeAt(i);
  }
  return difference === 0;
}
