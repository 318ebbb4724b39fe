/** Factories of the AWS SDK's exception classes (error-classes.ts), each message naming the field or file at fault. */
import * as errors from './error-classes.js';

export * from './error-classes.js';

/** A factory for one exception class: the message in both `message` and the wire field `Message`. */
const raise =
  <E>(ExceptionClass: new (options: { message: string; Message: string; $metadata: object }) => E) =>
  (message: string): E =>
    new ExceptionClass({ message, Message: message, $metadata: {} });

export const invalidParameter = raise(errors.InvalidParameterException);
export const invalidS3Object = raise(errors.InvalidS3ObjectException);
export const invalidPaginationToken = raise(errors.InvalidPaginationTokenException);
export const resourceNotFound = raise(errors.ResourceNotFoundException);
export const idempotentParameterMismatch = raise(errors.IdempotentParameterMismatchException);
export const limitExceeded = raise(errors.LimitExceededException);
export const videoTooLarge = raise(errors.VideoTooLargeException);
export const accessDenied = raise(errors.AccessDeniedException);
export const internalServerError = raise(errors.InternalServerError);

/** True for errors that carry a Rekognition exception name (as opposed to programming errors). */
export const isRekognitionError = (error: unknown): error is errors.RekognitionServiceException =>
  error instanceof errors.RekognitionServiceException;

const factoriesByName: Record<string, (message: string) => errors.RekognitionServiceException> = {
  AccessDeniedException: accessDenied,
  IdempotentParameterMismatchException: idempotentParameterMismatch,
  InternalServerError: internalServerError,
  InvalidPaginationTokenException: invalidPaginationToken,
  InvalidParameterException: invalidParameter,
  InvalidS3ObjectException: invalidS3Object,
  LimitExceededException: limitExceeded,
  ResourceNotFoundException: resourceNotFound,
  VideoTooLargeException: videoTooLarge,
};

/** Rebuilds a Rekognition error from its name, e.g. after it crossed a thread or process boundary. */
export const rekognitionErrorFromName = (name: string, message: string): errors.RekognitionServiceException =>
  (factoriesByName[name] ?? internalServerError)(message);
