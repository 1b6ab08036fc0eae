import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis, type MouseHandlerDataParam } from 'recharts';
import type { Overview } from '../../../../shared/contract';
import { formatDateTime, formatNumber } from '../../components/format';
import { OUTCOME_COLORS } from './chart-colors';

const OUTCOME_ORDER = ['success', 'failure', 'other'];
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearDayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHourFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
/** Axis ticks only (the tooltip gives exact counts): "1.2M" fits the axis where "1,200,000" was clipped to "200,000". */
const compactNumber = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/**
 * Axis labels: time of day within one day, date and time across days, the date alone for daily buckets,
 * with the year once the series spans more than one calendar year (else "Jan 10" could be any year).
 */
export function tickFormatFor(overview: Pick<Overview, 'bucketMs' | 'series'>): Intl.DateTimeFormat {
  const first = overview.series[0]?.t ?? 0;
  const last = overview.series[overview.series.length - 1]?.t ?? 0;
  if (new Date(first).getFullYear() !== new Date(last).getFullYear()) return yearDayFormat;
  if (overview.bucketMs >= 86_400_000) return dayFormat;
  return last - first > 86_400_000 ? dayHourFormat : hourFormat;
}

/** A count as an axis tick. */
export function axisCount(n: number): string {
  return compactNumber.format(n);
}

/** The bucket start under the pointer, if any. */
function bucketAt(state: MouseHandlerDataParam): number | null {
  const t = Number(state.activeLabel);
  return state.activeLabel === undefined || !Number.isFinite(t) ? null : t;
}

/**
 * Events per time bucket, stacked by outcome. Dragging across the chart selects a period: `onZoom` gets
 * it as [since, until), whole buckets, for the Overview to show in finer buckets.
 */
export function OutcomeChart({ overview, onZoom }: { overview: Overview; onZoom?: (since: number, until: number) => void }) {
  const format = tickFormatFor(overview);
  const tick = (t: number) => format.format(new Date(t));
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const finish = () => {
    if (drag && onZoom) {
      const since = Math.min(drag.from, drag.to);
      const until = Math.max(drag.from, drag.to) + overview.bucketMs;
      // A click (no drag) on a chart already at one-minute buckets has nothing finer to show.
      if (drag.from !== drag.to || overview.bucketMs > 60_000) onZoom(since, until);
    }
    setDrag(null);
  };
  return (
    <div className={`chart${onZoom ? ' chart-zoomable' : ''}`} role="img" aria-label={`Events over time by outcome, ${overview.series.length} intervals`}>
      <ResponsiveContainer width="100%" height={280}>
        <AreaChart
          data={overview.series}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          onMouseDown={(state) => {
            const t = onZoom ? bucketAt(state) : null;
            if (t !== null) setDrag({ from: t, to: t });
          }}
          onMouseMove={(state) => {
            const t = bucketAt(state);
            if (drag && t !== null && t !== drag.to) setDrag({ from: drag.from, to: t });
          }}
          onMouseUp={finish}
          onMouseLeave={() => setDrag(null)}
        >
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={tick} stroke="#64748b" fontSize={12} />
          <YAxis allowDecimals={false} tickFormatter={axisCount} stroke="#64748b" fontSize={12} width={56} />
          <Tooltip labelFormatter={(t) => formatDateTime(Number(t))} formatter={(v) => formatNumber(Number(v))} itemSorter={(item) => OUTCOME_ORDER.indexOf(String(item.dataKey))} />
          <Legend itemSorter={(item) => OUTCOME_ORDER.indexOf(String(item.dataKey))} />
          <Area type="monotone" dataKey="success" name="Success" stackId="1" stroke={OUTCOME_COLORS.success} fill={OUTCOME_COLORS.success} fillOpacity={0.35} isAnimationActive={false} />
          <Area type="monotone" dataKey="failure" name="Failure" stackId="1" stroke={OUTCOME_COLORS.failure} fill={OUTCOME_COLORS.failure} fillOpacity={0.45} isAnimationActive={false} />
          <Area type="monotone" dataKey="other" name="Other / unknown" stackId="1" stroke={OUTCOME_COLORS.other} fill={OUTCOME_COLORS.other} fillOpacity={0.3} isAnimationActive={false} />
          {drag && drag.from !== drag.to && (
            <ReferenceArea x1={Math.min(drag.from, drag.to)} x2={Math.max(drag.from, drag.to)} fill="#1f4f8b" fillOpacity={0.12} stroke="#1f4f8b" strokeOpacity={0.4} />
          )}
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
