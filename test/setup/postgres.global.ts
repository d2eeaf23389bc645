/**
 * Vitest global setup: one throwaway PostgreSQL cluster for the whole run (when PostgreSQL is
 * installed; under CI=true it must be).
 */
import type { TestProject } from "vitest/node";
import { postgresBin, startCluster, type ClusterInfo } from "../../scripts/postgres-cluster.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: ClusterInfo | null;
  }
}

export default function setup(project: TestProject): (() => void) | undefined {
  const bin = postgresBin();
  if (bin === undefined) {
    if (process.env.CI !== undefined) throw new Error("PostgreSQL is not installed: .ci/run installs Debian's postgresql package.");
    console.warn("Skipping the PostgreSQL tests: no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql).");
    project.provide("postgres", null);
    return undefined;
  }
  const cluster = startCluster(bin);
  project.provide("postgres", cluster.info);
  return cluster.stop;
}
