/**
 * A learner's command read from the JSON a link carries (`fault=` in the page's URL). Its own
 * module, loaded when a link names a fault: a first play reads none (issue 11's first-play budget).
 */
import type { LearnerCommand, LearnerCommandType } from './edits.ts';

const COMMAND_FIELDS: Record<LearnerCommandType, Record<string, 'string' | 'number' | 'number?'>> = {
  'pod.crash': { pod: 'string', at: 'number', restartAfter: 'number?' },
  'pod.slow': { pod: 'string', at: 'number', delay: 'number', rate: 'number' },
  'pod.fail': { pod: 'string', at: 'number', status: 'number', rate: 'number' },
  'link.cut': { pod: 'string', to: 'string', at: 'number' },
  'controlPlane.stop': { at: 'number' },
  'certificate.expire': { pod: 'string', at: 'number' },
};

/**
 * Reads a command written as JSON (`{"type":"pod.crash","pod":"reviews-0","at":4200}`, as a link
 * carries it); the command, or what is wrong with it. Whether its pod exists is checked when it
 * is applied.
 */
export function readCommand(text: string): LearnerCommand | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `must be a command in JSON like {"type":"pod.crash","pod":"reviews-0","at":4200} (got ${JSON.stringify(text)})`;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return `must be a JSON object (got ${JSON.stringify(text)})`;
  const o = data as Record<string, unknown>;
  const fields = COMMAND_FIELDS[o.type as LearnerCommandType];
  if (typeof o.type !== 'string' || !fields) return `type must be one of ${Object.keys(COMMAND_FIELDS).join(', ')} (got ${JSON.stringify(o.type)})`;
  for (const key of Object.keys(o)) if (key !== 'type' && !(key in fields)) return `${o.type} has no field ${key} (it takes ${Object.keys(fields).join(', ')})`;
  for (const [key, kind] of Object.entries(fields)) {
    const v = o[key];
    if (v === undefined && kind === 'number?') continue;
    if (kind === 'string' ? typeof v !== 'string' : typeof v !== 'number' || !Number.isFinite(v))
      return `${o.type} needs ${key} as a ${kind === 'string' ? 'name' : 'number'}`;
  }
  return o as unknown as LearnerCommand;
}
