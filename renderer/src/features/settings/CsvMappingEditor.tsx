/** One CSV column and the canonical field it fills. */
export interface MappingPair {
  key: number;
  column: string;
  field: string;
}

/** Canonical fields a CSV column can fill (suggestions; the engine checks the final mapping). */
export const CANONICAL_FIELDS = [
  'time',
  'class_uid',
  'activity_id',
  'activity_name',
  'status',
  'status_id',
  'status_detail',
  'severity_id',
  'message',
  'actor.user.name',
  'actor.user.uid',
  'actor.user.type',
  'src_endpoint.ip',
  'src_endpoint.port',
  'src_endpoint.hostname',
  'dst_endpoint.ip',
  'dst_endpoint.port',
  'api.operation',
  'api.service.name',
  'resources.name',
  'resources.type',
  'metadata.uid',
  'cloud.region',
] as const;

let nextKey = 1;
export const newPair = (column = '', field = ''): MappingPair => ({ key: nextKey++, column, field });

export function pairsFromMapping(mapping: Record<string, string> | null): MappingPair[] {
  return mapping ? Object.entries(mapping).map(([column, field]) => newPair(column, field)) : [];
}

/** Pairs with both sides filled, as the record sources:save takes; null when there are none. */
export function mappingFromPairs(pairs: MappingPair[]): Record<string, string> | null {
  const filled = pairs.filter((p) => p.column.trim() && p.field.trim());
  return filled.length ? Object.fromEntries(filled.map((p) => [p.column.trim(), p.field.trim()])) : null;
}

export function CsvMappingEditor({ pairs, onChange }: { pairs: MappingPair[]; onChange: (pairs: MappingPair[]) => void }) {
  const update = (key: number, patch: Partial<MappingPair>) => onChange(pairs.map((p) => (p.key === key ? { ...p, ...patch } : p)));
  return (
    <fieldset className="fieldset">
      <legend className="field-label">CSV mapping (column → field)</legend>
      <datalist id="canonical-fields">
        {CANONICAL_FIELDS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {pairs.length === 0 && <p className="muted">No mapping: CSV files from this source use Attest's automatic column detection.</p>}
      {pairs.map((p, i) => (
        <div className="mapping-row" key={p.key}>
          <input className="input mono" aria-label={`CSV column ${i + 1}`} placeholder="CSV column" value={p.column} onChange={(e) => update(p.key, { column: e.target.value })} />
          <span aria-hidden="true" className="arrow">
            →
          </span>
          <input className="input mono" aria-label={`Field for column ${i + 1}`} placeholder="field" list="canonical-fields" value={p.field} onChange={(e) => update(p.key, { field: e.target.value })} />
          <button type="button" className="btn btn-small" aria-label={`Remove mapping ${i + 1}`} onClick={() => onChange(pairs.filter((x) => x.key !== p.key))}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="btn btn-small" onClick={() => onChange([...pairs, newPair()])}>
          Add column
        </button>
      </div>
    </fieldset>
  );
}
