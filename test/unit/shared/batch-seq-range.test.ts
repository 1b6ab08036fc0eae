import { describe, expect, it } from 'vitest';
import { seqRangeText } from '../../../shared/domain/batch-seq-range';

describe('seqRangeText', () => {
  it('names a batch\'s run of events, and says when other imports\' events lie between them (a later retry)', () => {
    expect(seqRangeText(7, 7, 1)).toBe('#7');
    expect(seqRangeText(7, 11, 5)).toBe('#7 to #11');
    expect(seqRangeText(39, 1067, 12)).toBe("12 between #39 and #1067, among other imports' events");
  });
});
