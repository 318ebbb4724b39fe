/**
 * A second look at the people in a frame (worker side): MoveNet Lightning on each detected person's
 * crop gives a pose, BlazeFace on the pose's head region finds the face, and the hand detector
 * (hands.ts) looks at the whole frame once. The models ship inside @vladmandic/human (MIT) and load
 * on the first frame that asks for people labels. Pose and face models run only on frames with a
 * person detection; the hand detector on every frame asked.
 *
 * Only poses (each with its face, if one was found) and raw hands come back: faces, heads and hands
 * are made from them in the pure people stage (people/parts.ts), activities after tracking
 * (people/activities.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { decodeBlazeFace, faceInHeadRegion, BLAZEFACE_INPUT } from '../people/blazeface.js';
import { headRegion, KEYPOINT_COUNT, type FrameSize } from '../people/keypoints.js';
import { FACE_SCORE_FLOOR, PEOPLE_LOOKED_AT, PERSON_CONFIDENCE_TO_LOOK } from '../people/confidence.js';
import type { Box, Detection, Keypoint, PersonPose, SeenHand } from '../types.js';
import { findHands } from './hands.js';
import { loadGraphModel } from './models.js';
import { fileInPackage, readGraphModelFiles } from './weights.js';

const MODELS_PACKAGE = '@vladmandic/human';
const MOVENET_INPUT = 192;

export interface PeopleModels {
  pose: tf.GraphModel;
  face: tf.GraphModel;
  hands: tf.GraphModel;
}

async function loadPackagedModel(file: string): Promise<tf.GraphModel> {
  const { modelJson, weightData } = readGraphModelFiles(fileInPackage(MODELS_PACKAGE, file));
  return loadGraphModel(modelJson, weightData);
}

export async function loadPeopleModels(): Promise<PeopleModels> {
  return { pose: await loadPackagedModel('models/movenet-lightning.json'), face: await loadPackagedModel('models/blazeface.json'), hands: await loadPackagedModel('models/handtrack.json') };
}

const asCropBox = (box: Box): number[] => [box.top, box.left, box.top + box.height, box.left + box.width];

/** A square crop around a person box, 10 % larger than its longer side, so the whole body is in it undistorted. */
function personCrop(box: Box, frame: FrameSize): Box {
  const side = 1.1 * Math.max(box.width * frame.width, box.height * frame.height);
  const centreX = box.left + box.width / 2;
  const centreY = box.top + box.height / 2;
  return { left: centreX - side / 2 / frame.width, top: centreY - side / 2 / frame.height, width: side / frame.width, height: side / frame.height };
}

async function estimatePose(models: PeopleModels, image: tf.Tensor4D, person: Detection, frame: FrameSize): Promise<PersonPose> {
  const crop = personCrop(person.box, frame);
  const output = tf.tidy(() => models.pose.execute(tf.image.cropAndResize(image, [asCropBox(crop)], [0], [MOVENET_INPUT, MOVENET_INPUT]).round().toInt()) as tf.Tensor);
  try {
    // MoveNet: 1 x 1 x 17 x (y, x, score), normalised to its input.
    const values = await output.data();
    const keypoints: Keypoint[] = Array.from({ length: KEYPOINT_COUNT }, (_, index) => ({
      y: crop.top + (values[index * 3] as number) * crop.height,
      x: crop.left + (values[index * 3 + 1] as number) * crop.width,
      score: values[index * 3 + 2] as number,
    }));
    return { box: person.box, keypoints };
  } finally {
    output.dispose();
  }
}

async function findFace(models: PeopleModels, image: tf.Tensor4D, head: Box): Promise<{ box: Box; score: number } | undefined> {
  // The crop is twice the head region, so the face fills a quarter to a half of the model's input.
  const crop: Box = { left: head.left - head.width / 2, top: head.top - head.height / 2, width: 2 * head.width, height: 2 * head.height };
  const input = tf.tidy(() => tf.image.cropAndResize(image, [asCropBox(crop)], [0], [BLAZEFACE_INPUT, BLAZEFACE_INPUT]).div(127.5).sub(1));
  const outputs = models.face.execute(input) as tf.Tensor[];
  try {
    // Outputs by shape: [1, 512, 1] and [1, 512, 16] (stride 16), [1, 384, 1] and [1, 384, 16] (stride 32).
    const byShape = (anchors: number, width: number) => outputs.find((tensor) => tensor.shape[1] === anchors && tensor.shape[2] === width);
    const layers = await Promise.all(
      [512, 384].map(async (anchors) => {
        const logits = byShape(anchors, 1);
        const regressions = byShape(anchors, 16);
        if (!logits || !regressions) throw new Error(`blazeface: unexpected outputs ${outputs.map((tensor) => tensor.shape.join('x')).join(', ')}`);
        return { logits: await logits.data(), regressions: await regressions.data() };
      }),
    );
    return faceInHeadRegion(decodeBlazeFace(layers, FACE_SCORE_FLOOR), crop);
  } finally {
    tf.dispose([input, ...outputs]);
  }
}

/**
 * What a frame shows of people beyond the object detector's boxes:
 * - the poses of the (at most {@link PEOPLE_LOOKED_AT} largest) people detected with confidence >=
 *   {@link PERSON_CONFIDENCE_TO_LOOK}, each with the face found in its head region, if any: the face
 *   detector looks at every head the pose shows, turned away or not (a profile's eyes and nose often
 *   score under 0.3: store-aisle-detection.mp4). No person, no pose or face model run;
 * - the hands anywhere in the frame (hands.ts), one detector run, person or not.
 * Faces, heads and hands become detections later, in the pure people stage (people/parts.ts), where
 * their thresholds are fitted.
 */
export async function lookAtPeople(models: PeopleModels, pixels: Uint8Array, width: number, height: number, detections: readonly Detection[]): Promise<{ poses: PersonPose[]; hands: SeenHand[] }> {
  const people = detections
    .filter((detection) => detection.className === 'person' && detection.confidence >= PERSON_CONFIDENCE_TO_LOOK)
    .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)
    .slice(0, PEOPLE_LOOKED_AT);
  const frame = { width, height };
  // One upload of the frame: the hand detector takes it as is, the pose and face crops as floats.
  const pixelsTensor = tf.tensor4d(Int32Array.from(pixels), [1, height, width, 3], 'int32');
  let image: tf.Tensor4D | undefined;
  try {
    const hands = await findHands(models.hands, pixelsTensor);
    if (people.length === 0) return { poses: [], hands };
    image = tf.cast(pixelsTensor, 'float32');
    const poses: PersonPose[] = [];
    for (const person of people) {
      const pose = await estimatePose(models, image, person, frame);
      const head = headRegion(pose, frame);
      const face = head ? await findFace(models, image, head) : undefined;
      poses.push(face ? { ...pose, face } : pose);
    }
    return { poses, hands };
  } finally {
    tf.dispose([pixelsTensor, ...(image ? [image] : [])]);
  }
}
