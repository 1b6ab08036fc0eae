import { useState, type FormEvent, type ReactNode } from 'react';
import type { EventFilter } from '../../../../shared/contract';
import { OCSF_CLASS_NAMES } from '../../../../shared/domain/canonical-event';
import { OUTCOME_FILTERS } from './event-labels';
import { ErrorText } from '../../components/ErrorText';
import { localInputToMs, msToLocalInput } from '../../components/datetime-local';
import { isFilterTime } from './filter-time-range';
import { trimTyped } from './trim-typed';
import { revealHidden } from '../../../../shared/domain/hidden-characters';

export interface FilterDraft {
  since: string;
  until: string;
  classUid: string;
  statusId: string;
  actor: string;
  ip: string;
  source: string;
  batchId: string;
  hideOwn: boolean;
}

const EMPTY: FilterDraft = { since: '', until: '', classUid: '', statusId: '', actor: '', ip: '', source: '', batchId: '', hideOwn: false };

export function draftToFilter(d: FilterDraft): EventFilter {
  const filter: EventFilter = {};
  const since = localInputToMs(d.since);
  const until = localInputToMs(d.until);
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  if (d.classUid) filter.classUid = Number(d.classUid);
  if (d.statusId) filter.statusId = Number(d.statusId);
  const actor = trimTyped(d.actor);
  const ip = trimTyped(d.ip);
  const source = trimTyped(d.source);
  if (actor) filter.actor = actor;
  if (ip) filter.ip = ip;
  if (source) filter.source = source;
  if (d.batchId.trim() && Number.isInteger(Number(d.batchId))) filter.batchId = Number(d.batchId);
  if (d.hideOwn) filter.hideOwn = true;
  return filter;
}

/** A value whose characters do not all show (a no-break space looks like a space), spelled out under its field. */
function HiddenCharactersHint({ id, value }: { id: string; value: string }) {
  const shown = revealHidden(value);
  if (shown === value) return null;
  return (
    <span className="field-hint field-hint-hidden" id={id}>
      Searching for “{shown}”
    </span>
  );
}

function filterToDraft(f: EventFilter): FilterDraft {
  return {
    since: msToLocalInput(f.since),
    until: msToLocalInput(f.until),
    classUid: f.classUid === undefined ? '' : String(f.classUid),
    statusId: f.statusId === undefined ? '' : String(f.statusId),
    actor: f.actor ?? '',
    ip: f.ip ?? '',
    source: f.source ?? '',
    batchId: f.batchId === undefined ? '' : String(f.batchId),
    hideOwn: f.hideOwn === true,
  };
}

/**
 * Why the draft cannot be applied, or null. A value the filter would silently drop (a From in year
 * 275760) or the host would refuse in its own words (a batch number past 2^53) is said here instead.
 */
export function filterProblem(d: FilterDraft): string | null {
  for (const [label, value] of [['From', d.since], ['Until', d.until]] as const) {
    if (!value) continue;
    const ms = localInputToMs(value);
    // The browser's picker takes years up to 275760: the range is checked here.
    if (ms === undefined || !isFilterTime(ms)) return `${label} is not a date between 1970 and 9999.`;
  }
  const since = localInputToMs(d.since);
  const until = localInputToMs(d.until);
  if (since !== undefined && until !== undefined && since > until) return 'From is after Until: no event could match.';
  const batch = d.batchId.trim();
  if (batch && !(/^\d+$/.test(batch) && Number.isSafeInteger(Number(batch)) && Number(batch) >= 1)) return 'Batch is a batch number (1, 2, 3…), as the import summary and the quarantine show it.';
  return null;
}

export interface EventFiltersProps {
  value: EventFilter;
  onApply: (filter: EventFilter) => void;
  id?: string;
  /** Hidden, not unmounted, while the filter area is collapsed: a draft not yet applied is kept. */
  hidden?: boolean;
  /** More buttons after Apply and Clear (the explorer's Hide filters). */
  extraActions?: ReactNode;
}

/**
 * The explorer's filter bar. Applies on submit (Enter in any field, or the Apply button). Each control
 * takes at least the width of its content (the longest option, the placeholder, the locale's date
 * pattern), so no text is cut at any window width; the bar wraps instead.
 */
export function EventFilters({ value, onApply, id, hidden = false, extraActions }: EventFiltersProps) {
  const [d, setD] = useState<FilterDraft>(() => filterToDraft(value));
  const [problem, setProblem] = useState<string | null>(null);
  // The filter applied also changes from outside the bar (Back, Forward, an edited address): the fields
  // follow it, during render, so they never show the filter before for a moment. Compared by content, as
  // a caller may pass an equal object anew.
  const valueKey = JSON.stringify(value);
  const [shownKey, setShownKey] = useState(valueKey);
  if (valueKey !== shownKey) {
    setShownKey(valueKey);
    setD(filterToDraft(value));
    setProblem(null);
  }
  const set = (patch: Partial<FilterDraft>) => {
    setProblem(null);
    setD((prev) => ({ ...prev, ...patch }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const why = filterProblem(d);
    setProblem(why);
    if (why === null) onApply(draftToFilter(d));
  };
  // Values with characters that do not show are spelled out under their fields (HiddenCharactersHint).
  const actorHidden = revealHidden(d.actor) !== d.actor;
  const sourceHidden = revealHidden(d.source) !== d.source;
  return (
    <form className={actorHidden || sourceHidden ? 'filters has-hidden-hint' : 'filters'} id={id} hidden={hidden} onSubmit={submit} aria-label="Filter events">
      <div className="field field-datetime">
        <label className="field-label" htmlFor="f-since">
          From
        </label>
        <input id="f-since" className="input" type="datetime-local" value={d.since} onChange={(e) => set({ since: e.target.value })} />
      </div>
      <div className="field field-datetime">
        <label className="field-label" htmlFor="f-until">
          Until
        </label>
        <input id="f-until" className="input" type="datetime-local" value={d.until} onChange={(e) => set({ until: e.target.value })} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="f-class">
          Class
        </label>
        <select id="f-class" className="input" value={d.classUid} onChange={(e) => set({ classUid: e.target.value })}>
          <option value="">Any class</option>
          {Object.entries(OCSF_CLASS_NAMES).map(([uid, name]) => (
            <option key={uid} value={uid}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="f-outcome">
          Outcome
        </label>
        <select id="f-outcome" className="input" value={d.statusId} onChange={(e) => set({ statusId: e.target.value })}>
          <option value="">Any outcome</option>
          {OUTCOME_FILTERS.map((o) => (
            <option key={o.statusId} value={o.statusId}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="f-actor">
          Actor
        </label>
        <input id="f-actor" className="input" size={16} placeholder="name, id, e-mail" maxLength={512} value={d.actor} aria-describedby={actorHidden ? 'f-actor-hidden' : undefined} onChange={(e) => set({ actor: e.target.value })} />
        <HiddenCharactersHint id="f-actor-hidden" value={d.actor} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="f-ip">
          Source IP
        </label>
        <input id="f-ip" className="input mono" size={15} maxLength={64} value={d.ip} onChange={(e) => set({ ip: e.target.value })} />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="f-source">
          Source
        </label>
        <input id="f-source" className="input" size={14} maxLength={128} value={d.source} aria-describedby={sourceHidden ? 'f-source-hidden' : undefined} onChange={(e) => set({ source: e.target.value })} />
        <HiddenCharactersHint id="f-source-hidden" value={d.source} />
      </div>
      <div className="field field-short">
        <label className="field-label" htmlFor="f-batch">
          Batch
        </label>
        <input id="f-batch" className="input input-short" type="number" min={1} step={1} value={d.batchId} onChange={(e) => set({ batchId: e.target.value })} />
      </div>
      <div className="field field-check">
        <label className="checkbox" title="Vault unlocks, imports and retries: Attest's own audit events. The Overview leaves them out too.">
          <input type="checkbox" checked={d.hideOwn} onChange={(e) => set({ hideOwn: e.target.checked })} />
          <span>Hide Attest's own events</span>
        </label>
      </div>
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setD(EMPTY);
            setProblem(null);
            onApply({});
          }}
        >
          Clear
        </button>
        {extraActions}
      </div>
      <ErrorText>{problem}</ErrorText>
    </form>
  );
}
