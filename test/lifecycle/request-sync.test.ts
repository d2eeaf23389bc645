/**
 * Starting the syncs against a local fake of the Graph API (never the network): the request Meta
 * documents, its answer, and every refusal with what to do.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestSync, SyncRequestError } from "../../src/index.js";
import { runCliAsync } from "../support/cli.js";

/** The fake Graph API: answers smb_app_data as Meta does for each case, and records what it received. */
interface Received {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

const TOKEN = "EAAG-business-token";
const received: Received[] = [];
/** Per phone number id, what the fake answers. */
const answers: Record<string, { status: number; body: unknown }> = {
  "106540352242922": { status: 200, body: { messaging_product: "whatsapp", request_id: "req-1739321024" } },
  "200000000000001": {
    status: 400,
    body: {
      error: { message: "(#100) The smb_app_data request has already been made for this phone number.", type: "OAuthException", code: 100, fbtrace_id: "A1" },
    },
  },
  "200000000000002": {
    status: 400,
    body: {
      error: {
        message: "(#100) The 24-hour window to sync after onboarding has expired: the business must onboard again.",
        type: "GraphMethodException",
        code: 100,
      },
    },
  },
  "200000000000003": { status: 401, body: { error: { message: "Error validating access token: Session has expired.", type: "OAuthException", code: 190 } } },
  "200000000000004": {
    status: 400,
    body: {
      error: {
        message: "This phone number is not a WhatsApp Business app number onboarded for coexistence.",
        type: "GraphMethodException",
        code: 131000,
        error_subcode: 10,
      },
    },
  },
  "200000000000005": {
    status: 500,
    body: { error: { message: "An unexpected error has occurred. Please retry your request later.", type: "OAuthException", code: 2 } },
  },
};

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      received.push({ url: request.url ?? "", authorization: request.headers.authorization, body: JSON.parse(text) });
      const id = /^\/v\d+\.\d+\/(\d+)\/smb_app_data$/.exec(request.url ?? "")?.[1] ?? "";
      const answer = answers[id] ?? { status: 404, body: { error: { message: "Unknown path", code: 803 } } };
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const ask = (phoneNumberId: string, syncType: "smb_app_state_sync" | "history" = "history") =>
  requestSync({ phoneNumberId, accessToken: TOKEN, syncType, baseUrl });

describe("requestSync", () => {
  it("posts what Meta documents and resolves to the request id", async () => {
    expect(await ask("106540352242922", "smb_app_state_sync")).toEqual({ requestId: "req-1739321024" });
    expect(received.at(-1)).toEqual({
      url: "/v23.0/106540352242922/smb_app_data",
      authorization: `Bearer ${TOKEN}`,
      body: { messaging_product: "whatsapp", sync_type: "smb_app_state_sync" },
    });
    await requestSync({ phoneNumberId: "106540352242922", accessToken: TOKEN, syncType: "history", baseUrl, graphVersion: "v21.0" });
    expect(received.at(-1)?.url).toBe("/v21.0/106540352242922/smb_app_data");
  });

  it.each([
    ["200000000000001", "already-requested", 400, /requested already .* nothing to do/],
    ["200000000000002", "window-expired", 400, /24 hours after onboarding have passed: the business must onboard again/],
    ["200000000000003", "invalid-token", 401, /access token is invalid, expired/],
    ["200000000000004", "not-coexistence", 400, /not a WhatsApp Business app number/],
    ["200000000000005", "graph-error", 500, /Meta refused the request \(Meta said: An unexpected error/],
  ] as const)("%s: a typed %s error that says what to do", async (phoneNumberId, reason, status, advice) => {
    const error = await ask(phoneNumberId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyncRequestError);
    expect(error).toMatchObject({ reason, status, syncType: "history", graphError: (answers[phoneNumberId]!.body as { error: object }).error });
    expect((error as Error).message).toMatch(advice);
  });

  it("a network failure is a retryable network error, with its cause", async () => {
    const cause = new TypeError("fetch failed");
    const error = await requestSync({ phoneNumberId: "106540352242922", accessToken: TOKEN, syncType: "history", fetch: () => Promise.reject(cause) }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ reason: "network", cause });
  });

  it("the CLI's sync asks for both, reads the token from the environment, and says what Meta answered", async () => {
    const token = { WHATSAPP_COEXISTENCE_TOKEN: TOKEN };
    const done = await runCliAsync(["sync", "--phone-number-id", "106540352242922", "--graph-url", baseUrl], token);
    expect(done).toMatchObject({ status: 0, stderr: "" });
    expect(done.stdout).toBe("✓ smb_app_state_sync requested (request id req-1739321024)\n✓ history requested (request id req-1739321024)\n");
    expect(received.slice(-2).map((each) => (each.body as { sync_type: string }).sync_type)).toEqual(["smb_app_state_sync", "history"]);
    const again = await runCliAsync(["sync", "--phone-number-id", "200000000000001", "--type", "history", "--graph-url", baseUrl], token);
    expect(again.status).toBe(0); // already requested: the webhooks are on their way
    expect(again.stderr).toMatch(/requested already/);
    const late = await runCliAsync(["sync", "--phone-number-id", "200000000000002", "--type", "history", "--graph-url", baseUrl], token);
    expect(late.status).toBe(1);
    expect(late.stderr).toMatch(/must onboard again/);
    expect((await runCliAsync(["sync", "--phone-number-id", "1", "--graph-url", baseUrl])).status).toBe(2); // no token
    expect((await runCliAsync(["sync", "--graph-url", baseUrl], token)).status).toBe(2); // no number
  });

  it("refuses what cannot be right before any request", async () => {
    const before = received.length;
    await expect(requestSync({ phoneNumberId: "+1 555", accessToken: TOKEN, syncType: "history", baseUrl })).rejects.toThrow(
      /phoneNumberId must be the business number's id/,
    );
    await expect(requestSync({ phoneNumberId: "1", accessToken: "", syncType: "history", baseUrl })).rejects.toThrow(/accessToken is empty/);
    await expect(requestSync({ phoneNumberId: "1", accessToken: TOKEN, syncType: "contacts" as never, baseUrl })).rejects.toThrow(/syncType must be/);
    expect(received.length).toBe(before);
  });
});
