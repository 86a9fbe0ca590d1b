// server/cli/postmap.ts against real source files in a temporary folder: what `portcullis
// postmap` prints and its exit status, in Postfix's format. (Kept beside the maps tests it
// exercises; it mirrors test/cli/postconf.test.ts.)
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPostmap } from '../../server/cli/postmap.ts';

let folder: string;

beforeEach(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-postmap-'));
});

afterEach(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

async function postmap(argv: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const status = await runPostmap(argv, {
    dataDir: folder,
    stdout: (s) => { stdout += s; },
    stderr: (s) => { stderr += s; },
    readStdin: async () => stdin,
  });
  return { status, stdout, stderr };
}

const ACCESS = 'dup.example REJECT first\ndup.example OK second\nMixed.Case.Example REJECT case\nmulti.example REJECT line one\n  continued here\nlonely.example\n';

test('-q prints the value of the first duplicate and exits 0; warnings go to stderr in postmap\'s format (obs)', async () => {
  const file = write('access', ACCESS);
  assert.deepEqual(await postmap(['-q', 'dup.example', `hash:${file}`]), {
    status: 0,
    stdout: 'REJECT first\n',
    stderr: `postmap: warning: ${file}, line 2: duplicate entry: "dup.example"\n`
      + `postmap: warning: ${file}, line 6: expected format: key whitespace value\n`,
  });
});

test('-q folds the key for an exact table and joins continuation lines (obs)', async () => {
  const file = write('access', ACCESS);
  assert.equal((await postmap(['-q', 'MIXED.CASE.EXAMPLE', file])).stdout, 'REJECT case\n');
  assert.equal((await postmap(['-qmulti.example', `texthash:${file}`])).stdout, 'REJECT line one  continued here\n');
});

test('-q for a key that is not in the table prints nothing and exits 1, like Postfix', async () => {
  const file = write('access', 'a.example OK\n');
  assert.deepEqual(await postmap(['-q', 'b.example', file]), { status: 1, stdout: '', stderr: '' });
});

test('-q tries the tables in order and stops at the first that has the key', async () => {
  const first = write('first', 'a.example FIRST\n');
  const second = write('second', 'a.example SECOND\nb.example SECOND\n');
  assert.equal((await postmap(['-q', 'b.example', first, second])).stdout, 'SECOND\n');
  assert.equal((await postmap(['-q', 'a.example', first, second])).stdout, 'FIRST\n');
});

test('-q looks the key up exactly as given: no parent domains, no shorter networks', async () => {
  const file = write('access', 'example.net REJECT\n198.51.100 REJECT\n');
  assert.equal((await postmap(['-q', 'host.example.net', file])).status, 1);
  assert.equal((await postmap(['-q', '198.51.100.7', file])).status, 1);
});

test('-q - reads keys from standard input and prints key<TAB>value for each found', async () => {
  const file = write('sender.regexp', '/^(foo)(bar)$/ REJECT got $2-$1 and $$1\n/a(b/ REJECT\n');
  assert.deepEqual(await postmap(['-q', '-', `regexp:${file}`], 'foobar\nnothing\n'), {
    status: 0,
    stdout: 'foobar\tREJECT got bar-foo and $1\n',
    stderr: `postmap: warning: regexp map ${file}, line 2: Unmatched ( or \\(\n`,
  });
  assert.deepEqual(await postmap(['-q', '-', `regexp:${file}`], 'nothing\n'), {
    status: 1, stdout: '', stderr: `postmap: warning: regexp map ${file}, line 2: Unmatched ( or \\(\n`,
  });
});

test('a cidr rule with host bits is skipped with cidr_match\'s advice (obs)', async () => {
  const file = write('client.cidr', '192.168.1.5/24 REJECT\n192.168.0.0/16 NET\n');
  assert.deepEqual(await postmap(['-q', '192.168.1.5', `cidr:${file}`]), {
    status: 0,
    stdout: 'NET\n',
    stderr: `postmap: warning: cidr map ${file}, line 1: non-null host address bits in "192.168.1.5/24", perhaps you should use "192.168.1.0/24" instead: skipping this rule\n`,
  });
});

test('-s prints every entry of an exact table as key<TAB>value, in source order', async () => {
  const file = write('access', 'B.example 2\na.example 1\n');
  assert.deepEqual(await postmap(['-s', file]), { status: 0, stdout: 'b.example\t2\na.example\t1\n', stderr: '' });
});

test('-s on a pattern table is refused as Postfix refuses it', async () => {
  const file = write('x.regexp', '/x/ y\n');
  assert.deepEqual(await postmap(['-s', `regexp:${file}`]), {
    status: 1, stdout: '', stderr: `postmap: fatal: table regexp:${file}: sequence operation is not supported\n`,
  });
});

test('inline and static tables are read from the name', async () => {
  assert.equal((await postmap(['-q', 'bar', 'inline:{ foo=xx, { bar = lotsa stuff } }'])).stdout, 'lotsa stuff\n');
  assert.equal((await postmap(['-q', 'anything', 'static:{ 550 go away }'])).stdout, '550 go away\n');
  assert.equal((await postmap(['-q', 'abc', 'regexp:{ {/^a/ FIRST} }'])).stdout, 'FIRST\n');
  assert.deepEqual(await postmap(['-q', 'foo', 'inline:{ }']), {
    status: 1, stdout: '', stderr: 'postmap: fatal: empty table: "inline:{ }"; need "inline:{name=value...}"\n',
  });
});

test('an empty result is printed with postmap\'s two warnings', async () => {
  const file = write('x.regexp', '/^x$/\n');
  assert.deepEqual(await postmap(['-q', 'x', `regexp:${file}`]), {
    status: 0,
    stdout: '\n',
    stderr: `postmap: warning: regexp map ${file}, line 1: no replacement text: using empty string\n`
      + `postmap: warning: table regexp:${file}: key x: empty string result is not allowed\n`
      + `postmap: warning: table regexp:${file} should return NO RESULT in case of NOT FOUND\n`,
  });
});

test('without -q or -s the table is checked and its warnings printed; nothing is written', async () => {
  const file = write('access', ACCESS);
  const result = await postmap([file]);
  assert.equal(result.status, 0);
  assert.match(result.stderr, /duplicate entry: "dup\.example"/);
  assert.deepEqual(fs.readdirSync(folder), ['access']);
});

test('fatal errors: missing file, unknown type, usage, conflicting and unsupported options', async () => {
  const missing = path.join(folder, 'missing');
  assert.deepEqual(await postmap(['-q', 'x', missing]), { status: 1, stdout: '', stderr: `postmap: fatal: open ${missing}: No such file or directory\n` });
  assert.deepEqual(await postmap(['-q', 'x', 'mysql:/etc/postfix/mysql.cf']), { status: 1, stdout: '', stderr: 'postmap: fatal: unsupported dictionary type: mysql\n' });
  const usage = 'postmap: fatal: usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...\n';
  assert.deepEqual(await postmap([]), { status: 1, stdout: '', stderr: usage });
  assert.deepEqual(await postmap(['-q']), { status: 1, stdout: '', stderr: usage });
  assert.deepEqual(await postmap(['-x', 'file']), { status: 1, stdout: '', stderr: usage });
  assert.deepEqual(await postmap(['-q', 'x', '-s', 'file']), { status: 1, stdout: '', stderr: 'postmap: fatal: specify only one of -s or -q or -d\n' });
  assert.deepEqual(await postmap(['-s', '-q', 'x', 'file']), { status: 1, stdout: '', stderr: 'postmap: fatal: specify only one of -s -q or -d\n' });
  assert.deepEqual(await postmap(['-f', '-q', 'x', 'file']), { status: 1, stdout: '', stderr: 'postmap: fatal: option -f is not supported by portcullis postmap\n' });
});
