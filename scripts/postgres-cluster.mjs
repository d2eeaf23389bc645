/**
 * A throwaway PostgreSQL cluster for the tests: initdb into a temp folder, pg_ctl start on a unix
 * socket of our own, removed afterwards; so the suite needs no running service. As root (CI), the
 * server runs as the `postgres` user that Debian's package creates, since initdb refuses root.
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/** The newest installed PostgreSQL's bin folder, or undefined. */
export function postgresBin() {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin");
}

/** Starts a cluster; returns where it is and how to stop it. */
export function startCluster(bin) {
  const root = process.getuid?.() === 0;
  const folder = mkdtempSync(join(tmpdir(), "wc-postgres-"));
  const data = join(folder, "data");
  const socket = join(folder, "socket");
  mkdirSync(socket);
  const asServerUser = (command, args) =>
    root
      ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, command), ...args], { stdio: "pipe" })
      : execFileSync(join(bin, command), args, { stdio: "pipe" });
  if (root) {
    const { uid, gid } = { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) };
    chownSync(folder, uid, gid);
    chownSync(socket, uid, gid);
  }
  const user = root ? "postgres" : userInfo().username;
  asServerUser("initdb", ["-D", data, "-U", user, "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = 20000 + Math.floor(Math.random() * 30000);
  const options = `-k ${socket} -p ${port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  asServerUser("pg_ctl", ["-D", data, "-o", options, "-l", join(folder, "server.log"), "-w", "-t", "60", "start"]);
  return {
    info: { host: socket, port, user, database: "postgres" },
    stop: () => {
      try {
        asServerUser("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
