// Every export of the package must carry an @example in its TSDoc: reads typedoc's JSON output.
import { readFileSync } from "node:fs";

const api = JSON.parse(readFileSync(process.argv[2] ?? "docs/api/api.json", "utf8"));
const MODULE = 2;
const exports = (node) =>
  node.kind === 1 || node.kind === MODULE ? (node.children ?? []).flatMap((child) => (child.kind === MODULE ? exports(child) : [child])) : [];
const missing = exports(api).filter((node) => {
  const comments = [node.comment, ...(node.signatures ?? []).map((signature) => signature.comment)].filter(Boolean);
  return !comments.some((comment) => (comment.blockTags ?? []).some((tag) => tag.tag === "@example"));
});
const total = exports(api).length;
if (missing.length > 0) {
  console.error(`${missing.length} of ${total} exports have no @example: ${missing.map((node) => node.name).join(", ")}`);
  process.exit(1);
}
console.log(`docs: all ${total} exports have an @example`);
