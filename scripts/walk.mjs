// npm run walk [-- <fixture> ...]: the path a body takes through parseWebhook, traced. Every function
// of src/ is compiled with a probe at its entry (TypeScript's transformer API, into .artifacts/walk/),
// then the fixture bodies are parsed and the functions entered are recorded in order. It prints, per
// body: the stops (functions entered, each call once), the rooms (files they are in) and the climbs
// back up (entering a file the path had already left: the reader goes back to a room seen before).
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, ".artifacts", "walk");

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith(".ts") ? [path] : [];
  });
}

/** A transformer that puts `__walk(file, name)` first in every function body. */
function probe(file) {
  return (context) => {
    const f = context.factory;
    const call = (name) =>
      f.createExpressionStatement(
        f.createCallExpression(f.createIdentifier("globalThis.__walk"), undefined, [f.createStringLiteral(file), f.createStringLiteral(name)]),
      );
    const nameOf = (node) =>
      node.name && ts.isIdentifier(node.name)
        ? node.name.text
        : ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)
          ? node.parent.name.text
          : ts.isPropertyAssignment(node.parent) && ts.isIdentifier(node.parent.name)
            ? node.parent.name.text
            : `(anonymous:${node.pos})`;
    const visit = (original) => {
      const name = original.parent === undefined ? "(anonymous)" : nameOf(original);
      let node = ts.visitEachChild(original, visit, context);
      const isFunction =
        ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isArrowFunction(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isConstructorDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) ||
        ts.isSetAccessorDeclaration(node);
      if (!isFunction || node.body === undefined) return node;
      const body = ts.isBlock(node.body) ? node.body : f.createBlock([f.createReturnStatement(node.body)], true);
      const statements = [...body.statements];
      // Keep a constructor's super() call first.
      const first =
        ts.isConstructorDeclaration(node) &&
        statements[0] &&
        ts.isExpressionStatement(statements[0]) &&
        statements[0].expression.kind === ts.SyntaxKind.CallExpression &&
        statements[0].expression.expression.kind === ts.SyntaxKind.SuperKeyword
          ? 1
          : 0;
      statements.splice(first, 0, call(name));
      const block = f.updateBlock(body, statements);
      if (ts.isFunctionDeclaration(node))
        return f.updateFunctionDeclaration(node, node.modifiers, node.asteriskToken, node.name, node.typeParameters, node.parameters, node.type, block);
      if (ts.isFunctionExpression(node))
        return f.updateFunctionExpression(node, node.modifiers, node.asteriskToken, node.name, node.typeParameters, node.parameters, node.type, block);
      if (ts.isArrowFunction(node))
        return f.updateArrowFunction(node, node.modifiers, node.typeParameters, node.parameters, node.type, node.equalsGreaterThanToken, block);
      if (ts.isMethodDeclaration(node))
        return f.updateMethodDeclaration(
          node,
          node.modifiers,
          node.asteriskToken,
          node.name,
          node.questionToken,
          node.typeParameters,
          node.parameters,
          node.type,
          block,
        );
      if (ts.isConstructorDeclaration(node)) return f.updateConstructorDeclaration(node, node.modifiers, node.parameters, block);
      if (ts.isGetAccessorDeclaration(node)) return f.updateGetAccessorDeclaration(node, node.modifiers, node.name, node.parameters, node.type, block);
      return f.updateSetAccessorDeclaration(node, node.modifiers, node.name, node.parameters, block);
    };
    return (sourceFile) => ts.visitNode(sourceFile, visit);
  };
}

rmSync(OUT, { recursive: true, force: true });
for (const path of sources(join(ROOT, "src"))) {
  const file = relative(join(ROOT, "src"), path);
  const { outputText } = ts.transpileModule(readFileSync(path, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    transformers: { before: [probe(file)] },
  });
  const target = join(OUT, file.replace(/\.ts$/, ".js"));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, outputText);
}

globalThis.__walk = () => {};
const { parseWebhook } = await import(pathToFileURL(join(OUT, "parsing", "parse-webhook.js")).href);
const fixtures = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["meta/echo-text.json", "meta/history-chunk.json", "360dialog/history-chunk.json"];
for (const fixture of fixtures) {
  const body = readFileSync(join(ROOT, "fixtures", fixture), "utf8");
  parseWebhook(body); // once, so that lazily built schemas are not part of the walk
  const calls = [];
  globalThis.__walk = (file, name) => calls.push(`${file}#${name}`);
  parseWebhook(body);
  globalThis.__walk = () => {};
  // The path: each function the first time it is entered (a reader reads it once), in order.
  const seen = new Set();
  const stops = calls.filter((stop) => !seen.has(stop) && seen.add(stop));
  const rooms = new Set(stops.map((stop) => stop.split("#")[0]));
  let climbs = 0;
  const left = new Set();
  let current;
  for (const stop of stops) {
    const room = stop.split("#")[0];
    if (room === current) continue;
    if (left.has(room)) climbs++;
    if (current !== undefined) left.add(current);
    current = room;
  }
  console.log(`${fixture}: ${stops.length} stops in ${rooms.size} rooms, ${climbs} climbs back up (${calls.length} calls in all)`);
  if (process.env.WALK_PATH === "1") {
    let last;
    for (const stop of stops) {
      const [room, name] = stop.split("#");
      console.log(room === last ? `    ${name}` : `  ${room}: ${name}`);
      last = room;
    }
  }
}
