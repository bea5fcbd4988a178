/**
 * Text the database can hold. PostgreSQL refuses a NUL character in text and JSON (worse: MikroORM
 * writes parameters into the query text, so a NUL ends the query and the server drops the
 * connection), and a lone UTF-16 surrogate is not Unicode at all: a JSON column refuses it, a text
 * column silently stores U+FFFD instead. Such input is refused before it reaches a query, naming
 * the field: once per request (input-guard.ts) and again by `parse` (errors.ts), for input that
 * did not come through HTTP.
 */

const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const BAD_TEXT_ALL = new RegExp(BAD_TEXT.source, 'g');

export const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';
export const SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate: send valid Unicode text';

/** Where a string first holds a character that cannot be stored, and why; null when it can be. */
export function firstBadChar(s: string): { index: number; message: string } | null {
  const m = BAD_TEXT.exec(s);
  if (!m) return null;
  return { index: m.index, message: m[0] === '\u0000' ? NUL_MESSAGE : SURROGATE_MESSAGE };
}

/** Why a string cannot be stored, or null when it can. */
export const textProblem = (s: string): string | null => firstBadChar(s)?.message ?? null;

/** The string as it can be shown in a message: each bad character becomes U+FFFD. */
export const printable = (s: string) => s.replace(BAD_TEXT_ALL, '\uFFFD');

export interface TextIssue {
  /** Where in the value, as zod paths go: `['changes', 1, 'note']`. */
  path: PropertyKey[];
  message: string;
}

interface Node {
  value: unknown;
  parent: Node | null;
  key: PropertyKey | null;
}

function pathOf(node: Node): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let n: Node | null = node; n && n.key !== null; n = n.parent) path.push(n.key);
  return path.reverse();
}

/**
 * The first string or object key found that cannot be stored (an object's keys before its
 * values). Walks without recursion, so a deeply nested body cannot overflow the stack.
 */
export function findBadText(value: unknown): TextIssue | null {
  const stack: Node[] = [{ value, parent: null, key: null }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path: pathOf(node), message: problem };
      continue;
    }
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: node, key: i });
      continue;
    }
    const keys = Object.keys(v);
    for (const key of keys) {
      const problem = textProblem(key);
      if (problem) return { path: [...pathOf(node), printable(key)], message: `is a field name that ${problem}` };
    }
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: (v as Record<string, unknown>)[keys[i]!], parent: node, key: keys[i]! });
  }
  return null;
}
