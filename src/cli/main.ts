/**
 * The `whatsapp-coexistence` command.
 *
 * @module
 */
import { createRequire } from "node:module";
import type { BusinessFallback } from "../index.js";
import { parseArgs } from "node:util";
import { inspect } from "./inspect.js";
import { replay } from "./replay.js";
import { serve } from "./serve.js";
import { trigger } from "./trigger.js";
import { sync } from "./sync.js";
import { USAGE, UsageError } from "./usage.js";

const COMMANDS = ["inspect", "replay", "serve", "sync", "trigger"] as const;

/** An environment variable's value, or `undefined` when it is unset or empty. */
function emptyAsUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The environment variable `serve` reads a signing secret from (beside any `--secret`). */
const SECRET_VARIABLE = "WHATSAPP_COEXISTENCE_SECRET";

function version(): string {
  const require = createRequire(import.meta.url);
  return (require("../package.json") as { version: string }).version;
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`--${name} takes a whole number, not ${JSON.stringify(value)}.`, "serve");
  return number;
}

/** `--phone-number-id` and `--waba-id`: the business of bodies that name none. */
function businessFallback(phoneNumberId: string | undefined, wabaId: string | undefined, command: string): BusinessFallback {
  if (phoneNumberId === "") throw new UsageError("--phone-number-id takes the business number's id (an unset variable?).", command);
  if (wabaId === "") throw new UsageError("--waba-id takes the WABA id (an unset variable?).", command);
  return { phoneNumberId, wabaId };
}

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    process.stdout.write(`${USAGE.main}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === "-v" || command === "--version") {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command ${JSON.stringify(command)}.`);
  const options = {
    help: { type: "boolean", short: "h" },
    json: { type: "boolean" },
    port: { type: "string" },
    host: { type: "string" },
    secret: { type: "string", multiple: true },
    "verify-token": { type: "string" },
    snapshot: { type: "string" },
    "max-bytes": { type: "string" },
    conversation: { type: "string" },
    "phone-number-id": { type: "string" },
    "waba-id": { type: "string" },
    "allow-unsigned": { type: "boolean" },
    type: { type: "string" },
    "graph-version": { type: "string" },
    "graph-url": { type: "string" },
    "forward-to": { type: "string" },
    "forward-secret": { type: "string" },
    to: { type: "string" },
    customer: { type: "string" },
  } as const;
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${USAGE[command]}\n`);
    return 0;
  }
  const allowed: Record<string, readonly string[]> = {
    inspect: ["json", "phone-number-id", "waba-id"],
    replay: ["json", "conversation", "phone-number-id", "waba-id"],
    serve: ["port", "host", "secret", "verify-token", "snapshot", "max-bytes", "phone-number-id", "waba-id", "allow-unsigned", "forward-to", "forward-secret"],
    sync: ["phone-number-id", "type", "graph-version", "graph-url"],
    trigger: ["to", "secret", "phone-number-id", "customer"],
  };
  for (const name of Object.keys(values)) {
    if (name !== "help" && !(allowed[command] ?? []).includes(name)) throw new UsageError(`${command} does not take --${name}.`, command);
  }
  if (command === "sync") {
    if (positionals.length > 0) throw new UsageError(`sync takes no arguments (got ${positionals.join(" ")}).`, "sync");
    return sync({
      phoneNumberId: values["phone-number-id"],
      type: values.type,
      graphVersion: values["graph-version"],
      graphUrl: values["graph-url"] ?? emptyAsUndefined(process.env.WHATSAPP_COEXISTENCE_GRAPH_URL),
    });
  }
  if (command === "trigger") {
    if (positionals.length > 1) throw new UsageError(`trigger takes one kind (got ${positionals.join(" ")}).`, "trigger");
    return trigger({
      kind: positionals[0],
      to: values.to ?? "http://127.0.0.1:3000/webhook",
      secret: values.secret?.[0] ?? emptyAsUndefined(process.env[SECRET_VARIABLE]),
      phoneNumberId: values["phone-number-id"] ?? "106540352242922",
      businessNumber: "15550783881",
      customer: (values.customer ?? "16505551234").replace(/\D/g, ""),
    });
  }
  const business = businessFallback(values["phone-number-id"], values["waba-id"], command);
  if (command === "inspect") return inspect(positionals, values.json === true, business);
  if (command === "replay") {
    if (values.conversation === "") throw new UsageError("--conversation takes a phone number or user id.", "replay");
    return replay(positionals, values.json === true, values.conversation, business);
  }
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got ${positionals.join(" ")}).`, "serve");
  const port = integer(values.port, "port", 3000);
  if (port > 65535) throw new UsageError(`--port takes a port number (0 to 65535), not ${port}.`, "serve");
  if (values.snapshot === "") throw new UsageError("--snapshot takes a file path, not an empty string (an unset variable?).", "serve");
  // A secret in argv shows in `ps`: the environment is the better place for it.
  const fromEnvironment = emptyAsUndefined(process.env[SECRET_VARIABLE]);
  const secrets = [...(values.secret ?? []), ...(fromEnvironment === undefined ? [] : [fromEnvironment])];
  if (secrets.includes("")) throw new UsageError("--secret takes a non-empty secret (an unset variable?).", "serve");
  const forwardTo = values["forward-to"];
  if (forwardTo !== undefined && !/^https?:\/\/[^\s]+$/.test(forwardTo)) {
    throw new UsageError(`--forward-to takes your app's webhook URL (http:// or https://), not ${JSON.stringify(forwardTo)}.`, "serve");
  }
  if (values["forward-secret"] !== undefined && (forwardTo === undefined || values["forward-secret"] === "")) {
    throw new UsageError("--forward-secret takes a non-empty secret, and only with --forward-to.", "serve");
  }
  const stop = await serve({
    port,
    host: values.host ?? "127.0.0.1",
    secrets,
    ...(values["verify-token"] === undefined ? {} : { verifyToken: values["verify-token"] }),
    ...(values.snapshot === undefined ? {} : { snapshot: values.snapshot }),
    ...(values["max-bytes"] === undefined ? {} : { maxBytes: integer(values["max-bytes"], "max-bytes", 0) }),
    business,
    allowUnsigned: values["allow-unsigned"] === true,
    ...(forwardTo === undefined ? {} : { forward: { to: forwardTo, secret: values["forward-secret"] } }),
  });
  await new Promise<void>((resolve) => {
    const shutdown = () => void stop().then(resolve);
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`whatsapp-coexistence: ${error.message}\n\n${USAGE[error.command ?? "main"]}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`whatsapp-coexistence: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
