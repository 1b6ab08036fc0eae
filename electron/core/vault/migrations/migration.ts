import type { Db } from '../database';

/** One numbered schema step. `up` is SQL or a function; all pending steps run in one transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Db) => void);
}
