/**
 * Hono (on any runtime: Node through @hono/node-server, Bun, Deno, Workers).
 *
 * Type-checked by `npm test`; run it with your usual TypeScript setup.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { handleWebhookRequest, type CoexistenceEvent } from "whatsapp-coexistence";

const options = { secret: process.env.APP_SECRET ?? "", verifyToken: process.env.VERIFY_TOKEN };

async function enqueue(events: CoexistenceEvent[]): Promise<void> {
  for (const event of events) console.log(event.type, event.phoneNumberId);
}

const app = new Hono();
app.on(["GET", "POST"], "/webhooks/whatsapp", async (context) => {
  const { response, events } = await handleWebhookRequest(context.req.raw, options);
  await enqueue(events);
  return response;
});

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
