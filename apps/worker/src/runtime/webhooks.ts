import type { Logger } from 'pino';
import type { Db } from '@media-ai/db';
import { deliverWebhook, type WebhookBody } from '../lib/webhooks.js';

/**
 * Webhook calls for ended jobs, sent in the background. Shutdown waits for the ones in flight
 * before the database is closed.
 */
export class JobWebhooks {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  notifyLater(jobId: string, event: WebhookBody['event']): void {
    const p = this.notify(jobId, event)
      .catch((err: Error) => this.log.warn({ err: err.message, jobId }, 'webhook delivery failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async notify(jobId: string, event: WebhookBody['event']): Promise<void> {
    const job = await this.db.job.findUnique({ where: { id: jobId }, include: { requester: true } });
    if (!job) return;
    const url = job.webhookUrl ?? job.requester?.webhookUrl;
    const secret = job.requester?.webhookSecret;
    if (!url || !secret) return;
    await deliverWebhook(url, secret, {
      event,
      job: {
        id: job.id,
        type: job.type,
        status: job.status,
        result: job.result,
        error: job.error,
        finishedAt: (job.finishedAt ?? new Date()).toISOString(),
      },
    });
  }
}
