import type { Box } from '../types.js';

/**
 * Kalman filter over a box: its centre moves at constant velocity, its width and height are random
 * walks (no velocity).
 *
 * Why sizes have no velocity: at a few frames per second a box's size changes between two frames
 * mostly because the detector boxed a different part of the object (a cyclist with or without the
 * bicycle, a walker's legs cut by the frame edge), not because the object grew. Extrapolating such a
 * change predicted a zero-width box half a second later and lost the track (measured:
 * person-bicycle-car-detection.gif, the cyclist's box 0.08 then 0.035 of the frame wide). A random
 * walk follows real growth (a car coming closer) from one frame to the next, a frame late.
 *
 * The noise is independent per coordinate, so the covariance stays block-diagonal and the filter is
 * exactly four 2-state filters (position, velocity; a size's velocity is fixed at 0) — which is how
 * it is written: 2x2 matrices, no matrix library.
 * Noise is proportional to the box size (x and width to the width, y and height to the height), so
 * small and large objects are treated alike. Velocities are per second, so irregular frame spacing
 * is handled by the time step.
 */
export interface BoxEstimate {
  centreX: AxisEstimate;
  centreY: AxisEstimate;
  width: AxisEstimate;
  height: AxisEstimate;
}

/** One coordinate: position, velocity per second, and their covariance. */
export interface AxisEstimate {
  position: number;
  velocity: number;
  positionVariance: number;
  covariance: number;
  velocityVariance: number;
}

export interface KalmanNoise {
  /** Measurement standard deviation, as a fraction of the box size. */
  measurementNoise: number;
  /** Standard deviation of the velocity change over one second, in box sizes per second. */
  accelerationNoise: number;
  /** Standard deviation of the initial velocity, in box sizes per second. */
  initialVelocityNoise: number;
  /** Standard deviation of a box width's or height's change over one second, as a fraction of it. */
  sizeChangeNoise: number;
}

const isSize = (coordinate: keyof BoxEstimate): boolean => coordinate === 'width' || coordinate === 'height';

/** Keeps noise from collapsing to zero for degenerate (zero-size) boxes. */
const MIN_NOISE_SCALE = 1e-3;

const sizes = (estimate: BoxEstimate): { width: number; height: number } => ({
  width: Math.max(estimate.width.position, MIN_NOISE_SCALE),
  height: Math.max(estimate.height.position, MIN_NOISE_SCALE),
});

const mapAxes = (
  estimate: BoxEstimate,
  update: (axis: AxisEstimate, scale: number, measured: keyof BoxEstimate) => AxisEstimate,
): BoxEstimate => {
  const { width, height } = sizes(estimate);
  return {
    centreX: update(estimate.centreX, width, 'centreX'),
    centreY: update(estimate.centreY, height, 'centreY'),
    width: update(estimate.width, width, 'width'),
    height: update(estimate.height, height, 'height'),
  };
};

const toMeasurement = (box: Box): Record<keyof BoxEstimate, number> => ({
  centreX: box.left + box.width / 2,
  centreY: box.top + box.height / 2,
  width: box.width,
  height: box.height,
});

/** A new estimate at a measured box, with unknown (zero-mean) velocity. */
export const startEstimate = (box: Box, noise: KalmanNoise): BoxEstimate => {
  const measured = toMeasurement(box);
  const start = (coordinate: keyof BoxEstimate, scale: number): AxisEstimate => ({
    position: measured[coordinate],
    velocity: 0,
    positionVariance: (noise.measurementNoise * scale) ** 2,
    covariance: 0,
    velocityVariance: isSize(coordinate) ? 0 : (noise.initialVelocityNoise * scale) ** 2,
  });
  const width = Math.max(box.width, MIN_NOISE_SCALE);
  const height = Math.max(box.height, MIN_NOISE_SCALE);
  return {
    centreX: start('centreX', width),
    centreY: start('centreY', height),
    width: start('width', width),
    height: start('height', height),
  };
};

/**
 * Moves the estimate `seconds` ahead: the centre at constant velocity, its uncertainty growing as
 * under white-noise acceleration of spectral density q: Q = q·[[dt³/3, dt²/2], [dt²/2, dt]]; the
 * sizes stay, their variance growing by (sizeChangeNoise · size)² · dt.
 */
export const predictEstimate = (estimate: BoxEstimate, seconds: number, noise: KalmanNoise): BoxEstimate =>
  mapAxes(estimate, (axis, scale, coordinate) => {
    const dt = seconds;
    if (isSize(coordinate)) return { ...axis, positionVariance: axis.positionVariance + (noise.sizeChangeNoise * scale) ** 2 * dt };
    const q = (noise.accelerationNoise * scale) ** 2;
    return {
      position: axis.position + axis.velocity * dt,
      velocity: axis.velocity,
      positionVariance: axis.positionVariance + 2 * dt * axis.covariance + dt * dt * axis.velocityVariance + (q * dt ** 3) / 3,
      covariance: axis.covariance + dt * axis.velocityVariance + (q * dt * dt) / 2,
      velocityVariance: axis.velocityVariance + q * dt,
    };
  });

/** Blends a measured box into the estimate (the Kalman update with H = [1 0]). */
export const correctEstimate = (estimate: BoxEstimate, box: Box, noise: KalmanNoise): BoxEstimate => {
  const measured = toMeasurement(box);
  return mapAxes(estimate, (axis, scale, coordinate) => {
    const innovationVariance = axis.positionVariance + (noise.measurementNoise * scale) ** 2;
    const positionGain = axis.positionVariance / innovationVariance;
    const velocityGain = axis.covariance / innovationVariance;
    const innovation = measured[coordinate] - axis.position;
    return {
      position: axis.position + positionGain * innovation,
      velocity: axis.velocity + velocityGain * innovation,
      positionVariance: (1 - positionGain) * axis.positionVariance,
      covariance: (1 - positionGain) * axis.covariance,
      velocityVariance: axis.velocityVariance - velocityGain * axis.covariance,
    };
  });
};

/** The estimated box; a size the prediction drove below zero counts as zero. */
export const estimatedBox = (estimate: BoxEstimate): Box => {
  const width = Math.max(estimate.width.position, 0);
  const height = Math.max(estimate.height.position, 0);
  return { left: estimate.centreX.position - width / 2, top: estimate.centreY.position - height / 2, width, height };
};
