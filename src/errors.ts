/**
 * Errors are the AWS SDK's own exception classes, so code written for Rekognition keeps working:
 * `err instanceof InvalidParameterException`, `err.name`, `err.$fault` all behave as with the service.
 */
import {
  AccessDeniedException,
  IdempotentParameterMismatchException,
  InternalServerError,
  InvalidPaginationTokenException,
  InvalidParameterException,
  InvalidS3ObjectException,
  LimitExceededException,
  ResourceNotFoundException,
  RekognitionServiceException,
  VideoTooLargeException,
} from '@aws-sdk/client-rekognition';

export {
  AccessDeniedException,
  IdempotentParameterMismatchException,
  InternalServerError,
  InvalidPaginationTokenException,
  InvalidParameterException,
  InvalidS3ObjectException,
  LimitExceededException,
  ResourceNotFoundException,
  RekognitionServiceException,
  VideoTooLargeException,
};

/** A factory for one exception class: the message in both `message` and the wire field `Message`. */
const raise =
  <E>(ExceptionClass: new (options: { message: string; Message: string; $metadata: object }) => E) =>
  (message: string): E =>
    new ExceptionClass({ message, Message: message, $metadata: {} });

export const invalidParameter = raise(InvalidParameterException);
export const invalidS3Object = raise(InvalidS3ObjectException);
export const invalidPaginationToken = raise(InvalidPaginationTokenException);
export const resourceNotFound = raise(ResourceNotFoundException);
export const idempotentParameterMismatch = raise(IdempotentParameterMismatchException);
export const limitExceeded = raise(LimitExceededException);
export const videoTooLarge = raise(VideoTooLargeException);
export const accessDenied = raise(AccessDeniedException);
export const internalServerError = raise(InternalServerError);

/** True for errors that carry a Rekognition exception name (as opposed to programming errors). */
export const isRekognitionError = (error: unknown): error is RekognitionServiceException =>
  error instanceof RekognitionServiceException;

const factoriesByName: Record<string, (message: string) => RekognitionServiceException> = {
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
export const rekognitionErrorFromName = (name: string, message: string): RekognitionServiceException =>
  (factoriesByName[name] ?? internalServerError)(message);
