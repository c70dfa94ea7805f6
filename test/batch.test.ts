import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedBundle, openLane, processFilesIsolated, type BundleManifest } from '../src/batch.js';

const MANIFEST = join('node_modules', '.cache', 'jixiao', 'batch-worker.manifest.json');

describe('isolated batches', () => {
  it('abandons a file that hangs at its timeout and still returns the others, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-batch-'));
    const fifo = join(dir, 'never-written.txt');
    execFileSync('mkfifo', [fifo]); // reading a FIFO nobody writes to blocks forever
    const files = [fifo, 'samples/sh-sibao-2022-target-declaration.md', 'samples/sh-sbk-2021-self-eval.txt'];
    rmSync(MANIFEST, { force: true }); // this batch builds its worker bundle and writes the manifest
    const t0 = Date.now();
    const results = await processFilesIsolated(files, { concurrency: 2, timeoutMs: 8_000 });
    expect(Date.now() - t0).toBeLessThan(40_000);
    expect(results.map((r) => r.file)).toEqual(files);
    expect(results[0]!.errors[0]!.message).toMatch(/never-written\.txt: timed out after 8 s/);
    expect(results[1]!.records).toHaveLength(3);
    expect(results[2]!.records).toHaveLength(10);
    // The batch left a manifest the next run can start from.
    expect(await cachedBundle(MANIFEST)).toMatch(/^file:.*batch-worker-[0-9a-f]{16}\.mjs$/);
  }, 60_000);
});

describe('a lane', () => {
  it('reads files one after another, and after a file it abandoned reads the next in a new worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-lane-'));
    const fifo = join(dir, 'never-written.txt');
    execFileSync('mkfifo', [fifo]);
    const lane = await openLane();
    try {
      expect((await lane.process('samples/sh-sbk-2021-self-eval.txt')).records).toHaveLength(10);
      const hung = await lane.process(fifo, 3_000);
      expect(hung.records).toHaveLength(0);
      expect(hung.errors[0]!.message).toMatch(/never-written\.txt: timed out after 3 s/);
      expect((await lane.process('samples/sh-sibao-2022-target-declaration.md')).records).toHaveLength(3);
    } finally {
      await lane.close();
    }
  }, 60_000);
});

describe('a lane’s process', () => {
  it('costs only the file it was reading when it crashes (a native fault), and the next file gets a new process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-crash-'));
    const fifo = join(dir, 'crashed-on.txt');
    execFileSync('mkfifo', [fifo]);
    const lane = await openLane();
    try {
      expect((await lane.process('samples/sh-sbk-2021-self-eval.txt')).records).toHaveLength(10);
      const pid = lane.pid!;
      expect(pid).toBeGreaterThan(0);
      const reading = lane.process(fifo, 60_000);
      await new Promise((r) => setTimeout(r, 300));
      // The fault a decoder's bad read raises; a worker thread's would have ended this test's process.
      process.kill(pid, 'SIGSEGV');
      const crashed = await reading;
      expect(crashed.records).toHaveLength(0);
      expect(crashed.errors[0]!.message).toMatch(/crashed-on\.txt: processing crashed \(SIGSEGV, a fault in native code\)/);
      expect((await lane.process('samples/sh-sibao-2022-target-declaration.md')).records).toHaveLength(3);
      expect(lane.pid).not.toBe(pid);
      // What the kernel's out-of-memory killer does to a lane.
      const killed = lane.process(fifo, 60_000);
      await new Promise((r) => setTimeout(r, 300));
      process.kill(lane.pid!, 'SIGKILL');
      expect((await killed).errors[0]!.message).toMatch(/crashed-on\.txt: processing stopped \(SIGKILL: killed from outside, often by the system when memory ran out\)/);
      // A process that ends between files costs no file: the next is read in a new one.
      expect((await lane.process('samples/sh-sbk-2021-self-eval.txt')).records).toHaveLength(10);
      const idle = lane.pid!;
      process.kill(idle, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 500));
      const next = await lane.process('samples/sh-sibao-2022-target-declaration.md');
      expect(next.errors).toEqual([]);
      expect(next.records).toHaveLength(3);
      expect(lane.pid).not.toBe(idle);
    } finally {
      await lane.close();
    }
    expect(lane.pid).toBeNull();
  }, 60_000);

  it('ends when the batch that started it is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-orphan-'));
    const fifo = join(dir, 'never-written.txt');
    execFileSync('mkfifo', [fifo]);
    const cli = spawn(process.execPath, ['bin/jixiao.js', 'check', fifo], { stdio: 'ignore' });
    const lanes = (): number[] => {
      const r = spawnSync('pgrep', ['-P', String(cli.pid)], { encoding: 'utf8' });
      return r.stdout.split('\n').filter(Boolean).map(Number);
    };
    let lane: number | undefined;
    for (let i = 0; i < 200 && lane === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      lane = lanes()[0];
    }
    expect(lane).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500)); // the lane is reading the FIFO
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGKILL');
    await exited;
    // Gone, or a zombie waiting for whatever adopted it to reap it.
    const alive = (): boolean => {
      try {
        const stat = readFileSync(`/proc/${lane}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  }, 60_000);
});

describe('a lane’s start', () => {
  it('loads no package an offline text-layer run does not use: zod, the openai SDK, tesseract.js only when needed', async () => {
    const esbuild = await import('esbuild');
    const { metafile } = await esbuild.build({ entryPoints: ['src/batch-worker.ts'], bundle: true, format: 'esm', platform: 'node', packages: 'external', write: false, metafile: true, logLevel: 'silent' });
    const staticImports = new Set<string>();
    for (const input of Object.values(metafile.inputs)) for (const imp of input.imports) if (imp.external && imp.kind === 'import-statement') staticImports.add(imp.path);
    const packages = [...staticImports].filter((p) => !p.startsWith('node:')).sort();
    expect(packages).toEqual(['p-limit']);
  });
});

describe('the worker bundle kept between runs', () => {
  it('is used while every input is as the manifest lists it, and not once one is edited or the bundle is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-bundle-'));
    const [source, bundle, manifestPath] = [join(dir, 'a.ts'), join(dir, 'bundle.mjs'), join(dir, 'manifest.json')];
    writeFileSync(source, 'export const a = 1;\n');
    writeFileSync(bundle, 'export {};\n');
    const write = (): void => {
      const st = statSync(source);
      const manifest: BundleManifest = { bundle: pathToFileURL(bundle).href, inputs: [[source, st.size, st.mtimeMs]] };
      writeFileSync(manifestPath, JSON.stringify(manifest));
    };
    write();
    expect(await cachedBundle(manifestPath)).toBe(pathToFileURL(bundle).href);
    // An edit that keeps the size still changes the time.
    utimesSync(source, new Date(), new Date(Date.now() + 5_000));
    expect(await cachedBundle(manifestPath)).toBeNull();
    write();
    expect(await cachedBundle(manifestPath)).toBe(pathToFileURL(bundle).href);
    rmSync(bundle);
    expect(await cachedBundle(manifestPath)).toBeNull();
    writeFileSync(manifestPath, '{ not json');
    expect(await cachedBundle(manifestPath)).toBeNull();
  });
});
