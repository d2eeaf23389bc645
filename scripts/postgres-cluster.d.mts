/** How to reach the cluster. */
export interface ClusterInfo {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

/** The newest installed PostgreSQL's bin folder, or undefined. */
export function postgresBin(): string | undefined;

/** Starts a throwaway cluster; returns where it is and how to stop (and remove) it. */
export function startCluster(bin: string): { info: ClusterInfo; stop: () => void };
