import type { LabelInfo } from '../types.js';
import { isRecord } from '../is-record.js';

/** A validated taxonomy with every label's ancestors already resolved. */
export interface Taxonomy {
  version: string;
  source: string;
  /** Detector class name -> label name. */
  classes: ReadonlyMap<string, string>;
  /** Label name -> label with ALL ancestors (nearest first), aliases and categories. */
  labels: ReadonlyMap<string, LabelInfo>;
  /** Detector classes whose objects people hold, wear, carry or ride on (see held-objects.ts). */
  heldByPeople: ReadonlySet<string>;
  /** Detector classes whose objects stay where they are: they do not move across a still picture (see fixed-objects.ts). */
  fixedInPlace: ReadonlySet<string>;
}

interface LabelEntry {
  parents: string[];
  aliases: string[];
  categories: string[];
}

const FILE = 'models/taxonomy.json';

const fail = (where: string, problem: string): never => {
  throw new Error(`${FILE}: ${where} ${problem}`);
};

const requireText = (value: unknown, where: string): string =>
  typeof value === 'string' && value.length > 0 ? value : fail(where, 'must be a non-empty string');

const requireRecord = (value: unknown, where: string): Record<string, unknown> =>
  isRecord(value) && Object.keys(value).length > 0 ? value : fail(where, 'must be a non-empty object');

const requireNameList = (value: unknown, where: string): string[] => {
  if (!Array.isArray(value)) return fail(where, 'must be an array of names');
  const names = value.map((item, index) => requireText(item, `${where}[${index}]`));
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) fail(where, `lists "${duplicate}" twice`);
  return names;
};

const parseLabelEntry = (value: unknown, where: string): LabelEntry => {
  if (!isRecord(value)) return fail(where, 'must be an object with parents, aliases and categories');
  const entry = {
    parents: requireNameList(value.parents, `${where}.parents`),
    aliases: requireNameList(value.aliases, `${where}.aliases`),
    categories: requireNameList(value.categories, `${where}.categories`),
  };
  if (entry.categories.length === 0) fail(`${where}.categories`, 'must name at least one category');
  return entry;
};

/** Fails on the first parent cycle found, naming the labels on it. */
const assertAcyclic = (entries: ReadonlyMap<string, LabelEntry>): void => {
  const finished = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (finished.has(name)) return;
    const cycleStart = path.indexOf(name);
    if (cycleStart >= 0) {
      fail('labels', `have a parent cycle: ${[...path.slice(cycleStart), name].join(' -> ')}`);
    }
    for (const parent of entries.get(name)?.parents ?? []) visit(parent, [...path, name]);
    finished.add(name);
  };
  for (const name of entries.keys()) visit(name, []);
};

/** Breadth-first walk up the parent graph, so nearer ancestors come first and each appears once. */
const ancestorsOf = (name: string, entries: ReadonlyMap<string, LabelEntry>): string[] => {
  const ancestors: string[] = [];
  let generation = entries.get(name)?.parents ?? [];
  while (generation.length > 0) {
    const next: string[] = [];
    for (const parent of generation) {
      if (ancestors.includes(parent)) continue;
      ancestors.push(parent);
      next.push(...(entries.get(parent)?.parents ?? []));
    }
    generation = next;
  }
  return ancestors;
};

/**
 * Validates the contents of models/taxonomy.json and resolves every label's ancestors.
 * Throws an Error naming the field at fault when the data is malformed, a class maps to a missing label,
 * a parent does not exist, an alias collides with a label name, or the parent graph has a cycle.
 */
export const parseTaxonomy = (json: unknown): Taxonomy => {
  if (!isRecord(json)) return fail('top level', 'must be an object');
  const version = requireText(json.version, 'version');
  const source = requireText(json.source, 'source');

  const entries = new Map<string, LabelEntry>();
  for (const [name, value] of Object.entries(requireRecord(json.labels, 'labels'))) {
    entries.set(name, parseLabelEntry(value, `labels["${name}"]`));
  }

  for (const [name, entry] of entries) {
    for (const parent of entry.parents) {
      if (parent === name) fail(`labels["${name}"].parents`, 'must not contain the label itself');
      if (!entries.has(parent)) fail(`labels["${name}"].parents`, `name "${parent}", which is not a label`);
    }
    for (const alias of entry.aliases) {
      if (entries.has(alias)) fail(`labels["${name}"].aliases`, `contain "${alias}", which is itself a label`);
    }
  }
  assertAcyclic(entries);

  const classes = new Map<string, string>();
  for (const [className, labelName] of Object.entries(requireRecord(json.classes, 'classes'))) {
    const label = requireText(labelName, `classes["${className}"]`);
    if (!entries.has(label)) fail(`classes["${className}"]`, `maps to "${label}", which is not a label`);
    classes.set(className, label);
  }

  // Optional lists of detector classes: without them no class needs a person in view, none is fixed in place.
  const classList = (field: 'heldByPeople' | 'fixedInPlace'): ReadonlySet<string> => {
    const list = json[field] === undefined ? { classes: [] } : requireRecord(json[field], field);
    const names = new Set(requireNameList(list.classes, `${field}.classes`));
    for (const className of names) {
      if (!classes.has(className)) fail(`${field}.classes`, `name "${className}", which is not a detector class of classes`);
    }
    return names;
  };
  const heldByPeople = classList('heldByPeople');
  const fixedInPlace = classList('fixedInPlace');

  const labels = new Map<string, LabelInfo>();
  for (const [name, entry] of entries) {
    labels.set(name, {
      name,
      parents: ancestorsOf(name, entries),
      aliases: [...entry.aliases],
      categories: [...entry.categories],
    });
  }
  return { version, source, classes, labels, heldByPeople, fixedInPlace };
};
