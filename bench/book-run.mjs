// One run of the book's two contact goals, in a process of its own (`node bench/book-run.mjs`):
// prints as JSON the best times and the median ratio of each case. bench/book.bench.mjs starts
// several of these runs and judges each goal on the best.
import { measureContactCases } from "./book.bench.mjs";

process.stdout.write(`${JSON.stringify(measureContactCases())}\n`);
