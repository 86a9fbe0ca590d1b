// Domain lists: relay_domains (domain_list) and mydestination (string_list), per
// parent_domain_matches_subdomains (spec/smtpd-parameters.md section 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchDomainList, parseDomainList, type DomainMatch } from '../../../server/policy/domain-list.ts';

const cases: { label: string; value: string; match: DomainMatch; domain: string; want: boolean }[] = [
  { label: 'relay_domains matches the domain itself', value: 'relay.test', match: 'parent', domain: 'relay.test', want: true },
  { label: 'relay_domains matches subdomains by default', value: 'relay.test', match: 'parent', domain: 'deep.sub.relay.test', want: true },
  { label: 'a name that only ends with the pattern is no subdomain', value: 'relay.test', match: 'parent', domain: 'notrelay.test', want: false },
  { label: 'with parent matching a .domain pattern does not match subdomains (as in Postfix)', value: '.relay.test', match: 'parent', domain: 'sub.relay.test', want: false },
  { label: 'without parent matching the plain name matches only itself', value: 'relay.test', match: 'dot', domain: 'sub.relay.test', want: false },
  { label: 'without parent matching .domain matches subdomains', value: '.relay.test', match: 'dot', domain: 'sub.relay.test', want: true },
  { label: 'without parent matching .domain does not match the domain itself', value: '.relay.test', match: 'dot', domain: 'relay.test', want: false },
  { label: 'negation excludes a subdomain before its parent', value: '!private.relay.test, relay.test', match: 'parent', domain: 'private.relay.test', want: false },
  { label: 'mydestination matches whole names only', value: 'example.test', match: 'exact', domain: 'sub.example.test', want: false },
  { label: 'mydestination matches in any case', value: 'Example.Test', match: 'exact', domain: 'EXAMPLE.test', want: true },
];

for (const c of cases) {
  test(c.label, () => {
    const parsed = parseDomainList('relay_domains', c.value, c.match);
    assert.ok(parsed.ok);
    assert.equal(matchDomainList(parsed.list, c.domain), c.want);
  });
}
