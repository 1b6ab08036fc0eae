import type { Db } from '../vault/database';
import { DIM } from './dimensions';

/**
 * The chain covers each event's stored JSON and its actor_id/ip_id columns; the dictionary those ids
 * point into (dim_values), which filters and the Overview search through, is not hashed. Someone holding
 * the key could rename a dictionary entry to hide a person's events from searches while every hash still
 * verifies. Since ids are hashed, every event sharing an id was appended with the same value: checking one
 * event per id (its first) against the dictionary finds any renamed, swapped or removed entry.
 */
export interface IndexProblem {
  seq: number;
  message: string;
}

/** The first seq carrying each actor id and each IP id, in one pass over three integer columns. */
function representatives(db: Db): { actor: Map<number, number>; ip: Map<number, number> } {
  const actor = new Map<number, number>();
  const ip = new Map<number, number>();
  const rows = db.prepare<[], [number | null, number | null, number]>('SELECT actor_id, ip_id, seq FROM events ORDER BY seq').raw(true).iterate();
  for (const [a, i, seq] of rows) {
    if (a !== null && !actor.has(a)) actor.set(a, seq);
    if (i !== null && !ip.has(i)) ip.set(i, seq);
  }
  return { actor, ip };
}

function firstMismatch(db: Db, reps: Map<number, number>, kind: number, valueOf: (event: EventShape) => string | null): number | null {
  const dictionary = db.prepare<[number], { kind: number; value: string }>('SELECT kind, value FROM dim_values WHERE id = ?');
  const eventJson = db.prepare<[number], { event: string }>('SELECT event FROM events WHERE seq = ?');
  let first: number | null = null;
  for (const [id, seq] of reps) {
    if (first !== null && seq >= first) continue;
    const entry = dictionary.get(id);
    let expected: string | null = null;
    try {
      expected = valueOf(JSON.parse(eventJson.get(seq)?.event ?? 'null') as EventShape);
    } catch {
      expected = null;
    }
    if (!entry || entry.kind !== kind || entry.value !== expected) first = seq;
  }
  return first;
}

interface EventShape {
  actor?: { user?: { name?: unknown; uid?: unknown } };
  src_endpoint?: { ip?: unknown };
}

const nonEmpty = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const actorOf = (e: EventShape) => nonEmpty(e?.actor?.user?.name) ?? nonEmpty(e?.actor?.user?.uid);
const ipOf = (e: EventShape) => nonEmpty(e?.src_endpoint?.ip);

export function checkSearchIndexes(db: Db): IndexProblem | null {
  const reps = representatives(db);
  const actor = firstMismatch(db, reps.actor, DIM.actor, actorOf);
  const ip = firstMismatch(db, reps.ip, DIM.ip, ipOf);
  const problems: IndexProblem[] = [];
  if (actor !== null) problems.push({ seq: actor, message: `The actor index disagrees with event ${actor}: searches by actor would give wrong answers (the dictionary was altered).` });
  if (ip !== null) problems.push({ seq: ip, message: `The source-IP index disagrees with event ${ip}: searches by IP would give wrong answers (the dictionary was altered).` });
  problems.sort((a, b) => a.seq - b.seq);
  return problems[0] ?? null;
}
