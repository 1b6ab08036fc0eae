import { Notice } from '../../components/ErrorText';
import type { FilterParamsReading } from './filter-link';
import { quoteValue as quote } from './quote-value';

/**
 * What the explorer's address named but the filter does not use, said rather than dropped: a value that
 * is not valid (or not decodable), a parameter that is no filter, a parameter given twice. Values of
 * unknown parameters are never shown (someone may have pasted a secret into the address).
 */
export function AddressNotices({ reading }: { reading: Pick<FilterParamsReading, 'ignored' | 'unknown' | 'repeated' | 'badOrder'> }) {
  const { ignored, unknown, repeated, badOrder } = reading;
  return (
    <>
      {badOrder !== undefined && (
        <Notice tone="warning">
          The address gave {quote('order')} {badOrder === null ? 'a value that cannot be read' : `the value ${quote(badOrder)}`}, which is no order of this
          list (“oldest” or “newest”); the latest recorded are listed first.
        </Notice>
      )}
      {ignored.length > 0 && (
        <Notice tone="warning">
          The address gave {ignored.map(quote).join(', ')} a value that is not a valid filter; {ignored.length === 1 ? 'it was' : 'they were'} left out.
        </Notice>
      )}
      {unknown.length > 0 && (
        <Notice tone="warning">
          The address named {unknown.map(quote).join(', ')}, which {unknown.length === 1 ? 'is not a filter of this page; it was' : 'are not filters of this page; they were'} left out.
        </Notice>
      )}
      {repeated.map(({ name, first }) => (
        <Notice key={name} tone="warning">
          The address gave {quote(name)} more than once;{' '}
          {first === null || ignored.includes(name) ? 'only the first value was read, and it was left out.' : `the first value, ${quote(first)}, was used and the others ignored.`}
        </Notice>
      ))}
    </>
  );
}
