// Generates fixtures/hostile/fnv-collisions.json: valid 15-digit phone numbers whose book keys
// ("p:<digits>") share one 32-bit FNV-1a hash, found by meet-in the middle (forward over the first
// 8 digits, backward from the target hash over the last 7). The hash-flooding regression test reads
// them. Usage: node scripts/fnv-collisions.mjs [count]
import { writeFileSync, mkdirSync } from "node:fs";

const PRIME = 0x01000193;
const INVERSE = 0x359c449b; // PRIME * INVERSE ≡ 1 (mod 2^32)
const wanted = Number(process.argv[2] ?? 12_000);

const step = (hash, code) => Math.imul((hash ^ code) >>> 0, PRIME) >>> 0;
const back = (hash, code) => (Math.imul(hash, INVERSE) >>> 0) ^ code;
const hashOf = (text) => [...text].reduce((hash, char) => step(hash, char.charCodeAt(0)), 0x811c9dc5);

const TARGET = hashOf("p:100000000000000");
const PREFIX = step(step(0x811c9dc5, 0x70 /* p */), 0x3a /* : */);

// Forward: the state after "p:" and an 8-digit head, for heads 10000000..21999999.
const SLOTS = 1 << 25;
const keys = new Uint32Array(SLOTS);
const heads = new Uint32Array(SLOTS); // head + 1, 0 = empty
for (let head = 10_000_000; head < 22_000_000; head++) {
  let hash = PREFIX;
  const digits = String(head);
  for (let index = 0; index < 8; index++) hash = step(hash, digits.charCodeAt(index));
  let slot = (Math.imul(hash, 0x9e3779b1) >>> 7) & (SLOTS - 1);
  while (heads[slot] !== 0 && keys[slot] !== hash) slot = (slot + 1) & (SLOTS - 1);
  keys[slot] = hash;
  heads[slot] = head + 1;
}

// Backward: the state a 7-digit tail must start from to end at the target; a match is a collision.
const found = new Set();
for (let tail = 0; tail < 10_000_000 && found.size < wanted; tail++) {
  const digits = String(tail).padStart(7, "0");
  let hash = TARGET;
  for (let index = 6; index >= 0; index--) hash = back(hash, digits.charCodeAt(index));
  let slot = (Math.imul(hash, 0x9e3779b1) >>> 7) & (SLOTS - 1);
  while (heads[slot] !== 0) {
    if (keys[slot] === hash) {
      found.add(`${heads[slot] - 1}${digits}`);
      break;
    }
    slot = (slot + 1) & (SLOTS - 1);
  }
}
const phones = [...found].sort();
for (const phone of phones) if (hashOf(`p:${phone}`) !== TARGET) throw new Error(`not a collision: ${phone}`);
mkdirSync(new URL("../fixtures/hostile/", import.meta.url), { recursive: true });
writeFileSync(new URL("../fixtures/hostile/fnv-collisions.json", import.meta.url), `${JSON.stringify({ hash: TARGET, phones })}\n`);
console.log(`${phones.length} phone numbers with FNV-1a("p:<digits>") = ${TARGET}`);
