/** Paths of the shared test videos (see ../shared/media/README.md for what a person sees in them). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const mediaDirectory = fileURLToPath(new URL('../../shared/media/', import.meta.url));

export const media = {
  directory: mediaDirectory,
  bottle: `${mediaDirectory}bottle-detection.mp4`,
  car: `${mediaDirectory}car-detection.mp4`,
  people: `${mediaDirectory}people-detection.gif`,
  personBicycleCar: `${mediaDirectory}person-bicycle-car-detection.gif`,
};

export const haveSharedMedia = existsSync(media.bottle);
