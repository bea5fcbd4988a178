/**
 * Pins over HTTP (GET/POST/DELETE /api/pins, managers only): hours a manager fixed, this person
 * on this ticket in this week. Shapes as server/modules/pins/pins.service.ts answers them.
 */
import type { PinInput, PinIssue } from '../../../solver/contract.ts';
import { http, query, request } from './http.ts';

export type { PinInput, PinIssue } from '../../../solver/contract.ts';

export interface PinRecord extends PinInput {
  id: number;
  quarter: string;
  /** The ticket's client; null when the ticket is gone. */
  client: string | null;
  pinnedBy: { id: number; email: string | null } | null;
  pinnedAt: string;
}

export const pinsPath = (quarter: string) => `/api/pins${query({ quarter })}`;

export const pinsApi = {
  create: (body: PinInput & { quarter: string }) => http.post<PinRecord>('/api/pins', body),
  remove: (id: number) => request<void>('DELETE', `/api/pins/${id}`),
};
