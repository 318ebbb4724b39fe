import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTaxonomy, type Taxonomy } from './parse-taxonomy.js';

// Two levels up reaches the package root both from src/taxonomy/*.ts and from the compiled dist/taxonomy/*.js.
const TAXONOMY_FILE = new URL('../../models/taxonomy.json', import.meta.url);

let cached: Taxonomy | undefined;

const readTaxonomyJson = (): unknown => {
  const path = fileURLToPath(TAXONOMY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the label taxonomy ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`The label taxonomy ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
};

/** The packaged taxonomy (models/taxonomy.json), read and validated once per process. */
export const loadTaxonomy = (): Taxonomy => {
  cached ??= parseTaxonomy(readTaxonomyJson());
  return cached;
};
