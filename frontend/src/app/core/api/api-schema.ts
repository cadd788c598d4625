import { components, operations } from './api-types';

type Schemas = components['schemas'];

/**
 * Every property present, all the way down. Swagger marks a nullable property optional, but the
 * api always writes it (null when empty), and the console's code relies on that.
 */
export type Present<T> = T extends readonly (infer U)[]
  ? Present<U>[]
  : T extends object
    ? { [K in keyof T]-?: Present<Exclude<T[K], undefined>> }
    : T;

/** A response shape of the api, from its OpenAPI document (api-types.ts, generated). */
export type ApiView<K extends keyof Schemas> = Present<Schemas[K]>;

/** A schema of the OpenAPI document as it is: request bodies, and shapes with truly optional properties. */
export type ApiSchema<K extends keyof Schemas> = Schemas[K];

/**
 * `T` with some properties replaced: for the few whose OpenAPI schema is looser than the api's
 * real output (objects the backend describes as a bare `object`, strings that are enums).
 */
export type Refine<T, R extends { [K in keyof R]: K extends keyof T ? unknown : never }> = Omit<
  T,
  keyof R
> &
  R;

/** A keyset page, as every list endpoint returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The query parameters of an operation of the api (by its OpenAPI operation id), as it documents them. */
export type ApiQuery<K extends keyof operations> = NonNullable<
  operations[K]['parameters']['query']
>;
