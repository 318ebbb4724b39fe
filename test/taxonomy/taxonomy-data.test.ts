import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allCategoryNames,
  allLabelNames,
  labelInfo,
  labelInfoForClass,
  loadTaxonomy,
} from '../../src/taxonomy/index.js';

// The 80 COCO class names as TF object-detection class maps spell them.
const COCO_CLASSES = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
  'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple',
  'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch',
  'potted plant', 'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear',
  'hair drier', 'toothbrush',
];

// The classes of the people stage (src/people): found by looking at people, not by the object detector.
const PEOPLE_CLASSES = ['face', 'head', 'hand', 'walking', 'running', 'standing', 'sitting', 'people', 'crowd'];

// Category names Amazon Rekognition documents for LabelCategoryInclusionFilters / ExclusionFilters.
const REKOGNITION_CATEGORIES = new Set([
  'Animals and Pets', 'Apparel and Accessories', 'Beauty and Personal Care', 'Buildings and Architecture',
  'Colors and Visual Composition', 'Damage Detection', 'Education', 'Everyday Objects', 'Expressions and Emotions',
  'Food and Beverage', 'Furniture and Furnishings', 'Health and Fitness', 'Hobbies and Interests', 'Home and Indoors',
  'Home Appliances', 'Kitchen and Dining', 'Materials', 'Medical', 'Nature and Outdoors', 'Offices and Workspaces',
  'Patterns and Shapes', 'Person Description', 'Plants and Flowers', 'Popular Landmarks', 'Public Safety', 'Religion',
  'Sports', 'Symbols and Flags', 'Technology and Computing', 'Text and Documents', 'Tools and Machinery',
  'Toys and Gaming', 'Transport and Logistics', 'Travel and Adventure', 'Vehicles and Automotive',
  'Weapons and Military',
]);

const taxonomy = loadTaxonomy();

describe('models/taxonomy.json', () => {
  it('maps every one of the 80 COCO classes and the people classes, and nothing else', () => {
    expect(COCO_CLASSES).toHaveLength(80);
    expect([...taxonomy.classes.keys()].sort()).toEqual([...COCO_CLASSES, ...PEOPLE_CLASSES].sort());
  });

  it('maps different classes to different labels', () => {
    expect(new Set(taxonomy.classes.values()).size).toBe(80 + PEOPLE_CLASSES.length);
  });

  it('names the people labels as Rekognition does, under Person', () => {
    expect(PEOPLE_CLASSES.map((name) => labelInfoForClass(taxonomy, name).name)).toEqual(['Face', 'Head', 'Hand', 'Walking', 'Running', 'Standing', 'Sitting', 'People', 'Crowd']);
    for (const name of PEOPLE_CLASSES) expect(labelInfoForClass(taxonomy, name).parents).toContain('Person');
    expect(labelInfo(taxonomy, 'Face').parents).toEqual(['Head', 'Person']);
    expect(labelInfo(taxonomy, 'Hand').parents).toEqual(['Body Part', 'Person']);
  });

  it('is acyclic: no label is among its own ancestors', () => {
    for (const label of taxonomy.labels.values()) expect(label.parents).not.toContain(label.name);
  });

  it('describes every ancestor as a label of its own, listed once', () => {
    for (const label of taxonomy.labels.values()) {
      expect(new Set(label.parents).size).toBe(label.parents.length);
      for (const ancestor of label.parents) expect(taxonomy.labels.has(ancestor)).toBe(true);
    }
  });

  it('uses only Rekognition category names', () => {
    for (const category of allCategoryNames(taxonomy)) expect(REKOGNITION_CATEGORIES).toContain(category);
  });

  it('declares a version and a source note', () => {
    expect(taxonomy.version).toMatch(/\S/);
    expect(taxonomy.source).toMatch(/Rekognition/);
  });

  it('has the shape its JSON Schema describes', () => {
    const schema = JSON.parse(readFileSync(new URL('../../models/taxonomy.schema.json', import.meta.url), 'utf8'));
    const file = JSON.parse(readFileSync(new URL('../../models/taxonomy.json', import.meta.url), 'utf8'));
    for (const key of schema.required) expect(file).toHaveProperty(key);
    for (const key of Object.keys(file)) expect(Object.keys(schema.properties)).toContain(key);
    const labelKeys = Object.keys(schema.$defs.label.properties).sort();
    for (const entry of Object.values(file.labels)) expect(Object.keys(entry as object).sort()).toEqual(labelKeys);
  });
});

// Spot checks against published Rekognition (label model 3.0) responses and the developer guide.
describe('spot checks', () => {
  it('person -> Person: no parents, alias Human, category Person Description', () => {
    expect(labelInfoForClass(taxonomy, 'person')).toEqual({
      name: 'Person',
      parents: [],
      aliases: ['Human'],
      categories: ['Person Description'],
    });
  });

  it('car -> Car under Vehicle under Transportation, alias Automobile, Vehicles and Automotive', () => {
    const car = labelInfoForClass(taxonomy, 'car');
    expect(car.name).toBe('Car');
    expect(car.parents).toEqual(['Vehicle', 'Transportation']);
    expect(car.aliases).toContain('Automobile');
    expect(car.categories).toEqual(['Vehicles and Automotive']);
  });

  it('bicycle and motorcycle are Vehicles, hence Transportation', () => {
    for (const className of ['bicycle', 'motorcycle']) {
      expect(labelInfoForClass(taxonomy, className).parents).toEqual(['Vehicle', 'Transportation']);
    }
  });

  it('dog -> Dog with ancestors Canine, Pet, Mammal and Animal', () => {
    const dog = labelInfoForClass(taxonomy, 'dog');
    expect([...dog.parents].sort()).toEqual(['Animal', 'Canine', 'Mammal', 'Pet']);
    expect(dog.categories).toEqual(['Animals and Pets']);
  });

  it('cat -> Cat with ancestors Mammal, Pet and Animal', () => {
    expect([...labelInfoForClass(taxonomy, 'cat').parents].sort()).toEqual(['Animal', 'Mammal', 'Pet']);
  });

  it('chair and couch are Furniture, in Furniture and Furnishings', () => {
    for (const className of ['chair', 'couch']) {
      const label = labelInfoForClass(taxonomy, className);
      expect(label.parents).toEqual(['Furniture']);
      expect(label.categories).toEqual(['Furniture and Furnishings']);
    }
  });

  it('cell phone -> Mobile Phone under Phone, alias Cell Phone, Technology and Computing', () => {
    const phone = labelInfoForClass(taxonomy, 'cell phone');
    expect(phone.name).toBe('Mobile Phone');
    expect(phone.parents[0]).toBe('Phone');
    expect(phone.aliases).toEqual(['Cell Phone']);
    expect(phone.categories).toEqual(['Technology and Computing']);
  });

  it('cup -> Cup: alias Mug, Kitchen and Dining; bottle -> Bottle in the same category', () => {
    expect(labelInfoForClass(taxonomy, 'cup')).toMatchObject({ name: 'Cup', aliases: ['Mug'], categories: ['Kitchen and Dining'] });
    expect(labelInfoForClass(taxonomy, 'bottle')).toMatchObject({ name: 'Bottle', categories: ['Kitchen and Dining'] });
  });

  it('tie -> Tie under Accessories and Formal Wear', () => {
    expect([...labelInfoForClass(taxonomy, 'tie').parents].sort()).toEqual(['Accessories', 'Formal Wear']);
  });

  it('multi-word class names map to their Rekognition spelling', () => {
    expect(labelInfoForClass(taxonomy, 'dining table').name).toBe('Dining Table');
    expect(labelInfoForClass(taxonomy, 'tv').name).toBe('TV');
    expect(labelInfoForClass(taxonomy, 'airplane').name).toBe('Airplane');
  });
});

describe('lookups', () => {
  it('labelInfo describes ancestor labels too', () => {
    expect(labelInfo(taxonomy, 'Vehicle')).toEqual({
      name: 'Vehicle',
      parents: ['Transportation'],
      aliases: [],
      categories: ['Vehicles and Automotive'],
    });
    expect(labelInfo(taxonomy, 'Transportation').parents).toEqual([]);
  });

  it('throws a clear error for an unknown class or label', () => {
    expect(() => labelInfoForClass(taxonomy, 'unicorn')).toThrow(/Detector class "unicorn" is not mapped/);
    expect(() => labelInfo(taxonomy, 'Unicorn')).toThrow(/Label "Unicorn" is not in label taxonomy/);
  });

  it('hands out copies, so callers cannot change the taxonomy', () => {
    labelInfo(taxonomy, 'Car').parents.push('Spaceship');
    expect(labelInfo(taxonomy, 'Car').parents).toEqual(['Vehicle', 'Transportation']);
  });

  it('lists all label names (ancestors included) and category names, sorted, each once', () => {
    const labels = allLabelNames(taxonomy);
    expect(labels).toContain('Transportation');
    expect(labels).toContain('Mobile Phone');
    expect(labels).toHaveLength(taxonomy.labels.size);
    expect(labels).toEqual([...labels].sort());
    const categories = allCategoryNames(taxonomy);
    expect(new Set(categories).size).toBe(categories.length);
    expect(categories).toEqual([...categories].sort());
    expect(categories).toContain('Person Description');
  });

  it('loads the file once', () => {
    expect(loadTaxonomy()).toBe(taxonomy);
  });
});
