import type { z } from 'zod';
import { calls, isCallName, type CallName } from './contract';
import { ApiError, fail, ok, type Envelope } from './envelope';
import type { ApiContext, Handler, Handlers } from './handlers/types';

export interface InputIssue {
  /** Dotted path to the field, e.g. "bootstrapServers.1"; empty for the input as a whole. */
  readonly path: string;
  readonly message: string;
}

export type Dispatch = (method: unknown, input: unknown) => Promise<Envelope<unknown>>;

/** Flattens zod's issues into one line per field, readable in a toast or a terminal. */
export function describeIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => String(segment)).join('.'),
    message: issue.message,
  }));
}

export function formatIssues(issues: readonly InputIssue[]): string {
  return issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('; ');
}

/**
 * Validates a call against the contract and runs its handler. Never throws and never
 * rejects: every outcome, including a handler bug, is an envelope, so a transport can always
 * answer and keep serving.
 */
export function createDispatcher(handlers: Handlers, context: ApiContext, onInternalError?: (method: CallName, error: unknown) => void): Dispatch {
  return async (method, input) => {
    if (!isCallName(method)) {
      const shown = typeof method === 'string' ? `"${method}"` : `a ${typeof method}`;
      return fail('unknown-method', `There is no call named ${shown}.`, { known: Object.keys(calls) });
    }
    const parsed = calls[method].input.safeParse(input);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error);
      return fail('invalid-input', `Invalid input for ${method}: ${formatIssues(issues)}`, { issues });
    }
    // The contract pairs each name with its schema and handler; TypeScript cannot follow the
    // correlation through a union key, so the handler is widened once here.
    const handler = handlers[method] as Handler<CallName>;
    try {
      return ok(await handler(parsed.data as never, context));
    } catch (error) {
      if (error instanceof ApiError) return fail(error.code, error.message, error.details);
      onInternalError?.(method, error);
      const message = error instanceof Error ? error.message : String(error);
      return fail('internal', `${method} failed: ${message}`);
    }
  };
}
