/**
 * The socket.io event maps, declared once and used as the generics of both the server's and the
 * dashboard's sockets, so a renamed event or a changed payload fails to compile on both sides.
 * Every payload a socket receives is cut down for its audience exactly as the API cuts
 * GET /api/plans/current: a client's socket never hears of another client. Which fields reach
 * which audience is decided field by field in server/realtime/audiences.ts.
 */
import type { SessionUser } from './api/auth.ts';

export interface PlanChangesPayload {
  /** Clients whose figures moved (for a client: itself or nothing). */
  clients: string[];
  /** Tickets whose planned weeks or hours moved (for a client: its own only). */
  tickets: string[];
  /** Staff whose allocations moved (for staff: themselves or nothing; clients: always empty). */
  staff: string[];
}

export interface PlanUpdatedPayload {
  quarterId: string;
  version: number;
  previousVersion: number | null;
  at: string;
  changes: PlanChangesPayload;
}

export interface TicketChangedPayload {
  quarterId: string;
  ticketId: string;
  clientId: string;
  action: 'created' | 'updated' | 'imported';
}

export interface TimeEntryChangedPayload {
  quarterId: string;
  entryId: number;
  ticketId: string;
  clientId: string;
  /** Who worked the hours: managers and that person only, never a client. */
  staffId?: string;
  action: 'created' | 'updated' | 'deleted';
}

export interface EmergencyDeclaredPayload {
  quarterId: string;
  ticketId: string;
  clientId: string;
  at: string;
}

export interface ReplanPayload {
  quarterId: string;
  jobId: string;
}

export interface ReplanFailedPayload extends ReplanPayload {
  code: 'replan_failed';
  /** What went wrong: managers only (everyone else gets the code; the server log has the rest). */
  message?: string;
}

export interface DataChangedPayload {
  quarterIds: string[];
  entity: string;
  id: string;
}

export interface HelloPayload {
  /** Who is signed in, as GET /api/auth/me tells it. */
  user: SessionUser;
  /** The current plan of the latest quarter when the socket connected. */
  current: { quarterId: string; version: number } | null;
}

export interface SocketErrorPayload {
  code: 'bad_message' | 'unknown_event' | 'too_large' | 'not_found';
  message: string;
}

export interface ServerToClientEvents {
  hello: (p: HelloPayload) => void;
  /**
   * A new plan version is current. Sent only when the plan moved: a re-plan whose plan comes out
   * identical to the current version (its content hash, stats aside) makes no version and sends
   * no plan.updated; its `replan.finished` names the current version instead.
   */
  'plan.updated': (p: PlanUpdatedPayload) => void;
  'ticket.changed': (p: TicketChangedPayload) => void;
  'time-entry.changed': (p: TimeEntryChangedPayload) => void;
  'emergency.declared': (p: EmergencyDeclaredPayload) => void;
  'replan.started': (p: ReplanPayload & { revision: number }) => void;
  'replan.progress': (p: ReplanPayload & { week: number; weeks: number }) => void;
  /**
   * The re-plan is done and `version` is current. When `version` is the one a screen shows, the
   * plan came out identical: that version now includes the change (its data revision moved on in
   * place), nothing moved and there is nothing to fetch. Otherwise `plan.updated` follows.
   */
  'replan.finished': (p: ReplanPayload & { version: number; solveMs: number }) => void;
  'replan.failed': (p: ReplanFailedPayload) => void;
  'data.changed': (p: DataChangedPayload) => void;
  /** A message this socket sent was refused; the connection stays open. */
  'socket.error': (p: SocketErrorPayload) => void;
}

export interface SyncRequest {
  quarterId?: string;
  /** The plan version the screen shows now, if any. */
  version?: number;
}

export type SyncResponse =
  | { ok: true; current: { quarterId: string; version: number } | null; stale: boolean; plan?: Record<string, unknown> }
  | { ok: false; error: SocketErrorPayload };

export interface ClientToServerEvents {
  /** Catch up after a reconnect: answers the current version and, when newer, the plan view. */
  sync: (req: SyncRequest, ack: (res: SyncResponse) => void) => void;
}
