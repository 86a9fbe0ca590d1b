// Value checks per registry type (server/config/validate-parameter.ts): each refused value
// gets one line that names the parameter and says what to write instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateParameter, hasMacroReference } from '../../../server/config/validate-parameter.ts';

const ACCEPTED: { label: string; name: string; value: string }[] = [
  { label: 'bool yes', name: 'smtpd_helo_required', value: 'yes' },
  { label: 'bool in any case', name: 'smtpd_helo_required', value: 'NO' },
  { label: 'int', name: 'smtpd_recipient_limit', value: '50' },
  { label: 'int at its minimum', name: 'smtpd_hard_error_limit', value: '1' },
  { label: 'size 0 (no limit)', name: 'message_size_limit', value: '0' },
  { label: 'time without unit', name: 'smtpd_timeout', value: '60' },
  { label: 'time in minutes', name: 'smtpd_timeout', value: '5m' },
  { label: 'time in weeks', name: 'maximal_queue_lifetime', value: '1w' },
  { label: 'time 0 where allowed', name: 'smtpd_error_sleep_time', value: '0s' },
  { label: 'code 450', name: 'reject_code', value: '450' },
  { label: 'code 599', name: 'access_map_reject_code', value: '599' },
  { label: 'enum choice', name: 'reject_tempfail_action', value: 'defer' },
  { label: 'enum that may be empty', name: 'smtpd_tls_security_level', value: '' },
  { label: 'list of choices', name: 'notify_classes', value: 'resource, software, policy,protocol' },
  { label: 'host name', name: 'myhostname', value: 'mx.example.test' },
  { label: 'host name from other parameters', name: 'myhostname', value: 'mx.$mydomain' },
  { label: 'maps with an inline table', name: 'header_checks', value: 'regexp:{{/^Subject: spam/ REJECT}}, pcre:/etc/postfix/hc' },
  { label: 'maps referring to other parameters', name: 'local_recipient_maps', value: 'proxy:unix:passwd.byname $alias_maps' },
  { label: 'restriction list: any text (checked by the policy compiler)', name: 'smtpd_recipient_restrictions', value: 'whatever, you, like' },
  { label: 'a literal $ written as $$', name: 'smtpd_banner', value: '$myhostname costs $$0' },
  { label: 'DNS servers in every form node accepts', name: 'dns_resolvers', value: '127.0.0.1, 127.0.0.1:5353 ::1 [::1]:5353' },
  { label: 'compatibility level', name: 'compatibility_level', value: '3.7' },
  { label: 'template keeps its own variables', name: 'default_rbl_reply', value: '$rbl_code Blocked by $rbl_domain' },
];

for (const c of ACCEPTED) {
  test(`validateParameter accepts ${c.label}`, () => {
    assert.deepEqual(validateParameter(c.name, c.value), { ok: true });
  });
}

const REFUSED: { label: string; name: string; value: string; error: string }[] = [
  { label: 'a bad boolean', name: 'smtpd_helo_required', value: 'maybe', error: 'invalid boolean value "maybe" for parameter smtpd_helo_required: specify yes or no' },
  { label: 'a negative time', name: 'smtpd_timeout', value: '-5', error: 'invalid time value "-5" for parameter smtpd_timeout: specify a number with an optional unit s, m, h, d or w (default s)' },
  { label: 'a time with an unknown unit', name: 'maximal_queue_lifetime', value: '5y', error: 'invalid time value "5y" for parameter maximal_queue_lifetime: specify a number with an optional unit s, m, h, d or w (default d)' },
  { label: 'a zero timeout', name: 'smtpd_timeout', value: '0', error: 'invalid time value "0" for parameter smtpd_timeout: specify at least 1s' },
  { label: 'reply code 600', name: 'reject_code', value: '600', error: 'invalid reply code "600" for parameter reject_code: specify a number from 400 to 599' },
  { label: 'a 2xx reply code', name: 'reject_code', value: '250', error: 'invalid reply code "250" for parameter reject_code: specify a number from 400 to 599' },
  { label: 'a 5xx defer code', name: 'unverified_sender_defer_code', value: '550', error: 'invalid reply code "550" for parameter unverified_sender_defer_code: specify a number from 400 to 499' },
  { label: 'a hard error limit of 0', name: 'smtpd_hard_error_limit', value: '0', error: 'invalid integer value "0" for parameter smtpd_hard_error_limit: specify a number >= 1' },
  { label: 'a non-number', name: 'smtpd_recipient_limit', value: '10k', error: 'invalid integer value "10k" for parameter smtpd_recipient_limit: specify a decimal number' },
  { label: 'a size with a unit', name: 'message_size_limit', value: '10M', error: 'invalid size value "10M" for parameter message_size_limit: specify a decimal number of bytes' },
  { label: 'an enum outside its choices', name: 'mynetworks_style', value: 'everything', error: 'invalid value "everything" for parameter mynetworks_style: specify one of host, subnet, class' },
  { label: 'an unknown notify class', name: 'notify_classes', value: 'resource, spam', error: 'invalid value "spam" in parameter notify_classes: specify any of bounce, 2bounce, data, delay, policy, protocol, resource, software' },
  { label: 'an empty banner', name: 'smtpd_banner', value: '', error: 'parameter smtpd_banner may not be empty' },
  { label: 'two host names', name: 'myorigin', value: 'a.example b.example', error: 'parameter myorigin must not contain multiple values: "a.example b.example"' },
  { label: 'a bad host name', name: 'myhostname', value: 'mx..example', error: 'invalid host name "mx..example" for parameter myhostname: empty label (misplaced dot)' },
  { label: 'a table without a type', name: 'header_checks', value: '/etc/postfix/header_checks', error: 'invalid lookup table "/etc/postfix/header_checks" in parameter header_checks: specify type:name, for example hash:/etc/postfix/access' },
  { label: 'a resolver host name', name: 'dns_resolvers', value: 'dns.example', error: 'invalid DNS server "dns.example" in parameter dns_resolvers: specify an IP address, ipv4:port or [ipv6]:port' },
  { label: 'a resolver port out of range', name: 'dns_resolvers', value: '127.0.0.1:70000', error: 'invalid DNS server "127.0.0.1:70000" in parameter dns_resolvers: specify an IP address, ipv4:port or [ipv6]:port' },
  { label: 'a lone $ (Postfix needs $$)', name: 'header_checks', value: 'regexp:{{/foo$/ REJECT}}', error: 'parameter header_checks: empty macro name: "regexp:{{/foo$/ REJECT}}" (write $$ for a literal $)' },
  { label: 'an unterminated ${', name: 'smtpd_banner', value: '${myhostname ESMTP', error: 'parameter smtpd_banner: truncated macro reference: "${myhostname ESMTP" (write $$ for a literal $)' },
  { label: 'an unknown parameter name', name: 'smtpd_helo_requird', value: 'yes', error: 'unknown parameter name: smtpd_helo_requird' },
  { label: 'a bad compatibility level', name: 'compatibility_level', value: 'latest', error: 'invalid compatibility level "latest" for parameter compatibility_level: specify major[.minor[.patch]], for example 3.6' },
];

for (const c of REFUSED) {
  test(`validateParameter refuses ${c.label}`, () => {
    assert.deepEqual(validateParameter(c.name, c.value), { ok: false, error: c.error });
  });
}

test('a value that refers to other parameters is left to MainCf, which sees the expansion', () => {
  assert.deepEqual(validateParameter('smtpd_helo_required', '$mail_name'), { ok: true });
});

test('hasMacroReference tells $name from $$', () => {
  assert.equal(hasMacroReference('a $$ b'), false);
  assert.equal(hasMacroReference('a $$$b'), true);
  assert.equal(hasMacroReference('${x}'), true);
});
