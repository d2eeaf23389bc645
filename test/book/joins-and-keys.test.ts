// The small pieces the book's joins rest on, each on its own: the tie rules of the address-book and
// refusal joins, the fields kept of a contact and of a refusal, identity keys, and the key order.
import { describe, expect, it } from "vitest";
import { contactWins, joinDeclined } from "../../src/book/precedence.js";
import { contactFieldsOf, declinedRecordOf, type ContactRecord } from "../../src/book/book-state.js";
import { IDENTITY_KEY, identityKey, identityOfKeys, keysOf, lookupKeys, partyOfKey, phoneOfKey, userIdOfKey } from "../../src/book/identity.js";
import { compareKeys, emptyMap, forEachEntry, getEntry, setEntry } from "../../src/book/persistent-map.js";
import { fixtureText } from "../support/fixtures.js";

const record = (kind: "add" | "remove", timestamp: number, fullName?: string): ContactRecord => ({
  kind,
  timestamp,
  contact: fullName === undefined ? { phoneNumber: "1" } : { phoneNumber: "1", fullName },
});

describe("the address-book join", () => {
  it("the later record wins, either way round", () => {
    expect(contactWins(record("add", 2), record("remove", 1))).toBe(true);
    expect(contactWins(record("remove", 1), record("add", 2))).toBe(false);
  });

  it("at the same time a removal wins over an add", () => {
    expect(contactWins(record("remove", 5), record("add", 5, "Zed"))).toBe(true);
    expect(contactWins(record("add", 5, "Zed"), record("remove", 5))).toBe(false);
  });

  it("at the same time and kind, the greater JSON wins, and a record does not beat itself", () => {
    expect(contactWins(record("add", 5, "Bea"), record("add", 5, "Ana"))).toBe(true);
    expect(contactWins(record("add", 5, "Ana"), record("add", 5, "Bea"))).toBe(false);
    expect(contactWins(record("add", 5, "Ana"), record("add", 5, "Ana"))).toBe(false);
  });
});

describe("the refusal join", () => {
  it("the first refusal is taken; then the greater JSON wins, and an equal one keeps the current", () => {
    const low = { code: 1, title: "a" };
    const high = { code: 1, title: "b" };
    expect(joinDeclined(undefined, low)).toBe(low);
    expect(joinDeclined(low, high)).toBe(high);
    expect(joinDeclined(high, low)).toBe(high);
    const same = { code: 1, title: "b" };
    expect(joinDeclined(high, same)).toBe(high);
  });
});

describe("what a record keeps", () => {
  it("a contact's string fields, in the fixed order, and nothing else", () => {
    const fields = contactFieldsOf({
      countryCode: "BR",
      username: "ana",
      firstName: "Ana",
      fullName: "Ana Lima",
      parentUserId: "BR.ENT.1",
      userId: "BR.1",
      phoneNumber: "5511",
      extra: { a: 1 },
      unknown: "x",
    });
    expect(JSON.stringify(fields)).toBe(
      '{"phoneNumber":"5511","userId":"BR.1","parentUserId":"BR.ENT.1","fullName":"Ana Lima","firstName":"Ana","username":"ana","countryCode":"BR"}',
    );
    for (const field of ["phoneNumber", "userId", "parentUserId", "fullName", "firstName", "username", "countryCode"]) {
      expect(contactFieldsOf({ [field]: 5 })).toEqual({});
      expect(contactFieldsOf({ [field]: "v" })).toEqual({ [field]: "v" });
    }
  });

  it("a refusal's code and its string texts only", () => {
    expect(declinedRecordOf({ code: "2593109", title: "t", message: 5, details: "d", type: "HistoryDeclined" })).toEqual({
      code: 2593109,
      title: "t",
      details: "d",
    });
    expect(JSON.stringify(declinedRecordOf({ details: "d", message: "m", title: "t", code: 1 }))).toBe('{"code":1,"title":"t","message":"m","details":"d"}');
  });
});

describe("identity keys", () => {
  it("a phone number first, then a user id; a parent user id alone is no identity", () => {
    expect(identityKey("1555", "US.1")).toBe("p:1555");
    expect(identityKey(undefined, "US.1")).toBe("u:US.1");
    expect(identityKey(undefined, undefined)).toBeUndefined();
    expect(keysOf({ phoneNumber: "1555", userId: "US.1", parentUserId: "US.ENT.1" })).toEqual(["p:1555", "u:US.1", "v:US.ENT.1"]);
    const into = ["p:0"];
    expect(keysOf({ userId: "US.2" }, into)).toBe(into);
    expect(into).toEqual(["p:0", "u:US.2"]);
  });

  it("a lookup trims, reads a phone number in any format, and otherwise tries both kinds of user id", () => {
    expect(lookupKeys("  +1 (555) 123-0000 ")).toEqual(["p:15551230000"]);
    expect(lookupKeys(" US.13491208655302741918 ")).toEqual(["u:US.13491208655302741918", "v:US.13491208655302741918"]);
  });

  it("keys back to parts", () => {
    expect(identityOfKeys(["u:b", "p:2", "v:z", "p:1", "u:a"])).toEqual({ phoneNumbers: ["1", "2"], userIds: ["a", "b"], parentUserIds: ["z"] });
    expect([phoneOfKey("p:1"), phoneOfKey("u:1"), userIdOfKey("u:US.1"), userIdOfKey("p:1")]).toEqual(["1", undefined, "US.1", undefined]);
    expect(partyOfKey("p:1555")).toEqual({ phoneNumber: "1555" });
    expect(partyOfKey("u:US.1")).toEqual({ userId: "US.1" });
    expect(partyOfKey("v:US.ENT.1")).toEqual({ userId: "US.ENT.1" });
  });

  it("IDENTITY_KEY matches a whole key only", () => {
    expect(["p:1", "u:x", "v:\ny"].map((key) => IDENTITY_KEY.test(key))).toEqual([true, true, true]);
    expect(["xp:1", "p:", "q:1", ""].map((key) => IDENTITY_KEY.test(key))).toEqual([false, false, false, false]);
  });
});

describe("the persistent map's order and collisions", () => {
  it("compares keys by UTF-16 code unit, as PostgreSQL's C collation does", () => {
    expect([compareKeys("a", "b"), compareKeys("b", "a"), compareKeys("a", "a"), compareKeys("Z", "a"), compareKeys("\uffff", "😀")]).toEqual([
      -1, 1, 0, -1, 1,
    ]);
  });

  it("keys that share one hash are all kept, found, replaced and listed, inserted in any order", () => {
    const { phones } = JSON.parse(fixtureText("hostile/fnv-collisions.json")) as { phones: string[] };
    const keys = phones.slice(0, 64);
    for (const order of [keys, [...keys].reverse(), keys.filter((_, index) => index % 2 === 0).concat(keys.filter((_, index) => index % 2 === 1))]) {
      let map = emptyMap<number>();
      order.forEach((key, index) => (map = setEntry(map, key, index)));
      expect(map.size).toBe(keys.length);
      for (const [index, key] of order.entries()) expect(getEntry(map, key)).toBe(index);
      expect(getEntry(map, `${keys[0]}0`)).toBeUndefined();
      const seen: string[] = [];
      forEachEntry(map, (key) => seen.push(key));
      expect(seen.sort()).toEqual([...keys].sort());
      const same = setEntry(map, order[3] as string, 3);
      expect(same).toBe(map);
      const replaced = setEntry(map, order[3] as string, -1);
      expect(getEntry(replaced, order[3] as string)).toBe(-1);
      expect(getEntry(map, order[3] as string)).toBe(3);
      expect(replaced.size).toBe(map.size);
    }
  });
});
