/**
 * A Next.js route handler (app/api/whatsapp/route.ts): Web Request in, Response out.
 */
import { handleWebhookRequest, type CoexistenceEvent } from "whatsapp-coexistence";

const options = { secret: process.env.APP_SECRET ?? "", verifyToken: process.env.VERIFY_TOKEN };

async function store(events: CoexistenceEvent[]): Promise<void> {
  for (const event of events) if (event.type === "ContactAdded") console.log("contact", event.contact.phoneNumber);
}

export async function GET(request: Request): Promise<Response> {
  return (await handleWebhookRequest(request, options)).response;
}

export async function POST(request: Request): Promise<Response> {
  const { response, events } = await handleWebhookRequest(request, options);
  await store(events);
  return response;
}
