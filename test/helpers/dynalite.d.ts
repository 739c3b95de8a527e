/** dynalite (the embedded DynamoDB server for tests) ships no types: the part the tests use. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** Milliseconds a table stays CREATING (0: at once). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** A directory for a persistent store; in memory without it. */
    path?: string;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
