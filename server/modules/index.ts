/** Resource routers mounted under /api, one per module. */
import type { Router } from 'express';
import type { Services } from '../services.ts';

export function apiRouters(_s: Services): [path: string, router: Router][] {
  return [];
}
