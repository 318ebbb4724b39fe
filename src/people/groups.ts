/**
 * Labels for groups of people (pure), from how many people are tracked at once:
 * - `people`: two or more;
 * - `crowd`: {@link CROWD_SIZE} or more.
 * Their confidence at a timestamp is that of the least sure of the people it takes (the second
 * surest for People): the group is only as sure as its members. A group label has no instances,
 * like a parent label: its people are the Person instances. Two person boxes one of which lies
 * mostly inside the other count once.
 */
import { boxArea, intersectionArea } from '../geometry.js';
import type { Box, GroupSeen, TrackedObject } from '../types.js';

/** Ten make a crowd: a number of people no longer counted at a glance. */
export const CROWD_SIZE = 10;

export const GROUP_SIZES: Readonly<Record<string, number>> = { people: 2, crowd: CROWD_SIZE };

/** Of two person boxes, the smaller lying this much inside the other is one person seen twice (a whole body and its upper half). */
export const SAME_PERSON_INSIDE = 0.7;

const samePerson = (a: Box, b: Box): boolean => intersectionArea(a, b) >= SAME_PERSON_INSIDE * Math.min(boxArea(a), boxArea(b));

/** The group labels that hold for one timestamp's tracked objects. */
export function groupsAmong(objects: readonly TrackedObject[]): GroupSeen[] {
  const people = objects.filter((object) => object.className === 'person').sort((a, b) => b.confidence - a.confidence);
  const distinct = people.filter((person, index) => people.slice(0, index).every((surer) => !samePerson(person.box, surer.box)));
  const confidences = distinct.map((object) => object.confidence);
  return Object.entries(GROUP_SIZES).flatMap(([className, size]) => {
    const least = confidences[size - 1];
    return least === undefined ? [] : [{ className, confidence: least }];
  });
}
