// Every setting is documented: each EMMA_* name the server (backend/src) or the agent (agent/src) uses in its
// code has a row in docs/configuration.md and an entry in .env.example, and so do the few settings without the
// prefix. .env.example also covers exactly what docker-compose.yml fills in from .env.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIRS = ['backend/src', 'agent/src'];

/** EMMA_* names in the code that are not settings anyone configures; each says why. */
const NOT_SETTINGS: Record<string, string> = {
  // The PostgreSQL server of a test run (backend/test/global-setup.ts); documented under "Tests".
  EMMA_TEST_DATABASE_URL: 'tests only',
  // Where the backup test and scripts/backup.sh, restore.sh look for pg_dump/pg_restore.
  EMMA_PG_BIN: 'tests and scripts only',
  // A placeholder in a comment of agent/src/config.ts (`EMMA_X: ${EMMA_X:-}`).
  EMMA_X: 'not a name',
};

/** Settings without the EMMA_ prefix that the server or the agent reads. */
const UNPREFIXED_SETTINGS = ['NODE_ENV', 'DATABASE_URL', 'DOCKER_HOST'];

/** Files only tests run: specs, and the fixtures and helpers imported by nothing else. */
function isTestFile(name: string): boolean {
  return /\.test\.ts$|-fixtures\.ts$|^test-support\.ts$/.test(name);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !isTestFile(entry.name) ? [full] : [];
  });
}

function settingNames(sources: string[]): string[] {
  const names = new Set<string>();
  for (const text of sources) for (const [name] of text.matchAll(/\bEMMA_[A-Z0-9_]+/g)) names.add(name);
  return [...names].filter((name) => !(name in NOT_SETTINGS)).sort();
}

/** A row of one of the page's tables whose first cell names the variable. */
function documented(docs: string, name: string): boolean {
  return docs
    .split('\n')
    .some((line) => /^\|[^|]*`/.test(line) && line.split('|')[1]!.includes(`\`${name}\``));
}

/** A `NAME=value` entry, set or commented out. */
function envEntries(envExample: string): Set<string> {
  const entries = new Set<string>();
  for (const line of envExample.split('\n')) {
    const match = /^(?:# ?)?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) entries.add(match[1]!);
  }
  return entries;
}

function missingFrom(names: string[], docs: string, envExample: string) {
  const entries = envEntries(envExample);
  return {
    docs: names.filter((name) => !documented(docs, name)),
    envExample: names.filter((name) => !entries.has(name)),
  };
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const codeNames = () =>
  settingNames(
    SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).map((f) => readFileSync(f, 'utf8')),
  );
/** What docker-compose.yml fills in from .env: `${NAME}`, `${NAME:-default}`, `${NAME:?message}`. */
const composeNames = () => [
  ...new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!)),
];

describe('the configuration reference', () => {
  it('documents every setting the server and the agent read, in docs/configuration.md and .env.example', () => {
    const names = [...codeNames(), ...UNPREFIXED_SETTINGS];
    // The scan works: it finds settings of both programs (a broken pattern would pass vacuously).
    expect(names).toEqual(expect.arrayContaining(['EMMA_JWT_SECRET', 'EMMA_AGENT_ENROLL_TOKEN', 'EMMA_URL']));
    expect(missingFrom(names, read('docs/configuration.md'), read('.env.example'))).toEqual({
      docs: [],
      envExample: [],
    });
  });

  it('fails for a setting used in code but not documented', () => {
    const names = settingNames([
      `const x = process.env.EMMA_BRAND_NEW_S ?? process.env.EMMA_TEST_DATABASE_URL;`,
    ]);
    expect(names).toEqual(['EMMA_BRAND_NEW_S']);
    const docs = '| `EMMA_OTHER` | `1` | documented |\nMentions EMMA_BRAND_NEW_S in prose only.\n';
    expect(missingFrom(names, docs, '# EMMA_OTHER=1\n# see EMMA_BRAND_NEW_S\n')).toEqual({
      docs: ['EMMA_BRAND_NEW_S'],
      envExample: ['EMMA_BRAND_NEW_S'],
    });
    expect(missingFrom(names, '| `EMMA_BRAND_NEW_S` | unset | x |', '# EMMA_BRAND_NEW_S=\n')).toEqual({
      docs: [],
      envExample: [],
    });
  });

  it('covers what docker-compose.yml reads from .env, and lists nothing that nobody reads', () => {
    const compose = composeNames();
    expect(compose).toContain('POSTGRES_PASSWORD');
    expect(missingFrom(compose, read('docs/configuration.md'), read('.env.example'))).toEqual({
      docs: [],
      envExample: [],
    });
    const known = new Set([...codeNames(), ...UNPREFIXED_SETTINGS, ...compose]);
    expect([...envEntries(read('.env.example'))].filter((name) => !known.has(name))).toEqual([]);
  });

  it('keeps .env.example loadable: KEY=value lines and comments; only what compose requires is set (empty)', () => {
    const lines = read('.env.example').split('\n');
    expect(
      lines.filter((line) => line !== '' && !line.startsWith('#') && !/^[A-Z][A-Z0-9_]*=/.test(line)),
    ).toEqual([]);
    // Exactly what compose requires (`${NAME:?…}`), present and empty, so compose says what is missing.
    const required = [
      ...new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*):\?/g)].map((m) => m[1]!)),
    ];
    expect(required).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'EMMA_JWT_SECRET']));
    expect(lines.filter((line) => /^[A-Z]/.test(line)).sort()).toEqual(
      required.map((name) => `${name}=`).sort(),
    );
  });
});
