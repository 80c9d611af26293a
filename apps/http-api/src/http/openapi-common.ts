import type { z } from '@hono/zod-openapi';
import { problemSchema } from '@slm/activation-client';

/** A JSON body or answer in a route definition. */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

/** The problem answers a route may give, by status. */
export function problems(...statuses: number[]) {
  const content = { 'application/problem+json': { schema: problemSchema } };
  return Object.fromEntries(
    statuses.map((status) => [status, { content, description: `problem (${status})` }]),
  );
}

/** The security requirement of administration routes. */
export const adminSecurity = [{ adminToken: [] }];
