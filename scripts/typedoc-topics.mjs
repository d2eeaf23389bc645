// A TypeDoc plugin: the API reference grouped by topic (parsing, events, the book, receiving, the
// store, lifecycle, the CLI's helpers), each export's topic being the folder of src/ that declares it.
import { Comment, CommentTag, Converter } from "typedoc";

const TOPICS = {
  parsing: "Parsing",
  schemas: "Parsing",
  fast: "Parsing",
  core: "Parsing",
  events: "Events",
  book: "Contact book",
  receiving: "Receiving webhooks",
  lifecycle: "Lifecycle",
  postgres: "PostgreSQL store",
  cli: "Command line",
};

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_CREATE_DECLARATION,
    (context, reflection) => {
      const symbol = context.getSymbolFromReflection(reflection);
      const file = symbol?.declarations?.[0]?.getSourceFile().fileName;
      const folder = file === undefined ? undefined : /\/src\/([^/]+)\//.exec(file)?.[1];
      const topic = folder === undefined ? undefined : TOPICS[folder];
      if (topic === undefined || reflection.parent?.kindOf?.(1 | 2) === false) return;
      reflection.comment ??= new Comment();
      if (reflection.comment.blockTags.some((tag) => tag.tag === "@category")) return;
      reflection.comment.blockTags.push(new CommentTag("@category", [{ kind: "text", text: topic }]));
    },
    -100,
  );
}
