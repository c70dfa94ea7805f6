/** Library entry: the pipeline and the contract. */
export { processFile, processFiles, processBytes } from './pipeline.js';
export * from './schema/output.js';
export * from './schema/records.js';
export * from './schema/findings.js';
export { jsonSchema } from './output/json.js';
