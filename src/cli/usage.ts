/**
 * The command line's usage texts and its usage error.
 *
 * @module
 */

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {
  /** @param message - what was wrong; @param command - whose usage to print. */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

const MAIN = `Usage: whatsapp-coexistence <command> [options]

Commands:
  inspect <file|-> [...]   print the events of webhook bodies (- reads standard input)
  replay <files|folders>   fold bodies (.json, or .ndjson with one body per line) into a contact
                           book and print its contacts, conversations and history sync
  serve                    run a local webhook receiver with a live page
  sync --phone-number-id   ask Meta for a business's address book and history (once each, within
                           24 hours of onboarding; the token from WHATSAPP_COEXISTENCE_TOKEN)
  trigger <kind>           send a realistic signed webhook of one kind to serve or your app

Options:
  --phone-number-id <id>   the business of bodies that name none (no metadata); never overrides
  --waba-id <id>           what a body names (inspect, replay, serve)
  -h, --help               print usage (also after a command)
  -v, --version            print the version

Exit codes: 0 success, 1 a body did not parse (after reporting it), 2 a usage error.`;

/** Usage per command. */
export const USAGE: Readonly<Record<string, string>> = {
  main: MAIN,
  inspect: `Usage: whatsapp-coexistence inspect <file|-> [file ...] [--json] [--phone-number-id ID] [--waba-id ID]

Prints the events of each webhook body, one line each (colour on a terminal; NO_COLOR turns it off).
  --json       one JSON event per line
Every issue is printed with its path; a body with issues exits 1.`,
  replay: `Usage: whatsapp-coexistence replay <files or folders...> [--json] [--conversation <key>]

Folds every body (.json files, or .ndjson with one body per line; folders are searched) into one
contact book and prints, per business, its contacts, conversations and history sync.
  --json                the book as one JSON document (the format serve --snapshot writes)
  --conversation <key>  instead, the timeline of the person a phone number or user id names:
                        each message in its current state (edits, revokes, reactions, statuses),
                        oldest first; with --json, { conversation, businesses: [{ phoneNumberId,
                        identity, messages }] } with messages newest first, as listMessages gives them
A bad file or line is reported with its name and skipped; the rest is still folded; exit 1 at the end.
What the book could not place is said on standard error, with why: bodies that name no business
(give it with --phone-number-id), messages that name no customer, group traffic.`,
  serve: `Usage: whatsapp-coexistence serve [--port 3000] [--host 127.0.0.1] [--secret S]... [--verify-token T] [--snapshot book.json] [--max-bytes N] [--phone-number-id ID] [--allow-unsigned] [--forward-to URL [--forward-secret S]]

A local webhook receiver for development (point a tunnel at it):
  POST /webhook    webhooks (signatures checked when --secret is given, or the environment
                   variable WHATSAPP_COEXISTENCE_SECRET, which keeps it out of \`ps\`; repeat
                   --secret for several). Without a secret, only this machine may write: the
                   Host must be loopback and browsers' cross-origin requests are refused.
  GET  /webhook    the subscription handshake (needs --verify-token)
  GET  /           the live inspector: every delivery as it arrives (signature verdict, answer,
                   events, issues, raw body on demand) and the book (contacts, conversations and
                   their timelines), updated live through server-sent events (GET /live)
  GET  /book       the book as JSON (?form=lines: one record a line)
Reads (/, /book, /summary, /live, /api/*) answer this machine's Host, or the token printed at
start (/?token=...): a tunnel's Host gets 403 for them. Without a secret serve listens only on a
loopback address, unless --allow-unsigned.
Each event is printed as it arrives. With --snapshot the book is written atomically after every
change and loaded again on start.
  --forward-to URL       after acknowledging it, send each accepted delivery on to your app, its
                         body byte for byte with its own X-Hub-Signature-256 (so your app checks
                         it with the same secret); the app's status, answer and latency show beside
                         the delivery, in the terminal and the inspector
  --forward-secret S     sign what is forwarded with this secret instead (your app's own)`,
  sync: `Usage: whatsapp-coexistence sync --phone-number-id ID [--type smb_app_state_sync|history|both] [--graph-version v23.0]

Asks Meta to send a coexistence number's address book (smb_app_state_sync) and chat history
(history): POST /{phone-number-id}/smb_app_data, once each, within 24 hours of onboarding. The
business's access token is read from the environment variable WHATSAPP_COEXISTENCE_TOKEN (argv
shows in ps). Prints each request id; a refusal says what to do and exits 1 ("already requested"
is no failure: the webhooks are on their way).
  --type           which sync (default both: the address book, then the history)
  --graph-url      another Graph API origin (a local fake, for tests; or WHATSAPP_COEXISTENCE_GRAPH_URL)`,
  trigger: `Usage: whatsapp-coexistence trigger <kind> [--to URL] [--secret S] [--phone-number-id ID] [--customer NUMBER]

Sends one realistic webhook of a kind (modelled on real traffic: address-book changes, echoes of
each common type, a received message, a status, a history chunk in both envelopes, a refusal, the
history's media, a BSUID rotation), signed as Meta signs it, and prints the answer.
  --to                where to send it (default http://127.0.0.1:3000/webhook: serve)
  --secret            the app secret to sign with (or WHATSAPP_COEXISTENCE_SECRET); without one
                      the webhook goes unsigned
  --phone-number-id   the business it is for (default 106540352242922)
  --customer          the customer's phone number (default 16505551234)
Run it without a kind for the list of kinds. Exits 0 when the endpoint answered 2xx, else 1.`,
};
