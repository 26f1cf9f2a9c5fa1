import { createHmac } from 'node:crypto';
import { OutboundRefused, outboundRequest } from '@media-ai/core';

export interface WebhookBody {
  event: 'job.completed' | 'job.failed' | 'job.cancelled';
  job: {
    id: string;
    type: string;
    status: string;
    result: unknown;
    error: string | null;
    finishedAt: string;
  };
}

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * POSTs the body signed with HMAC-SHA256 over "<timestamp>.<body>" (headers X-MediaAI-Timestamp and
 * X-MediaAI-Signature), retrying with backoff. Returns whether a 2xx answer came back.
 */
export async function deliverWebhook(
  url: string,
  secret: string,
  body: WebhookBody,
  opts: { attempts?: number; timeoutMs?: number; baseDelayMs?: number } = {},
): Promise<boolean> {
  const json = JSON.stringify(body);
  const attempts = opts.attempts ?? 4;
  for (let i = 0; i < attempts; i++) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const res = await outboundRequest(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-mediaai-event': body.event,
            'x-mediaai-timestamp': timestamp,
            'x-mediaai-signature': signWebhook(secret, timestamp, json),
          },
          body: json,
          timeoutMs: opts.timeoutMs ?? 10_000,
        },
        'The webhook URL',
      );
      if (res.ok) return true;
      if (res.status >= 400 && res.status < 500 && res.status !== 429) return false;
    } catch (e) {
      if (e instanceof OutboundRefused) return false; // refused by the outbound guard: never retried
      /* network error: retry */
    }
    await new Promise((r) => setTimeout(r, (opts.baseDelayMs ?? 500) * 2 ** i));
  }
  return false;
}
