import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// Timing helpers: ratios against a baseline measured in the same run, minimum of several rounds,
// because these machines are noisy.

/** Milliseconds per call of `fn`, the minimum over `rounds` rounds of `iterations` calls. */
export function timePerCall(fn, iterations, rounds) {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    for (let index = 0; index < iterations; index++) fn();
    best = Math.min(best, (performance.now() - start) / iterations);
  }
  return best;
}

/**
 * Measures several functions interleaved round by round (so a noisy moment hits all of them) and
 * returns each one's best time per call, and `ratio(a, b)`: the median over the rounds of a's time
 * over b's in the same round. A ratio of two bests would pair one function's luckiest round with
 * the other's (this shared machine's clock speed swings by half between seconds); the same
 * round's times were taken under the same conditions.
 */
export function compare(fns, iterations, rounds) {
  const names = Object.keys(fns);
  const best = Object.fromEntries(names.map((name) => [name, Infinity]));
  const perRound = [];
  const warmUp = (fn, calls) => {
    for (let index = 0; index < calls; index++) fn();
  };
  for (const fn of Object.values(fns)) warmUp(fn, Math.max(3, iterations / 10));
  for (let round = 0; round < rounds; round++) {
    const times = {};
    // Each round starts with the next function: where a function runs in the round changes its
    // time (a copy of one build timed twice in one round differs by 2-8% by position alone).
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length];
      const fn = fns[name];
      // From a collected heap: one function's garbage must not be collected on another's clock.
      collectGarbage();
      // A full collection also throws away optimised code whose object shapes died with the garbage
      // (V8 deoptimises it: "weak objects"), which no long-running process does between two calls.
      // Warm the function up again and clear what that left, so the clock times optimised code. As
      // many calls as are timed: after a tenth as many, the 413 B state sync still ran partly
      // unoptimised (1.5-1.75x JSON.parse, against 1.3x in a profile of a steady loop).
      warmUp(fn, iterations);
      collectYoungGarbage();
      times[name] = timePerCall(fn, iterations, 1);
      best[name] = Math.min(best[name], times[name]);
    }
    perRound.push(times);
  }
  const ratio = (a, b) => median(perRound.map((times) => times[a] / times[b]));
  return { ...best, ratio };
}

/** The median of some numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Formats a time in ms with sensible units. */
export function formatTime(ms) {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`;
}

/** One result line: `name  value  ratio (goal)  ok|MISSED`. */
export function line(name, detail, ratio, goal, pass) {
  const verdict = goal === undefined ? "" : pass ? "  ok" : "  MISSED";
  return `${name.padEnd(46)} ${detail.padEnd(34)} ${ratio.padEnd(10)}${goal === undefined ? "" : ` goal ${goal}`}${verdict}`;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

/** A minor collection: clears the young generation (the garbage of the last few calls) without touching code. */
export function collectYoungGarbage() {
  gc({ type: "minor" });
}

/** A full garbage collection, twice (weak references and finalisers settle in the second). */
export function collectGarbage() {
  gc();
  gc();
}

/**
 * Runs a bench script `count` times, each in a fresh process, and returns what each printed (JSON).
 * Goals judged on several runs take the best (the speed issue's "min of several runs").
 */
export function freshRuns(script, count, ...args) {
  const path = fileURLToPath(script);
  const runs = [];
  for (let run = 0; run < count; run++) runs.push(JSON.parse(execFileSync(process.execPath, [path, ...args], { encoding: "utf8", maxBuffer: 1 << 20 })));
  return runs;
}

/** The run whose `pick(run)` is least, of several. */
export function bestOf(runs, pick) {
  return runs.reduce((best, run) => (pick(run) < pick(best) ? run : best));
}

/** Ratios as printed: `1.33x, 1.35x`. */
export function ratios(values) {
  return values.map((value) => `${value.toFixed(2)}x`).join(", ");
}
