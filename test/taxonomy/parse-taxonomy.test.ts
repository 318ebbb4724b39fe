import { describe, expect, it } from 'vitest';
import { parseTaxonomy } from '../../src/taxonomy/index.js';

const label = (parents: string[] = [], categories = ['Everyday Objects'], aliases: string[] = []) => ({
  parents,
  aliases,
  categories,
});

const validJson = () => ({
  version: 'test',
  source: 'hand-built for this test',
  classes: { car: 'Car', truck: 'Truck' },
  labels: {
    Transportation: label(),
    Vehicle: label(['Transportation']),
    Car: label(['Vehicle'], ['Vehicles and Automotive'], ['Automobile']),
    Truck: label(['Vehicle']),
  },
});

describe('parseTaxonomy', () => {
  it('resolves all ancestors nearest first', () => {
    const taxonomy = parseTaxonomy(validJson());
    expect(taxonomy.labels.get('Car')).toEqual({
      name: 'Car',
      parents: ['Vehicle', 'Transportation'],
      aliases: ['Automobile'],
      categories: ['Vehicles and Automotive'],
    });
    expect(taxonomy.classes.get('truck')).toBe('Truck');
    expect(taxonomy.version).toBe('test');
  });

  it('lists an ancestor reachable along two paths only once, at its nearest distance', () => {
    // Dog -> Canine -> Mammal -> Animal and Dog -> Pet -> Animal: Animal is two steps away along the Pet path.
    const taxonomy = parseTaxonomy({
      version: 'test',
      source: 'test',
      classes: { dog: 'Dog' },
      labels: {
        Animal: label(),
        Mammal: label(['Animal']),
        Pet: label(['Animal']),
        Canine: label(['Mammal']),
        Dog: label(['Canine', 'Pet']),
      },
    });
    expect(taxonomy.labels.get('Dog')?.parents).toEqual(['Canine', 'Pet', 'Mammal', 'Animal']);
  });

  it('rejects a class mapped to a label that does not exist', () => {
    const json = validJson();
    (json.classes as Record<string, string>).bus = 'Bus';
    expect(() => parseTaxonomy(json)).toThrow(/classes\["bus"\] maps to "Bus", which is not a label/);
  });

  it('reads the classes held by people, and refuses one that is not a detector class', () => {
    expect([...parseTaxonomy({ ...validJson(), heldByPeople: { note: 'n', classes: ['car'] } }).heldByPeople]).toEqual(['car']);
    expect(parseTaxonomy(validJson()).heldByPeople.size).toBe(0);
    expect(() => parseTaxonomy({ ...validJson(), heldByPeople: { note: 'n', classes: ['phone'] } })).toThrow(/heldByPeople\.classes name "phone", which is not a detector class/);
    expect([...parseTaxonomy({ ...validJson(), fixedInPlace: { note: 'n', classes: ['car'] } }).fixedInPlace]).toEqual(['car']);
    expect(parseTaxonomy(validJson()).fixedInPlace.size).toBe(0);
    expect(() => parseTaxonomy({ ...validJson(), fixedInPlace: { note: 'n', classes: ['meter'] } })).toThrow(/fixedInPlace\.classes name "meter", which is not a detector class/);
  });

  it('rejects a parent that does not exist', () => {
    const json = validJson();
    json.labels.Vehicle = label(['Transport']);
    expect(() => parseTaxonomy(json)).toThrow(/labels\["Vehicle"\]\.parents name "Transport", which is not a label/);
  });

  it('rejects a parent cycle and names the labels on it', () => {
    const json = validJson();
    json.labels.Transportation = label(['Car']);
    expect(() => parseTaxonomy(json)).toThrow(/parent cycle: .*Car -> Vehicle -> Transportation/);
  });

  it('rejects a label that is its own parent', () => {
    const json = validJson();
    json.labels.Truck = label(['Truck']);
    expect(() => parseTaxonomy(json)).toThrow(/labels\["Truck"\]\.parents must not contain the label itself/);
  });

  it('rejects an alias that is itself a label name', () => {
    const json = validJson();
    json.labels.Car = label(['Vehicle'], ['Vehicles and Automotive'], ['Truck']);
    expect(() => parseTaxonomy(json)).toThrow(/labels\["Car"\]\.aliases contain "Truck", which is itself a label/);
  });

  it('rejects a label without categories', () => {
    const json = validJson();
    json.labels.Truck = label(['Vehicle'], []);
    expect(() => parseTaxonomy(json)).toThrow(/labels\["Truck"\]\.categories must name at least one category/);
  });

  it('rejects a label whose fields are not lists of names', () => {
    const json = validJson() as { labels: Record<string, unknown> };
    json.labels.Truck = { parents: 'Vehicle', aliases: [], categories: ['Sports'] };
    expect(() => parseTaxonomy(json)).toThrow(/labels\["Truck"\]\.parents must be an array of names/);
  });

  it('rejects duplicate names in a list', () => {
    const json = validJson();
    json.labels.Truck = label(['Vehicle', 'Vehicle']);
    expect(() => parseTaxonomy(json)).toThrow(/labels\["Truck"\]\.parents lists "Vehicle" twice/);
  });

  it('rejects a missing version, classes or labels', () => {
    const { version: _version, ...withoutVersion } = validJson();
    expect(() => parseTaxonomy(withoutVersion)).toThrow(/models\/taxonomy\.json: version must be a non-empty string/);
    expect(() => parseTaxonomy({ ...validJson(), classes: {} })).toThrow(/classes must be a non-empty object/);
    expect(() => parseTaxonomy({ ...validJson(), labels: [] })).toThrow(/labels must be a non-empty object/);
    expect(() => parseTaxonomy('not json object')).toThrow(/top level must be an object/);
  });
});
