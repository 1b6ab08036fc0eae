import { CSV_TARGET_FIELDS } from '../../../../shared/domain/csv-target-fields';
import { ErrorText } from '../../components/ErrorText';

/** One CSV column and the canonical field it fills. */
export interface MappingPair {
  key: number;
  column: string;
  field: string;
}

let nextKey = 1;
export const newPair = (column = '', field = ''): MappingPair => ({ key: nextKey++, column, field });

/** A stored mapping is { field: column } (what the importer reads); the editor shows column → field. */
export function pairsFromMapping(mapping: Record<string, string> | null): MappingPair[] {
  return mapping ? Object.entries(mapping).map(([field, column]) => newPair(column, field)) : [];
}

/** Pairs with both sides filled, as the record sources:save takes ({ field: column }); null when there are none. */
export function mappingFromPairs(pairs: MappingPair[]): Record<string, string> | null {
  const filled = pairs.filter((p) => p.column.trim() && p.field.trim());
  return filled.length ? Object.fromEntries(filled.map((p) => [p.field.trim(), p.column.trim()])) : null;
}

/** Pairs that make the mapping unusable: a field Attest does not know, or a field filled again. */
export function badPairs(pairs: MappingPair[]): { unknown: MappingPair[]; repeated: MappingPair[] } {
  const filled = pairs.filter((p) => p.column.trim() && p.field.trim());
  const known = new Set(CSV_TARGET_FIELDS.map((f) => f.path));
  const unknown = filled.filter((p) => !known.has(p.field.trim()));
  const seen = new Set<string>();
  const repeated: MappingPair[] = [];
  for (const p of filled) {
    const field = p.field.trim();
    if (!known.has(field)) continue;
    if (seen.has(field)) repeated.push(p);
    seen.add(field);
  }
  return { unknown, repeated };
}

/** What is wrong with the pairs as a mapping (every field Attest does not know, a field filled twice), or null. */
export function mappingProblem(pairs: MappingPair[]): string | null {
  const { unknown, repeated } = badPairs(pairs);
  if (unknown.length === 1) return `"${unknown[0]!.field.trim()}" is not a field Attest can fill from a CSV column: pick one from the list.`;
  if (unknown.length > 1) return `${unknown.map((p) => `"${p.field.trim()}"`).join(', ')} are not fields Attest can fill from a CSV column: pick them from the list.`;
  if (repeated.length > 0) return `The field "${repeated[0]!.field.trim()}" is filled from two columns: keep one.`;
  return null;
}

export function CsvMappingEditor({ pairs, onChange }: { pairs: MappingPair[]; onChange: (pairs: MappingPair[]) => void }) {
  const { unknown, repeated } = badPairs(pairs);
  const invalid = new Set([...unknown, ...repeated].map((p) => p.key));
  const update = (key: number, patch: Partial<MappingPair>) => onChange(pairs.map((p) => (p.key === key ? { ...p, ...patch } : p)));
  return (
    <fieldset className="fieldset">
      <legend className="field-label">CSV mapping (column → field)</legend>
      <datalist id="canonical-fields">
        {CSV_TARGET_FIELDS.map((f) => (
          <option key={f.path} value={f.path}>
            {f.label}
          </option>
        ))}
      </datalist>
      {pairs.length === 0 && <p className="muted">No mapping: CSV files from this source use Attest's automatic column detection.</p>}
      {pairs.map((p, i) => (
        <div className="mapping-row" key={p.key}>
          <input className="input mono" aria-label={`CSV column ${i + 1}`} placeholder="CSV column" value={p.column} onChange={(e) => update(p.key, { column: e.target.value })} />
          <span aria-hidden="true" className="arrow">
            →
          </span>
          <input
            className="input mono"
            aria-label={`Field for column ${i + 1}`}
            aria-invalid={invalid.has(p.key) ? true : undefined}
            placeholder="field"
            list="canonical-fields"
            value={p.field} onChange={(e) => update(p.key, { field: e.target.value })} />
          <button type="button" className="btn btn-small" aria-label={`Remove mapping ${i + 1}`} onClick={() => onChange(pairs.filter((x) => x.key !== p.key))}>
            Remove
          </button>
        </div>
      ))}
      <ErrorText>{mappingProblem(pairs)}</ErrorText>
      <div>
        <button type="button" className="btn btn-small" onClick={() => onChange([...pairs, newPair()])}>
          Add column
        </button>
      </div>
    </fieldset>
  );
}
