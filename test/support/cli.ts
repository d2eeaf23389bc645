import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** Runs the built CLI to completion. */
export function runCli(
  args: string[],
  input?: string,
  env: Record<string, string> = { NO_COLOR: "1" },
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the built CLI without blocking this process (a server of the test can answer it). */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

/** A running `serve`: its base URL, everything it printed so far, and the process. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `serve --port 0 ...` and waits until it listens. */
export function startServe(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 15_000);
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    let started = false;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = started ? null : /Listening on (http:\/\/[^/]+)\//.exec(output);
      if (match !== null) {
        started = true;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({
          url: match[1] as string,
          child,
          output: () => output,
          stop: (signal = "SIGTERM") =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
              child.once("exit", (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    });
  });
}
