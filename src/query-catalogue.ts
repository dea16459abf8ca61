import { NAMED_QUERIES, type NamedQuery } from './query/named-queries.js';
import { SEED_QUERIES } from './seeds/registry.js';

/** Every query the API and `cairn query` serve: Cairn's own and the seed adapters' service calls. */
export const QUERY_CATALOGUE: Readonly<Record<string, NamedQuery>> = {
  ...NAMED_QUERIES,
  ...SEED_QUERIES,
};
