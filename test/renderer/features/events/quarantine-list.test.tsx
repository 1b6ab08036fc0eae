import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuarantineRow } from '../../../../shared/contract';
import { NO_TIME_HINT } from '../../../../shared/contract/events';
import { QuarantineList } from '../../../../renderer/src/features/events/QuarantineList';
import { renderWithApi } from '../../helpers/render';

afterEach(cleanup);

const row = (id: number, reason: string, element: number | null = null): QuarantineRow => ({ id, batchId: 3, file: 'bare.cef', line: id, element, reason, rawText: 'CEF:0|x', rawBase64: '', status: 'open' });

describe('QuarantineList', () => {
  it('tells records of one line apart by their place in its array (a one-line {"Records":[…]} file)', async () => {
    renderWithApi(<QuarantineList batchId={3} />, {
      'quarantine:list': () => ({ rows: [{ ...row(1, 'no eventTime', 2), line: 1 }, { ...row(2, 'no eventTime', 4), line: 1 }, row(3, 'not valid JSON')], total: 3 }),
    });
    await screen.findAllByText('no eventTime');
    const lineCells = screen.getAllByRole('row').slice(1).map((r) => r.querySelector('td.num')?.textContent);
    expect(lineCells).toEqual(['1record 2', '1record 4', '3']);
  });

  it('offers to time records that carry none at their import, and retries with that', async () => {
    let rows = [row(1, `the CEF record has no time (no rt, end or start, and no syslog timestamp); ${NO_TIME_HINT}`), row(2, 'not valid JSON')];
    const { fake } = renderWithApi(<QuarantineList batchId={3} />, {
      'quarantine:list': () => ({ rows, total: rows.length }),
      'quarantine:retry': () => {
        rows = [rows[1]!];
        return { retried: 2, imported: 1, duplicates: 0, stillQuarantined: 1 };
      },
    });
    expect(await screen.findByText(/1 record has no time of its own, so it was not put in the log/)).toBeTruthy();
    await act(async () => {
      await userEvent.click(screen.getByRole('button', { name: 'Retry, timing these at their import' }));
    });
    expect(fake.callsTo('quarantine:retry')).toEqual([{ batchId: 3, timeIfMissing: 'import' }]);
    await waitFor(() => expect(screen.getByText(/Retried 2: 1 imported/)).toBeTruthy());
    expect(screen.queryByText(/no time of its own/)).toBeNull();
  });

  it('offers nothing of the kind when every record failed for another reason; Retry all asks for no time', async () => {
    const { fake } = renderWithApi(<QuarantineList batchId={undefined} />, {
      'quarantine:list': () => ({ rows: [row(2, 'not valid JSON')], total: 1 }),
      'quarantine:retry': () => ({ retried: 1, imported: 0, duplicates: 0, stillQuarantined: 1 }),
    });
    await screen.findByText('not valid JSON');
    expect(screen.queryByRole('button', { name: /timing these/ })).toBeNull();
    await act(async () => {
      await userEvent.click(screen.getByRole('button', { name: 'Retry all' }));
    });
    expect(fake.callsTo('quarantine:retry')).toEqual([{}]);
  });
});

describe('QuarantineList and signed batches', () => {
  it('names the signed batch a record came in, so it can be exported and its signature checked', async () => {
    const sha = 'ab'.repeat(32);
    renderWithApi(<QuarantineList batchId={3} />, {
      'quarantine:list': () => ({ rows: [{ ...row(1, 'signed record 6: the OCSF time is missing'), signedBatchSha256: sha }], total: 1 }),
    });
    await screen.findByText(/signed record 6/);
    expect(screen.getByText(sha).tagName).toBe('CODE');
    expect(screen.getByText(/From the signed batch whose JWS has SHA-256/)).toBeTruthy();
  });
});
