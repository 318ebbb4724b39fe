import { availableParallelism } from 'node:os';
import { createDetectorPool, type DetectorPool } from '../src/detect/index.js';
import { detectVideo } from '../src/pipeline.js';
import { YOLOV5S_WEIGHTS } from './quality/model.js';
const pool = await createDetectorPool({ model: 'yolov5s', modelPath: YOLOV5S_WEIGHTS, workers: availableParallelism() });
const cn = await createDetectorPool({ workers: availableParallelism() });
const without: DetectorPool = { ...pool, manifest: { ...pool.manifest, secondLook: undefined }, detect: pool.detect, lookAgain: pool.lookAgain, lookForHands: pool.lookForHands, destroy: pool.destroy };
for (const video of ['media/bottle-detection.mp4', 'media/car-detection.mp4']) for (let round = 0; round < 2; round++) {
  const times: Record<string, number> = {};
  for (const [name, d, extra] of [['yolo', pool, {}], ['yolo-noLook', without, {}], ['cn', cn, {}], ['yolo-noPeople', pool, { lookAtPeople: false }], ['cn-noPeople', cn, { lookAtPeople: false }]] as const) {
    const t = performance.now();
    await detectVideo(video, { detector: d, ...extra });
    times[name] = (performance.now() - t) / 1000;
  }
  console.log(video, round, Object.entries(times).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', '), 'ratio', (times.yolo! / times.cn!).toFixed(2), 'noLook', (times['yolo-noLook']! / times.cn!).toFixed(2), 'noPeople', (times['yolo-noPeople']! / times['cn-noPeople']!).toFixed(2));
}
await pool.destroy(); await cn.destroy();
