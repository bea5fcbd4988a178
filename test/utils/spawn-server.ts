/**
 * Server and worker processes for multi-instance tests: each is a real `server/main.ts` or
 * `server/worker.ts` process, so killing one is a real crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket-events.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Proc {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function start(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', DEMO: 'off', SERVE_CLIENT: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${script} did not start in time:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[1] ?? '',
          output: () => out,
          stop: (signal = 'SIGTERM') =>
            new Promise((res) => {
              if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
              child.once('exit', (code) => res(code));
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** `nodeArgs`: options for node itself, before the script (`--cpu-prof`, `--max-old-space-size=…`). */
export function startServerProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<Proc> {
  return start('server/main.ts', { PORT: '0', HOST: '127.0.0.1', ...env }, /running at (http:\/\/localhost:\d+)/, nodeArgs);
}

export function startWorkerProcess(env: Record<string, string>): Promise<Proc> {
  return start('server/worker.ts', env, /worker ready/);
}

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket signed in with a session cookie, recording every event it receives. */
export function connectSocket(url: string, cookie: string): Promise<{ socket: LiveSocket; events: { event: string; payload: any }[] }> {
  const socket: LiveSocket = io(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
  const events: { event: string; payload: any }[] = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, events }));
    socket.once('connect_error', reject);
  });
}

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
