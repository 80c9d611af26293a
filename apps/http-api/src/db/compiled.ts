import type { Compilable, Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A hot-path query that kysely builds and compiles once; each run supplies only new values.
 * `build` must pass every named value through as a query parameter.
 *
 * @example const byId = queryTemplate(['id'], (db, p) => db.selectFrom('keys').where('id', '=', p.id))
 */
export interface QueryTemplate<P, R> {
  readonly names: readonly (keyof P & string)[];
  readonly build: (db: Kysely<Database>, params: P) => Compilable<R>;
}

/** The SQL of a template and, per parameter slot, the named value or constant that fills it. */
export interface CompiledTemplate<P> {
  readonly sql: string;
  readonly values: (params: P) => unknown[];
}

/** Declares a query template; see {@link QueryTemplate}. */
export function queryTemplate<P, R>(
  names: readonly (keyof P & string)[],
  build: (db: Kysely<Database>, params: P) => Compilable<R>,
): QueryTemplate<P, R> {
  return { names, build };
}

const MARK = '\u0000slm-parameter:';

// Builds the query once with a unique marker for each named value, then finds where each
// marker landed among the compiled parameters. Whatever is not a marker is a constant.
export function compileTemplate<P>(
  db: Kysely<Database>,
  template: QueryTemplate<P, unknown>,
): CompiledTemplate<P> {
  const markers = Object.fromEntries(template.names.map((name) => [name, `${MARK}${name}`]));
  const compiled = template.build(db, markers as P).compile();
  if (compiled.sql.includes(MARK)) throw new Error(`a template inlines a value: ${compiled.sql}`);
  const slots = compiled.parameters.map((value) => slotOf<P>(value));
  const unused = template.names.filter((name) => !slots.some((slot) => slot.name === name));
  if (unused.length > 0) throw new Error(`a template does not use ${unused.join(', ')}`);
  return {
    sql: compiled.sql,
    values: (params) => slots.map((slot) => (slot.name === null ? slot.value : params[slot.name])),
  };
}

function slotOf<P>(value: unknown): { name: keyof P | null; value: unknown } {
  if (typeof value !== 'string' || !value.startsWith(MARK)) return { name: null, value };
  return { name: value.slice(MARK.length) as keyof P, value: undefined };
}
