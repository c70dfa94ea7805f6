import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-cli-'));
const garbage = join(dir, 'garbage.txt');
writeFileSync(garbage, Buffer.from([0x89, 0x00, 0xff, 0x13, 0x00, 0x42, 0x99, 0x00]));
const prose = join(dir, 'minutes.txt');
writeFileSync(prose, '会议纪要\n今天讨论了办公室搬迁事宜。\n');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/jixiao.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('jixiao check exit codes', () => {
  it('exits 1 when an error-severity finding exists', () => {
    const r = run('check', 'samples/sh-sbk-2021-self-eval.txt');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/funding\.rate/);
  });
  it('exits 0 when the forms are consistent', () => {
    const r = run('check', 'samples/sh-sibao-2022-target-declaration.md');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/办公房及附属设施维修专项/);
  });
  it('exits 2 with a per-file reason when an input cannot be processed', () => {
    const r = run('check', garbage);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`${garbage}: binary data`);
  });
  it('exits 2 for a missing file, naming it', () => {
    const r = run('check', join(dir, 'nope.txt'));
    expect(r.code).toBe(2);
    expect(r.out).toContain('nope.txt: no such file');
  });
  it('parses the evaluation report and exits 1 with its three inconsistencies', () => {
    const r = run('check', 'samples/sh-sibao-2018-evaluation-report.md');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/evaluation_report/);
    expect(r.out).toMatch(/report\.stated_rate @ C13/);
    expect(r.out).toMatch(/report\.stated_rate @ C15/);
    expect(r.out).toMatch(/report\.heading_score @ C31/);
    expect(r.out).toMatch(/3 error\(s\), 0 warning\(s\)/);
  });
});

describe('batches', () => {
  it('a garbage file and a non-form text give clear errors and do not stop the rest', () => {
    const out = join(dir, 'batch.json');
    const r = run('check', garbage, prose, 'samples/sh-sbk-2021-self-eval.txt', '--json', '--out', out);
    expect(r.code).toBe(2);
    const json = JSON.parse(readFileSync(out, 'utf8')) as {
      documents: { file: string; records: unknown[]; errors: { message: string }[] }[];
    };
    expect(json.documents.map((d) => d.file)).toEqual([garbage, prose, 'samples/sh-sbk-2021-self-eval.txt']);
    expect(json.documents[0]!.errors[0]!.message).toMatch(/garbage\.txt: binary data/);
    expect(json.documents[1]!.errors[0]!.message).toMatch(/minutes\.txt: no form found/);
    expect(json.documents[2]!.records).toHaveLength(10);
    expect(r.err).toMatch(/minutes\.txt: no form found/);
  });
});

describe('jixiao check on the 2024 sample', () => {
  it('prints the deductions without reasons in 社会保险经办业务费', () => {
    const r = run('check', 'samples/sh-sibao-2024-self-eval.txt');
    const section = r.out.split(/\n(?=  \[\d+\])/).find((s) => s.includes('社会保险经办业务费'))!;
    expect(section).toMatch(/indicator\.deduction_without_reason @ 系统工作人员满意度/);
    expect(section).toMatch(/indicator\.deduction_without_reason @ 内部工作人员对社保在线帮办的认可度/);
  });
});

describe('jixiao schema', () => {
  it('prints the JSON Schema derived from the zod schemas', () => {
    const r = run('schema', 'record');
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.out) as { oneOf?: unknown[]; anyOf?: unknown[] };
    const variants = (schema.oneOf ?? schema.anyOf ?? []) as { properties: { docType: { const: string } } }[];
    expect(variants.map((v) => v.properties.docType.const).sort()).toEqual(['evaluation_report', 'self_evaluation', 'target_declaration']);
  });
  it('rejects an unknown command with exit 2', () => {
    expect(run('frobnicate').code).toBe(2);
  });
});
