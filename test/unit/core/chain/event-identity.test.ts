import { describe, expect, it } from 'vitest';
import { eventIdentity } from '../../../../electron/core/chain/event-identity';

/** What verification compared against before: the values JSON.parse finds. */
function byJsonParse(text: string) {
  let e: { actor?: { user?: { name?: unknown; uid?: unknown; email_addr?: unknown } }; src_endpoint?: { ip?: unknown } } | null;
  try {
    e = JSON.parse(text) as typeof e;
  } catch {
    e = null;
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(e)) return { name: null, uid: null, ip: null, email: null };
  const user = isObj(e.actor) && isObj(e.actor.user) ? e.actor.user : undefined;
  const src = isObj(e.src_endpoint) ? e.src_endpoint : undefined;
  return { name: str(user?.name), uid: str(user?.uid), ip: str(src?.ip), email: str(user?.email_addr) };
}

function identityOf(text: string) {
  // Embedded in a larger buffer, as in a block: the scan must respect [start, end).
  const b = Buffer.concat([Buffer.from('xx{"actor":'), Buffer.from(text, 'utf8'), Buffer.from('}}')]);
  return eventIdentity(b, 11, 11 + Buffer.byteLength(text));
}

const CASES = [
  '{"class_uid":3002,"actor":{"user":{"name":"alice","uid":"u-1"}},"src_endpoint":{"ip":"10.0.0.1","port":22}}',
  '{"actor":{"user":{"uid":"u-only"}}}',
  '{"actor":{"user":{"name":"John Doe","uid":"00u1","type":"User","email_addr":"john.doe@example.com"}}}',
  '{"actor":{"user":{"email_addr":"only@example.com","email_addr":7}}}',
  '{"src_endpoint":{"port":22,"ip":"2001:db8::1"},"actor":{"user":{"name":""}}}',
  // Escapes in keys and values, and look-alike members inside strings and nested objects.
  '{"message":"\\"actor\\":{\\"user\\":{\\"name\\":\\"mallory\\"}}","actor":{"user":{"name":"bob \\"the\\" \\u00e9\\\\"}}}',
  '{"act\\u006fr":{"user":{"name":"escaped key"}}}',
  '{"unmapped":{"actor":{"user":{"name":"nested"}}},"resources":[{"name":"r"},{"actor":{"user":{"name":"x"}}}]}',
  // Duplicate keys: the last wins, at every level, even when the last is not an object.
  '{"actor":{"user":{"name":"first"}},"actor":{"user":{"uid":"second"}}}',
  '{"actor":{"user":{"name":"a"},"user":{"name":"b"}}}',
  '{"actor":{"user":{"name":"a"}},"actor":5}',
  '{"src_endpoint":{"ip":"1.1.1.1"},"src_endpoint":{"ip":2}}',
  // Values of other types.
  '{"actor":{"user":{"name":5,"uid":null}},"src_endpoint":{"ip":["10.0.0.1"]}}',
  '{"actor":"alice","src_endpoint":null}',
  '{"actor":{"user":["alice"]}}',
  // Whitespace everywhere, unicode, empty objects.
  ' { "actor" : { "user" : { "name" : "Zoë 😀" } } , "src_endpoint" : { } } ',
  '{}',
  // Not an object, or malformed: no values (JSON.parse would have thrown or not yielded an object).
  '[{"actor":{"user":{"name":"a"}}}]',
  '{"actor":{"user":{"name":"a"}}',
  '{"actor":{"user":{"name":"a"}}} trailing',
  '{"actor":{"user":{"name":"unterminated}}}',
  '',
];

describe('eventIdentity', () => {
  for (const text of CASES) {
    it(`agrees with JSON.parse on ${JSON.stringify(text).slice(0, 70)}`, () => {
      expect(identityOf(text)).toEqual(byJsonParse(text));
    });
  }

  it('agrees with JSON.parse on generated events with hostile strings', () => {
    const pieces = ['a', '"', '\\', '{', '}', '[', ']', ':', ',', '\u0000', '\u2028', 'é', '😀', 'actor', 'user', 'name', 'ip', 'email_addr', ' '];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const word = () => Array.from({ length: rand(6) }, () => pieces[rand(pieces.length)]).join('');
    for (let i = 0; i < 500; i++) {
      const user: Record<string, unknown> = {};
      if (rand(3)) user.name = word();
      if (rand(3)) user.uid = rand(5) ? word() : rand(100);
      if (rand(3)) user.email_addr = rand(5) ? word() : null;
      const event: Record<string, unknown> = { class_uid: 3002, message: word(), [word()]: { [word()]: [word(), { actor: word() }] } };
      if (rand(4)) event.actor = rand(6) ? { user, extra: { user: word() } } : word();
      if (rand(4)) event.src_endpoint = { ip: rand(5) ? word() : null, port: rand(65535) };
      const text = JSON.stringify(event, null, rand(2) ? 0 : 1);
      expect(identityOf(text), text).toEqual(byJsonParse(text));
    }
  });
});
