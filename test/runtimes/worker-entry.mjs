// Entry for workerd (Miniflare): POST the fixtures, get the results.
import * as library from "../../dist/index.js";
import { runChecks } from "./checks.mjs";

export default {
  async fetch(request) {
    return Response.json({ runtime: "workerd", results: await runChecks(library, await request.json()) });
  },
};
