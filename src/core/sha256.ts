// SHA-256 of one piece through WebCrypto (in every context we run: page, workers,
// Node 20): a chunk's, a derived graph's. Hashed off the download thread in
// Chromium, ~2.8× hash-wasm per piece (ENVIRONMENT.md). `digest` copies its
// input when called, so the caller may reuse (or hand to a BYOB read) the
// buffer as soon as this returns its promise.

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
