/** Small inline SVG icons for the sidebar (no icon font, no external asset: the CSP allows only 'self'). */
const paths: Record<string, string> = {
  overview: 'M3 13h4v8H3zM10 8h4v13h-4zM17 3h4v18h-4z',
  events: 'M4 5h16M4 10h16M4 15h16M4 20h10',
  alerts: 'M12 3a6 6 0 0 0-6 6v4l-2 3h16l-2-3V9a6 6 0 0 0-6-6zM10 19a2 2 0 0 0 4 0',
  requests: 'M5 4h10l4 4v12H5zM14 4v5h5M8 13h8M8 17h6',
  retention: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 3',
  reports: 'M6 3h9l3 3v15H6zM9 12h6M9 16h6M9 8h3',
  settings: 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM4 12h2M18 12h2M12 4v2M12 18v2M6.3 6.3l1.4 1.4M16.3 16.3l1.4 1.4M6.3 17.7l1.4-1.4M16.3 7.7l1.4-1.4',
};

export function NavIcon({ id }: { id: string }) {
  const d = paths[id];
  if (!d) return null;
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
