import { afterEach, describe, expect, it } from "vitest";
import { jsonForTerminal, painter, terminalSafe } from "../../src/cli/terminal.js";

const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR, TERM: process.env.TERM };

function paintsOn(isTTY: boolean, env: Partial<Record<keyof typeof saved, string>>): boolean {
  for (const key of Object.keys(saved) as (keyof typeof saved)[]) {
    if (env[key] === undefined) delete process.env[key];
    else process.env[key] = env[key];
  }
  return painter({ isTTY } as NodeJS.WriteStream)("red", "x") !== "x";
}

describe("colour in the terminal (no-color.org, FORCE_COLOR)", () => {
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it("colours a terminal, and not a pipe", () => {
    expect(paintsOn(true, { TERM: "xterm-256color" })).toBe(true);
    expect(paintsOn(false, { TERM: "xterm-256color" })).toBe(false);
  });

  it("a non-empty NO_COLOR turns it off; an empty NO_COLOR= changes nothing", () => {
    expect(paintsOn(true, { NO_COLOR: "1", TERM: "xterm" })).toBe(false);
    expect(paintsOn(true, { NO_COLOR: "", TERM: "xterm" })).toBe(true);
  });

  it("FORCE_COLOR colours a pipe too; FORCE_COLOR=0 turns colour off even on a terminal", () => {
    expect(paintsOn(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(paintsOn(true, { FORCE_COLOR: "0", TERM: "xterm" })).toBe(false);
    expect(paintsOn(false, { FORCE_COLOR: "" })).toBe(false);
  });

  it("a dumb terminal gets no colour", () => {
    expect(paintsOn(true, { TERM: "dumb" })).toBe(false);
  });

  it("control characters from payloads never reach the terminal", () => {
    expect(terminalSafe("Ana\u001b]52;c;aGk=\u0007 \u202eevil")).toBe("Ana\\u{1b}]52;c;aGk=\\u{7} \\u{202e}evil");
  });
});

describe("JSON for the terminal", () => {
  it("escapes C1 controls and bidirectional overrides, and stays the same JSON value", () => {
    const value = { name: "Eve\u202egnp.exe", control: "a\u009bb", plain: "Ana 😀" };
    const text = jsonForTerminal(value);
    expect(text).toBe('{"name":"Eve\\u202egnp.exe","control":"a\\u009bb","plain":"Ana 😀"}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
