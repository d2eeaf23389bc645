import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyEvents, createContactBook, deserializeBook, getIdentity, listMessages, parseWebhook, safeParseWebhook, serializeBook } from "../../src/index.js";
import { fixtureText, metaBody, validBodies } from "../support/fixtures.js";
import { ROOT, runCli } from "../support/cli.js";

const work = mkdtempSync(join(tmpdir(), "cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("help, version and usage errors", () => {
  it.each([["--help"], ["-h"], ["inspect", "--help"], ["replay", "-h"], ["serve", "--help"]])("%s %s prints usage and exits 0", (...args) => {
    const result = runCli(args.filter(Boolean));
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: whatsapp-coexistence/);
  });

  it("--version prints the package version", () => {
    expect(runCli(["--version"])).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it.each([
    [["bogus"], /Unknown command "bogus"/],
    [["inspect", "--nope", "x"], /Unknown option '--nope'/],
    [["inspect"], /takes a file/],
    [["serve", "--port", "70000"], /port number \(0 to 65535\)/],
    [["serve", "--port", "http"], /--port takes a whole number/],
    [["serve", "--snapshot", ""], /not an empty string/],
    [["inspect", "-", "b"], /standard input \(-\) on its own/],
    [["inspect", "missing.json"], /Cannot read missing.json/],
    [["replay"], /at least one file/],
    [["replay", "nowhere"], /No such file or folder: nowhere/],
    [["replay", "fixtures/meta", "--port", "1"], /replay does not take --port/],
    [["serve", "extra"], /serve takes no arguments/],
    [["serve", "--port", "x"], /--port takes a whole number/],
    [[], /Usage:/],
  ])("%j is a usage error (exit 2)", (args, message) => {
    const result = runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr + result.stdout).toMatch(message);
  });
});

describe("inspect", () => {
  it("--json prints exactly the events, one JSON document per line (every fixture, in one process)", () => {
    const fixtures = validBodies();
    const result = runCli(["inspect", "--json", ...fixtures.map((fixture) => join("fixtures", fixture.name))]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const expected = fixtures.flatMap((fixture) => parseWebhook(fixture.text)).map((event) => `${JSON.stringify(event)}\n`);
    expect(result.stdout).toBe(expected.join(""));
  });

  it("prints one readable line per event", async () => {
    const result = runCli(["inspect", "fixtures/meta/mixed-batch.json"]);
    expect(result.status).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot("../__snapshots__/cli/inspect-mixed-batch.txt");
  });

  it("reads standard input with -", () => {
    const text = fixtureText("meta/echo-media.json");
    const result = runCli(["inspect", "--json", "-"], text);
    expect(result.status).toBe(0);
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual(parseWebhook(text));
  });

  it("prints every issue with its path, the good events still, and exits 1", () => {
    const result = runCli(["inspect", "fixtures/invalid/partly-bad-state-sync.json"]);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split("\n")).toHaveLength(2);
    expect(result.stderr).toBe(
      [
        '✗ entry[0].changes[0].value.state_sync[1].action: Expected "add" or "remove" but received "edit".',
        '✗ entry[0].changes[0].value.state_sync[2].metadata.timestamp: Expected a unix timestamp in seconds or milliseconds (an integer or a string of digits, at most 8640000000000 seconds) but received "yesterday".',
        "✗ entry[0].changes[1].value.message_echoes[0].id: Expected a non-empty string id but received 12345.",
        "",
      ].join("\n"),
    );
    expect(runCli(["inspect", "-"], "not json")).toMatchObject({ status: 1, stderr: expect.stringMatching(/^✗ \(body\): The body is not valid JSON/) });
  });
});

describe("replay", () => {
  const goodEvents = validBodies().flatMap((fixture) => parseWebhook(fixture.text));

  it("--json prints the folded book as one document", () => {
    const result = runCli(["replay", "--json", "fixtures/meta", "fixtures/360dialog"]);
    expect(result.status).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data).toEqual(serializeBook(applyEvents(createContactBook(), goodEvents)));
    expect(serializeBook(deserializeBook(data))).toEqual(data);
  });

  it("prints each business's contacts, conversations and history sync", async () => {
    const result = runCli(["replay", "fixtures/meta", "fixtures/360dialog"]);
    expect(result.status).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot("../__snapshots__/cli/replay-fixtures.txt");
  });

  it("says how many events it could not place, and why; --phone-number-id places a body that names no business", () => {
    const bare = runCli(["replay", "--json", "fixtures/360dialog/partner-forward-no-metadata.json"]);
    expect(bare.status).toBe(0);
    expect(bare.stderr).toBe(
      "! 1 event names no business (no metadata.phone_number_id in the body): pass the phoneNumberId parse option to place them.\n" +
        "  (on the command line: --phone-number-id <id>)\n",
    );
    expect(JSON.parse(bare.stdout).businesses).toEqual([]);
    const placed = runCli(["replay", "--json", "--phone-number-id", "106540352242922", "fixtures/360dialog/partner-forward-no-metadata.json"]);
    expect(placed).toMatchObject({ status: 0, stderr: "" });
    expect(JSON.parse(placed.stdout).businesses.map((business: { phoneNumberId: string }) => business.phoneNumberId)).toEqual(["106540352242922"]);
    const groups = runCli(["replay", "fixtures/meta/group-message-and-statuses.json"]);
    expect(groups.stderr).toBe("! 3 group events are kept out of one-to-one conversations (participants are linked).\n");
    expect(runCli(["inspect", "--phone-number-id", "", "fixtures/meta/echo-text.json"]).status).toBe(2);
  });

  it("inspect --phone-number-id names the business of a body that names none", () => {
    const result = runCli([
      "inspect",
      "--json",
      "--phone-number-id",
      "106540352242922",
      "--waba-id",
      "1",
      "fixtures/360dialog/partner-forward-no-metadata.json",
    ]);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: "ContactAdded", phoneNumberId: "106540352242922", wabaId: "1" });
  });

  it("--conversation prints one person's timeline, by any identifier, oldest first", async () => {
    const result = runCli(["replay", "fixtures/meta", "fixtures/360dialog", "--conversation", "+34 612 34 56 78"]);
    expect(result.status).toBe(0);
    await expect(result.stdout).toMatchFileSnapshot("../__snapshots__/cli/replay-conversation.txt");
    const davi = runCli(["replay", "fixtures/meta", "--conversation", "BR.ENT.5521000000000001"]).stdout;
    expect(davi).toBe(runCli(["replay", "fixtures/meta", "--conversation", "BR.2186878922080769"]).stdout);
    expect(davi).toContain("BR.2186878922080769, BR.ENT.5521000000000001");
  });

  it("--conversation --json gives the timeline as data, exactly as listMessages pages it", () => {
    const result = runCli(["replay", "--json", "--conversation", "34612345678", "fixtures/meta", "fixtures/360dialog"]);
    expect(result.status).toBe(0);
    const book = applyEvents(createContactBook(), goodEvents);
    expect(JSON.parse(result.stdout)).toEqual({
      conversation: "34612345678",
      businesses: [
        {
          phoneNumberId: "106540352242922",
          identity: getIdentity(book, "106540352242922", "34612345678"),
          messages: listMessages(book, "106540352242922", "34612345678"),
        },
      ],
    });
  });

  it("--conversation with someone the bodies never mention says so; an empty key is a usage error", () => {
    expect(runCli(["replay", "fixtures/meta", "--conversation", "999"])).toMatchObject({ status: 0, stdout: "No conversation with 999 in these bodies.\n" });
    expect(runCli(["replay", "--json", "fixtures/meta", "--conversation", "999"]).stdout).toBe('{"conversation":"999","businesses":[]}\n');
    expect(runCli(["replay", "fixtures/meta", "--conversation", ""]).status).toBe(2);
    expect(runCli(["inspect", "fixtures/meta/echo-text.json", "--conversation", "1"]).status).toBe(2);
  });

  it("reports a bad file by name, folds the rest, and exits 1", () => {
    const result = runCli(["replay", "--json", "fixtures/meta/state-sync-initial.json", "fixtures/invalid/other-product.json", "fixtures/meta/echo-text.json"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^✗ fixtures\/invalid\/other-product\.json: object: Expected "whatsapp_business_account"/);
    const expected = applyEvents(createContactBook(), [
      ...parseWebhook(fixtureText("meta/state-sync-initial.json")),
      ...parseWebhook(fixtureText("meta/echo-text.json")),
    ]);
    expect(JSON.parse(result.stdout)).toEqual(serializeBook(expected));
  });

  it("reads .ndjson files, one body per line, and names a bad line", () => {
    const minified = (name: string) => JSON.stringify(JSON.parse(fixtureText(name)));
    const lines = [minified("meta/state-sync-initial.json"), minified("meta/state-sync-remove.json"), "{broken", minified("meta/history-chunk.json")];
    const file = join(work, "capture.ndjson");
    writeFileSync(file, `${lines.join("\n")}\n\n`);
    const result = runCli(["replay", "--json", file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`✗ ${file}:3: (body): The body is not valid JSON`);
    const events = [0, 1, 3].flatMap((index) => parseWebhook(lines[index]!));
    expect(JSON.parse(result.stdout)).toEqual(serializeBook(applyEvents(createContactBook(), events)));
  });
});

describe("display paths survive any number", () => {
  it("a time no date can hold prints as it is (a snapshot written by hand can hold one)", async () => {
    const { time } = await import("../../src/cli/book-report.js");
    expect(time(1739321024)).toBe("2025-02-12 00:43 UTC");
    expect(time(999_999_999_999_999)).toBe("999999999999999s");
    expect(time(Number.NaN)).toBe("NaNs");
  });
});

describe("output from payloads cannot drive the terminal", () => {
  it("escapes control characters in names, bodies, paths and issues (OSC 52, ESC, CR, C1, bidi overrides)", () => {
    const evil = "Ana\u001b]52;c;ZXZpbA==\u0007\u001b[2K\r\u009b31m\u202e";
    const body = metaBody(
      [
        {
          field: "smb_app_state_sync",
          value: {
            metadata: { display_phone_number: "1", phone_number_id: evil },
            state_sync: [{ type: "contact", contact: { full_name: evil, phone_number: "16505551234" }, action: "add", metadata: { timestamp: 1 } }],
          },
        },
        {
          field: "smb_message_echoes",
          value: {
            metadata: { display_phone_number: "1", phone_number_id: "2" },
            message_echoes: [
              { from: "1", to: "16505551234", id: "wamid.1", timestamp: 1, type: "text", text: { body: evil } },
              { id: evil, timestamp: 1, type: 5 },
            ],
          },
        },
        { field: evil, value: {} },
      ],
      "1",
    );
    const result = runCli(["inspect", "-"], body, { FORCE_COLOR: "1" });
    // eslint-disable-next-line no-control-regex -- control characters are what this matches
    const controls = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u202a-\u202e]|\u001b(?!\[\d+m)/;
    expect(result.stdout).toMatch(/\\u\{1b\}\]52/); // shown, not acted on
    expect(result.stdout).not.toMatch(controls);
    expect(result.stderr).not.toMatch(controls);
    expect(result.stdout).toContain("\u001b["); // FORCE_COLOR: our own colours still work
    const folder = mkdtempSync(join(tmpdir(), "evil-"));
    try {
      writeFileSync(join(folder, "evil.json"), body);
      const replayed = runCli(["replay", folder], undefined, { FORCE_COLOR: "1" });
      expect(replayed.stdout).toMatch(/\\u\{1b\}\]52/); // the contact's name, in the book report
      expect(replayed.stdout).not.toMatch(controls);
      expect(replayed.stderr).not.toMatch(controls);
      // --json too: the same JSON values, with C1 controls and bidi overrides escaped.
      const json = runCli(["inspect", "--json", "-"], body);
      expect(json.stdout).not.toMatch(controls);
      const events = json.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown);
      expect(events).toEqual(safeParseWebhook(body).events);
      const book = runCli(["replay", "--json", folder]);
      expect(book.stdout).not.toMatch(controls);
      expect(JSON.parse(book.stdout)).toEqual(serializeBook(applyEvents(createContactBook(), safeParseWebhook(body).events)));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("an empty NO_COLOR= does not turn colour off; a non-empty one does", () => {
    const file = "fixtures/meta/echo-text.json";
    expect(runCli(["inspect", file], undefined, { NO_COLOR: "", FORCE_COLOR: "1" }).stdout).toContain("\u001b[");
    expect(runCli(["inspect", file], undefined, { NO_COLOR: "1" }).stdout).not.toContain("\u001b[");
  });
});
