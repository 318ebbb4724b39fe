/**
 * Publishes a job's completion message to the SNS topic of its NotificationChannel, as Rekognition
 * does. A notification is a courtesy: publishing failures are logged and never change the job.
 */
import type { NotificationChannel } from '@aws-sdk/client-rekognition';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { LabelDetectionCompletionMessage } from '../client.js';

export interface CompletionNotifier {
  /** Starts publishing and returns at once; the outcome is logged. */
  notify(message: LabelDetectionCompletionMessage, channel: NotificationChannel): void;
  /** Resolves once every publish started so far has succeeded or failed. */
  drain(): Promise<void>;
}

export interface SnsNotifierOptions {
  sns: Pick<SNSClient, 'send'>;
  log: (line: string) => void;
}

export function createSnsNotifier({ sns, log }: SnsNotifierOptions): CompletionNotifier {
  const pending = new Set<Promise<void>>();
  const publish = async (message: LabelDetectionCompletionMessage, channel: NotificationChannel): Promise<void> => {
    const job = `job ${message.JobId} (${message.Status})`;
    try {
      const { MessageId } = await sns.send(
        new PublishCommand({ TopicArn: channel.SNSTopicArn, Message: JSON.stringify(message) }),
      );
      log(`notified ${channel.SNSTopicArn} of ${job}, SNS message ${MessageId}`);
    } catch (error) {
      const { name, message: reason } = error instanceof Error ? error : new Error(String(error));
      log(`could not notify ${channel.SNSTopicArn} of ${job}: ${name}: ${reason}`);
    }
  };
  return {
    notify: (message, channel) => {
      const published = publish(message, channel);
      pending.add(published);
      void published.finally(() => pending.delete(published));
    },
    drain: async () => {
      await Promise.all([...pending]);
    },
  };
}
