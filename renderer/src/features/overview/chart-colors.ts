/** Outcome colours: distinguishable for common colour-vision deficiencies and AA against white. */
export const OUTCOME_COLORS = { success: '#2b7a5b', failure: '#c2410c', other: '#64748b' } as const;
export const BAR_COLOR = '#b45309';
