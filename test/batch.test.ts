import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedBundle, openLane, processFilesIsolated, type BundleManifest } from '../src/batch.js';

const MANIFEST = join('node_modules', '.cache', 'jixiao', 'batch-worker.manifest.json');

/** A file named `name` whose reading never ends: a FIFO nobody writes to (opening it blocks). */
function hangingFile(name: string): string {
  const fifo = join(mkdtempSync(join(tmpdir(), 'jixiao-hang-')), name);
  execFileSync('mkfifo', [fifo]);
  return fifo;
}

describe('isolated batches', () => {
  it('abandons a file that hangs at its timeout and still returns the others, in order', async () => {
    const fifo = hangingFile('never-written.txt');
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
  it('reads files one after another, and after a file it abandoned reads the next in a new process', async () => {
    const fifo = hangingFile('never-written.txt');
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
    const fifo = hangingFile('crashed-on.txt');
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

  it('takes the next file at once after a result, even when it ends right then: the file goes to a new process, not to the dead one', async () => {
    const lane = await openLane();
    try {
      for (let round = 0; round < 3; round++) {
        expect((await lane.process('samples/sh-sbk-2021-self-eval.txt')).records).toHaveLength(10);
        // Killed in the tick its result came: the next file is sent before its end is seen.
        process.kill(lane.pid!, 'SIGKILL');
        const next = await lane.process('samples/sh-sibao-2022-target-declaration.md');
        expect(next.errors).toEqual([]);
        expect(next.records).toHaveLength(3);
      }
    } finally {
      await lane.close();
    }
  }, 60_000);

  /** Starts `jixiao check file`, waits until its lane is `ready`, kills the CLI and says how long (ms) the lane outlived it. */
  async function laneAfterKilledBatch(file: string, ready: (lane: number) => boolean): Promise<number> {
    const cli = spawn(process.execPath, ['bin/jixiao.js', 'check', file], { stdio: 'ignore' });
    // The CLI's children: its lane, and an esbuild service while a stale worker bundle is rebuilt.
    const laneOf = (): number | undefined => {
      const r = spawnSync('pgrep', ['-f', '-P', String(cli.pid), 'batch-worker-boot'], { encoding: 'utf8' });
      return r.stdout.split('\n').filter(Boolean).map(Number)[0];
    };
    let lane: number | undefined;
    for (let i = 0; i < 300 && !(lane !== undefined && ready(lane)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      lane ??= laneOf();
    }
    expect(lane).toBeGreaterThan(0);
    expect(ready(lane!)).toBe(true);
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    while (running(lane!) && Date.now() - killedAt < 30_000) await new Promise((r) => setTimeout(r, 50));
    return running(lane!) ? Infinity : Date.now() - killedAt;
  }
  /** Not gone, nor a zombie waiting for whatever adopted it to reap it. */
  const running = (pid: number): boolean => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  };

  it('ends when the batch that started it is killed while it waits on a read', async () => {
    const fifo = hangingFile('never-written.txt');
    // Waiting: a thread-pool thread blocked opening the FIFO (a FIFO's open waits for a writer).
    const waiting = (pid: number): boolean => {
      try {
        return readdirSync(`/proc/${pid}/task`).some((t) => /wait_for_partner|fifo/.test(readFileSync(`/proc/${pid}/task/${t}/wchan`, 'utf8')));
      } catch {
        return false;
      }
    };
    expect(await laneAfterKilledBatch(fifo, waiting)).toBeLessThan(5_000);
  }, 60_000);

  it('ends when the batch that started it is killed while its main thread is busy', async () => {
    // The lane's entry (src/batch-worker-boot.mjs) runs the module it is given; here one whose main
    // thread spins for good, as a file that sends the pipeline into a loop would: no 'disconnect'
    // event is ever handled. Its parent, a batch of one lane, is then killed.
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-spin-'));
    const spinner = join(dir, 'spin.mjs');
    writeFileSync(spinner, 'for (;;);\n');
    const batch = join(dir, 'batch.mjs');
    writeFileSync(
      batch,
      `import { fork } from 'node:child_process';
      const lane = fork(${JSON.stringify(join(process.cwd(), 'src', 'batch-worker-boot.mjs'))}, [${JSON.stringify(pathToFileURL(spinner).href)}], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      console.log(lane.pid);
      setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [batch], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lane = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
    expect(lane).toBeGreaterThan(0);
    // Spinning: its CPU time grows.
    const cpu = (): number => Number(readFileSync(`/proc/${lane}/stat`, 'utf8').split(') ')[1]!.split(' ')[11]);
    const c0 = cpu();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(cpu()).toBeGreaterThan(c0 + 30);
    const exited = new Promise((r) => parent.once('exit', r));
    parent.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    while (running(lane) && Date.now() - killedAt < 10_000) await new Promise((r) => setTimeout(r, 50));
    const outlived = running(lane);
    if (outlived) process.kill(lane, 'SIGKILL'); // not left spinning when this fails
    expect(outlived).toBe(false);
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
