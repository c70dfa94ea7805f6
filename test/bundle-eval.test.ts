import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateBundleFile, pruneStale, saveCodeCaches, unsavedCodeCaches } from '../src/ingest/bundle-eval.js';

const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** `src` written to a file of its own, named `name`. */
function bundleFile(name: string, src: string): string {
  const file = join(tmp('jixiao-bundle-'), name);
  writeFileSync(file, src);
  return file;
}

describe('evaluateBundleFile', () => {
  it('returns the exports of a self-contained bundle, renamed exports and import.meta.url included', () => {
    const file = bundleFile('b.mjs', `const a = 41;\nfunction where() { return import.meta.url; }\nfunction inc(x) { return x + 1; }\nexport { a, inc as next, where };\n//# sourceMappingURL=b.mjs.map\n`);
    const m = evaluateBundleFile(file, 'b.mjs', {}, tmp('jixiao-cache-')) as { a: number; next: (x: number) => number; where: () => string };
    expect(m.next(m.a)).toBe(42);
    expect(m.where()).toBe(pathToFileURL(file).href);
    expect(Object.keys(m).sort()).toEqual(['a', 'next', 'where']);
    saveCodeCaches();
  });

  it('keeps a code cache after first use, and V8 accepts it the next time', () => {
    const cache = tmp('jixiao-cache-');
    const file = bundleFile('cached.mjs', `function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }\nexport { f };\n`);
    expect((evaluateBundleFile(file, 'cached.mjs', {}, cache) as { f: (n: number) => number }).f(10)).toBe(45);
    expect(unsavedCodeCaches()).toBe(1);
    saveCodeCaches();
    expect(readdirSync(cache).filter((n) => /^cached\.mjs-[0-9a-f]+\.v8$/.test(n))).toHaveLength(1);
    expect((evaluateBundleFile(file, 'cached.mjs', {}, cache) as { f: (n: number) => number }).f(4)).toBe(6);
    // Evaluated from the cache: nothing left to write (a rejected cache would be written again).
    expect(unsavedCodeCaches()).toBe(0);
  });

  it.each([
    ['an import', `import x from 'y';\nexport { x };\n`],
    ['a second export', `export const y = 1;\nconst x = 2;\nexport { x };\n`],
    ['no export at the end', `const x = 1;\n`],
    ['an export default', `const x = 1;\nexport { x as default, };\nfoo();\n`],
  ])('declines a bundle with %s (the caller loads it as a module)', (_what, src) => {
    expect(evaluateBundleFile(bundleFile('x.mjs', src), 'x.mjs', {}, tmp('jixiao-cache-'))).toBeNull();
  });
});

describe('evaluateBundleFile: the kept body', () => {
  const exportsOf = (m: Record<string, unknown> | null): { greet: () => string } => m as { greet: () => string };

  it('keeps the wrapped body beside its code cache, in ASCII, and starts from both the next time', () => {
    const cache = tmp('jixiao-cache-');
    const file = join(tmp('jixiao-bundle-'), 'g.mjs');
    writeFileSync(file, `function greet() { return "你好 – ﬅ"; }\nexport { greet };\n`);
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('你好 – ﬅ');
    saveCodeCaches();
    const names = readdirSync(cache).sort();
    expect(names).toHaveLength(2);
    expect(names[0]).toMatch(/^g\.mjs-[0-9a-f]{16}\.js$/);
    expect(names[1]).toBe(names[0]!.replace(/\.js$/, '.v8'));
    expect(readFileSync(join(cache, names[0]!), 'latin1')).toMatch(/^[\x00-\x7f]*$/);
    // The prepared body, not the file, is what the next start compiles.
    writeFileSync(join(cache, names[0]!), `(function () { return { greet: () => "prepared" }; })`);
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('prepared');
  });

  it('prepares again when the file changes (its size or time) or the key does', () => {
    const cache = tmp('jixiao-cache-');
    const file = join(tmp('jixiao-bundle-'), 'g.mjs');
    const t = 1_700_000_000; // whole seconds: the time is put back exactly
    writeFileSync(file, `function greet() { return "one"; }\nexport { greet };\n`);
    utimesSync(file, t, t);
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('one');
    writeFileSync(file, `function greet() { return "ONE"; }\nexport { greet };\n`); // same size
    utimesSync(file, t, t);
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('one'); // path, size and time say unchanged
    utimesSync(file, t, t + 1);
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('ONE');
    writeFileSync(file, `function greet() { return "two!"; }\nexport { greet };\n`);
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('two!');
    const shout = { key: 'shout', transform: (src: string) => src.replace('"two!"', '"TWO!"') };
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', shout, cache)).greet()).toBe('TWO!');
    saveCodeCaches();
  });

  it('removes a kept body that no longer compiles and prepares the bundle again', () => {
    const cache = tmp('jixiao-cache-');
    const file = join(tmp('jixiao-bundle-'), 'g.mjs');
    writeFileSync(file, `function greet() { return "fine"; }\nexport { greet };\n`);
    evaluateBundleFile(file, 'g.mjs', {}, cache);
    const kept = readdirSync(cache).find((n) => n.endsWith('.js'))!;
    writeFileSync(join(cache, kept), '(function () { return {'); // cut short
    expect(exportsOf(evaluateBundleFile(file, 'g.mjs', {}, cache)).greet()).toBe('fine');
    expect(readFileSync(join(cache, kept), 'latin1')).toContain('"fine"');
    saveCodeCaches();
  });

  it('returns null when the transform does not apply or the bundle is not self-contained', () => {
    const cache = tmp('jixiao-cache-');
    const file = join(tmp('jixiao-bundle-'), 'g.mjs');
    writeFileSync(file, `function greet() { return "one"; }\nexport { greet };\n`);
    expect(evaluateBundleFile(file, 'g.mjs', { key: 'no', transform: () => null }, cache)).toBeNull();
    writeFileSync(file, `import x from 'y';\nexport { x };\n`);
    expect(evaluateBundleFile(file, 'g.mjs', {}, cache)).toBeNull();
    expect(readdirSync(cache)).toEqual([]);
  });
});

describe('pruneStale', () => {
  it('removes a family’s files unused for a day, except the one kept and other families', () => {
    const dir = tmp('jixiao-prune-');
    const old = Date.now() / 1000 - 2 * 86_400;
    for (const n of ['w-1.v8', 'w-2.v8', 'w-3.v8', 'other-1.v8']) writeFileSync(join(dir, n), 'x');
    for (const n of ['w-1.v8', 'w-2.v8', 'other-1.v8']) utimesSync(join(dir, n), old, old);
    pruneStale(dir, 'w-', join(dir, 'w-2.v8'));
    expect(readdirSync(dir).sort()).toEqual(['other-1.v8', 'w-2.v8', 'w-3.v8']);
    expect(existsSync(join(dir, 'w-1.v8'))).toBe(false);
  });

  it('spares every file it is told to keep', () => {
    const dir = tmp('jixiao-prune-');
    const old = Date.now() / 1000 - 2 * 86_400;
    for (const n of ['w-1.js', 'w-1.v8', 'w-2.v8']) {
      writeFileSync(join(dir, n), 'x');
      utimesSync(join(dir, n), old, old);
    }
    pruneStale(dir, 'w-', [join(dir, 'w-1.js'), join(dir, 'w-1.v8')]);
    expect(readdirSync(dir).sort()).toEqual(['w-1.js', 'w-1.v8']);
  });
});
