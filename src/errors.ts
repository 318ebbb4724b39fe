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

const noMetadata = { $metadata: {} } as const;

export const invalidParameter = (message: string): InvalidParameterException =>
  new InvalidParameterException({ message, Message: message, ...noMetadata });

export const invalidS3Object = (message: string): InvalidS3ObjectException =>
  new InvalidS3ObjectException({ message, Message: message, ...noMetadata });

export const invalidPaginationToken = (message: string): InvalidPaginationTokenException =>
  new InvalidPaginationTokenException({ message, Message: message, ...noMetadata });

export const resourceNotFound = (message: string): ResourceNotFoundException =>
  new ResourceNotFoundException({ message, Message: message, ...noMetadata });

export const idempotentParameterMismatch = (message: string): IdempotentParameterMismatchException =>
  new IdempotentParameterMismatchException({ message, Message: message, ...noMetadata });

export const limitExceeded = (message: string): LimitExceededException =>
  new LimitExceededException({ message, Message: message, ...noMetadata });

export const videoTooLarge = (message: string): VideoTooLargeException =>
  new VideoTooLargeException({ message, Message: message, ...noMetadata });

export const accessDenied = (message: string): AccessDeniedException =>
  new AccessDeniedException({ message, Message: message, ...noMetadata });

export const internalServerError = (message: string): InternalServerError =>
  new InternalServerError({ message, Message: message, ...noMetadata });

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
