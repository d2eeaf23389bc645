/**
 * A Cloudflare Worker: verifies, parses, and answers; `npm test` runs it inside Miniflare (workerd).
 */
import { handleWebhookRequest } from "whatsapp-coexistence";

/** The Worker's bindings (set with `wrangler secret put`). */
export interface Env {
  readonly APP_SECRET: string;
  readonly VERIFY_TOKEN: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/webhook") return new Response("Not found", { status: 404 });
    const { response, events } = await handleWebhookRequest(request, { secret: env.APP_SECRET, verifyToken: env.VERIFY_TOKEN });
    if (response.status !== 200 || request.method !== "POST") return response;
    // A real Worker would hand the events to a Queue here; this one reports what it parsed.
    const received = JSON.stringify({ received: events.map((event) => event.type) });
    return new Response(received, { headers: { "content-type": "application/json" } });
  },
};
