/** A message after a form round trip (?notice= / ?error=), read out by screen readers. */
export function Notice({ notice, error }: { notice?: string | null; error?: string | null }) {
  if (error) return <p class="notice notice-error" role="alert">{error}</p>;
  if (notice) return <p class="notice" role="status">{notice}</p>;
  return null;
}
