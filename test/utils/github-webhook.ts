/**
 * A GitHub `issues` delivery as GitHub sends it, for tests that need a tracker's ticket: one of
 * GitHub's own published examples (@octokit/webhooks-examples), with its labels and id set, its
 * body signed in X-Hub-Signature-256 with the webhook's secret.
 */
import { createRequire } from 'node:module';
import { hmacSignature } from '../../server/modules/intake/trackers.ts';

type Payload = Record<string, any>;
const require = createRequire(import.meta.url);
const webhooks = require('@octokit/webhooks-examples') as { name: string; examples: Payload[] }[];

/** The example `issues.opened` (issue 1 of Codertocat/Hello-World), as a new issue `id` with these labels and title. */
export function openedIssue(id: number, labels: string[], title?: string): Payload {
  const found = webhooks.find((w) => w.name === 'issues')?.examples.find((p) => p.action === 'opened' && p.issue.number === 1);
  if (!found) throw new Error('no issues.opened example');
  const p = structuredClone(found);
  p.issue.id = id;
  p.issue.number = id;
  p.issue.labels = labels.map((name, i) => ({ id: i + 1, node_id: `L${i + 1}`, url: '', name, color: 'f29513', default: false, description: '' }));
  if (title) p.issue.title = title;
  return p;
}

/** POSTs the payload to /api/intake/github as GitHub would: its bytes, signed with `secret`. */
export function deliverGithub(baseUrl: string, secret: string, payload: Payload, delivery = `delivery-${payload.issue?.id ?? 'x'}-${Date.now()}`): Promise<Response> {
  const raw = JSON.stringify(payload);
  return fetch(`${baseUrl}/api/intake/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': delivery, 'x-hub-signature-256': hmacSignature(secret, raw) },
    body: raw,
  });
}
