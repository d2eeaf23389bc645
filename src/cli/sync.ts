/**
 * `sync`: asks Meta to send a business's address book and chat history (once each, within 24 hours
 * of onboarding).
 *
 * @module
 */
import { requestSync, SyncRequestError, type RequestSyncOptions } from "../index.js";
import { painter, terminalSafe } from "./terminal.js";
import { UsageError } from "./usage.js";

/** The environment variable the access token is read from (never argv, which `ps` shows). */
export const TOKEN_VARIABLE = "WHATSAPP_COEXISTENCE_TOKEN";

/** What `sync` was asked for. */
export interface SyncCommand {
  readonly phoneNumberId: string | undefined;
  readonly type: string | undefined;
  readonly graphVersion: string | undefined;
  readonly graphUrl: string | undefined;
}

/** Runs `sync`; resolves to the exit code (1 when Meta refused a request). */
export async function sync(command: SyncCommand): Promise<number> {
  const { phoneNumberId } = command;
  if (phoneNumberId === undefined || phoneNumberId === "") throw new UsageError("sync needs --phone-number-id <id>.", "sync");
  const accessToken = process.env[TOKEN_VARIABLE];
  if (accessToken === undefined || accessToken === "") throw new UsageError(`sync reads the business's access token from ${TOKEN_VARIABLE}.`, "sync");
  const type = command.type ?? "both";
  if (type !== "both" && type !== "smb_app_state_sync" && type !== "history")
    throw new UsageError(`--type is smb_app_state_sync, history or both, not ${JSON.stringify(type)}.`, "sync");
  const types: RequestSyncOptions["syncType"][] = type === "both" ? ["smb_app_state_sync", "history"] : [type];
  const paint = painter(process.stdout);
  let code = 0;
  for (const syncType of types) {
    try {
      const { requestId } = await requestSync({ phoneNumberId, accessToken, syncType, graphVersion: command.graphVersion, baseUrl: command.graphUrl });
      process.stdout.write(`${paint("green", "✓")} ${syncType} requested (request id ${terminalSafe(requestId)})\n`);
    } catch (error) {
      if (!(error instanceof SyncRequestError)) throw error;
      process.stderr.write(`${painter(process.stderr)("red", "✗")} ${terminalSafe(error.message)}\n`);
      // Already requested is no failure: the webhooks are coming.
      if (error.reason !== "already-requested") code = 1;
    }
  }
  return code;
}
