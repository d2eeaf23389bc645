// The same checks on every runtime (Node, Bun, Deno, workerd): parse every fixture, verify the
// spec's signature vectors, and drive the fetch handler. Only Web APIs; the library comes in as an
// argument so each runtime loads the built package its own way.

const SECRET = "app_secret_123";

export async function runChecks(library, fixtures) {
  const { parseWebhook, safeParseWebhook, verifySignature, signPayload, handleWebhookRequest } = library;
  const parsed = fixtures.map(({ name, text }) => ({ name, events: parseWebhook(text), bytes: parseWebhook(new TextEncoder().encode(text)).length }));
  const vectors = {
    empty: await signPayload('{"object":"whatsapp_business_account","entry":[]}', SECRET),
    cafe: await verifySignature('{"text":"caf\\u00e9"}', "sha256=84c7660bf030ad7f1cc227b2fc2574fb6a8d21c646dadd5432f16f1594a02d53", SECRET),
    malformed: await verifySignature("{}", "sha256=nothex", SECRET),
  };
  const bad = safeParseWebhook("{not json");
  const text = fixtures[0].text;
  const signed = new Request("https://example.com/webhook", {
    method: "POST",
    body: text,
    headers: { "x-hub-signature-256": await signPayload(text, SECRET) },
  });
  const accepted = await handleWebhookRequest(signed, { secret: SECRET });
  const forged = await handleWebhookRequest(
    new Request("https://example.com/webhook", { method: "POST", body: text, headers: { "x-hub-signature-256": await signPayload(`${text} `, SECRET) } }),
    { secret: SECRET },
  );
  const handshake = await handleWebhookRequest(new Request("https://example.com/webhook?hub.mode=subscribe&hub.verify_token=t&hub.challenge=42"), {
    secret: SECRET,
    verifyToken: "t",
  });
  const large = await handleWebhookRequest(new Request("https://example.com/webhook", { method: "POST", body: "x".repeat(5000) }), {
    secret: SECRET,
    maxBytes: 1000,
  });
  return {
    parsed,
    vectors,
    badIssues: bad.success ? [] : bad.issues.map((issue) => issue.path),
    handler: {
      accepted: [accepted.response.status, accepted.events.length],
      forged: forged.response.status,
      handshake: [handshake.response.status, await handshake.response.text()],
      large: large.response.status,
    },
  };
}
