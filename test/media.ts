/** Paths of the test videos kept in the repository (see media/README.md for what a person sees in them). */
import { fileURLToPath } from 'node:url';

const mediaDirectory = fileURLToPath(new URL('../media/', import.meta.url));

/** The opt-in YOLOv5s detector's weights, where bench/fetch-yolov5s.sh puts them (.ci/run fetches them); tests that need them skip without. */
export const yolov5sWeights = fileURLToPath(new URL('../bench/.cache/yolov5s', import.meta.url));

/** The coco-ssd detector's weights, where bench/fetch-coco-ssd.sh puts them (.ci/run fetches them), unless EDGE_LABEL_DETECTION_COCO_SSD_WEIGHTS names others; tests that need them skip without. */
export const cocoSsdWeights = process.env.EDGE_LABEL_DETECTION_COCO_SSD_WEIGHTS || fileURLToPath(new URL('../bench/.cache/coco-ssd', import.meta.url));

export const media = {
  directory: mediaDirectory,
  bottle: `${mediaDirectory}bottle-detection.mp4`,
  car: `${mediaDirectory}car-detection.mp4`,
  people: `${mediaDirectory}people-detection.gif`,
  personBicycleCar: `${mediaDirectory}person-bicycle-car-detection.gif`,
  fruitAndVegetable: `${mediaDirectory}fruit-and-vegetable-detection.mp4`,
  classroom: `${mediaDirectory}classroom.mp4`,
  storeAisle: `${mediaDirectory}store-aisle-detection.mp4`,
  faceDemographicsWalking: `${mediaDirectory}face-demographics-walking.mp4`,
  bolt: `${mediaDirectory}bolt-multi-size-detection.mp4`,
};
