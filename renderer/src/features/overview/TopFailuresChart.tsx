import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { navigate } from '../../app/router';
import { axisCount } from './OutcomeChart';
import { formatNumber, revealHiddenLine } from '../../components/format';
import { BAR_COLOR } from './chart-colors';

const MAX_LABEL = 22;
/** Axis labels come from log data: shorten them; SVG <text> renders them as text only. */
const shorten = (raw: string) => {
  const s = revealHiddenLine(raw);
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
};

/**
 * A horizontal bar chart of the keys with most failures (actors or source IPs). A bar opens those
 * failures in the explorer; the same counts as a table of links follow, for the keyboard and for exact
 * values.
 */
export function TopFailuresChart({ title, rows, linkFor }: { title: string; rows: Array<{ key: string; count: number }>; linkFor: (key: string) => string }) {
  if (rows.length === 0) return <p className="muted">No failures recorded.</p>;
  const height = Math.max(120, rows.length * 30 + 40);
  return (
    <>
    <div className="chart chart-clickable" role="img" aria-label={`${title}: ${rows.map((r) => `${shorten(r.key)} ${r.count}`).join(', ')}`}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tickFormatter={axisCount} stroke="#64748b" fontSize={12} />
          <YAxis type="category" dataKey="key" width={170} tickFormatter={shorten} stroke="#64748b" fontSize={12} interval={0} />
          <Tooltip formatter={(v) => [formatNumber(Number(v)), 'Failures']} cursor={{ fill: '#f1f5f9' }} />
          <Bar
            dataKey="count"
            name="Failures"
            fill={BAR_COLOR}
            radius={[0, 3, 3, 0]}
            isAnimationActive={false}
            onClick={(_, index) => {
              const row = rows[index];
              if (row) navigate(linkFor(row.key));
            }}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
    <details className="chart-table">
      <summary>As a table</summary>
      <table className="simple-table">
        <thead>
          <tr>
            <th scope="col">{title.replace(/^Top failing /, '').replace(/^./, (c) => c.toUpperCase())}</th>
            <th scope="col" className="num">
              Failures
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              {/* The link is a block cut with an ellipsis inside its cell (CSS); the title has the name whole. */}
              <td className="cell-text" title={revealHiddenLine(r.key)}>
                <a href={linkFor(r.key)} title={revealHiddenLine(r.key)}>
                  {revealHiddenLine(r.key)}
                </a>
              </td>
              <td className="num">{formatNumber(r.count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
    </>
  );
}
