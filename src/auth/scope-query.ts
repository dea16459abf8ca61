import { CairnError } from '../core/errors.js';
import type { NamedQuery } from '../query/named-queries.js';

/**
 * The parameters of a named query run for a workspace-scoped key: `workspace` is forced to the
 * key's. Naming another workspace is refused (not silently replaced, so a caller never mistakes
 * one workspace's numbers for another's), and a query with no workspace parameter — one that
 * could not be confined — is refused outright.
 */
export function scopedParams(
  name: string,
  query: NamedQuery | undefined,
  params: Record<string, unknown>,
  scope: string,
): Record<string, unknown> {
  if (!query) return params; // runNamedQuery reports the unknown name
  const shape = (query.params as { shape?: Record<string, unknown> }).shape;
  if (!shape || !('workspace' in shape))
    throw new CairnError(
      'forbidden',
      `query ${name} spans workspaces and is not available to a workspace-scoped API key`,
    );
  const asked = params.workspace;
  if (asked !== undefined && asked !== scope)
    throw new CairnError(
      'forbidden',
      `workspace: ${JSON.stringify(asked)} is not this API key's workspace (${JSON.stringify(scope)})`,
    );
  return { ...params, workspace: scope };
}
