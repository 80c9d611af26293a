import type { z } from '@hono/zod-openapi';
import { problemSchema } from '@slm/activation-client';

/** A JSON body or answer in a route definition. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

const PROBLEM_CONTENT = { 'application/problem+json': { schema: problemSchema } };

/** The problem answers a route may give, by status. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { content: PROBLEM_CONTENT, description: `problem (${status})` },
    ]),
  );
}

/** One problem answer that says when a route gives it. */
export function problemAnswer(description: string) {
  return { content: PROBLEM_CONTENT, description };
}

/** The security requirement of administration routes. */
export const adminSecurity = [{ adminToken: [] }];
