import { describe, expect, it } from 'vitest';
import { processFile } from '../src/pipeline.js';
import { jsonSchema } from '../src/output/json.js';
import { describedInFull } from './described.js';

describe('the output schema (jixiao schema output)', () => {
  it('describes every key of a text input’s and a text-layer PDF’s output: forms, provenance, page frames', async () => {
    const files = ['samples/sh-sbk-2021-self-eval.txt', 'samples/pdf/sh-sibao-2022-target-declaration.pdf', 'no-such-file.pdf'];
    const { written, described } = describedInFull(await Promise.all(files.map((f) => processFile(f))));
    const docs = (written as { documents: { forms: { provenance?: object }[]; pages?: object[]; errors: object[] }[] }).documents;
    // The outputs hold what is to be described.
    expect(docs[0]!.forms.length).toBeGreaterThan(0);
    expect(docs[1]!.pages?.length).toBe(5);
    expect(Object.keys(docs[1]!.forms[0]!.provenance ?? {}).length).toBeGreaterThan(0);
    expect(docs[2]!.errors.length).toBe(1);
    expect(described).toEqual(written);
  });

  it('its JSON Schema names each part of a document', () => {
    const schema = jsonSchema('output') as { properties: { documents: { items: { properties: object; required: string[] } } } };
    const doc = schema.properties.documents.items;
    expect(Object.keys(doc.properties).sort()).toEqual(['errors', 'file', 'findings', 'forms', 'llmUsage', 'pages', 'records']);
    expect(doc.required.sort()).toEqual(['errors', 'file', 'findings', 'forms', 'records']);
  });
});
