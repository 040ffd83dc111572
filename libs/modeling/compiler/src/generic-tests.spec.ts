import { describe, expect, it } from 'vitest';
import { testHash } from './generic-tests.js';

// Expected suffixes computed by dbt-core 1.10 itself (`get_hashable_md` + `repr` + md5) for
// the same node name and test metadata.
describe('testHash', () => {
  it.each([
    ['unique_people_id', { namespace: null, name: 'unique', kwargs: { column_name: 'id', model: "{{ get_where_subquery(ref('people')) }}" } }, 'ab01dd072f'],
    [
      'accepted_values_orders_status__placed__shipped',
      { namespace: null, name: 'accepted_values', kwargs: { column_name: 'status', values: ['placed', 'shipped'], model: "{{ get_where_subquery(ref('orders')) }}" } },
      '7de09bf3cd',
    ],
    [
      'relationships_orders_customer_id__id__ref_customers_',
      { namespace: null, name: 'relationships', kwargs: { column_name: 'customer_id', to: "ref('customers')", field: 'id', model: "{{ get_where_subquery(ref('orders')) }}" } },
      '4282b0c525',
    ],
    // Booleans, numbers and None through Python's str; a string holding both quotes, a
    // backslash, a tab, a newline and a no-break space through Python's repr.
    ['t_odd', { namespace: 'my_pkg', name: 'odd', kwargs: { flag: true, n: 5, none: null, text: 'it\'s "q"\\ \t\n é\u00a0', model: 'x' } }, 'f4252495f5'],
  ])('%s', (name, test, expected) => {
    expect(testHash(name, test)).toBe(expected);
  });
});
