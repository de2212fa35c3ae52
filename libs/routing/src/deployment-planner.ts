import { CatalogDeployment, CatalogModel } from '@switchyard/catalog';

/** A source of uniform randomness in [0, 1); injectable so tests can fix the draw. */
export type Random = () => number;

/**
 * The order in which a request tries a model's deployments: priority groups ascending (0
 * first); within a group, a weighted random order (weight 0 = only when the rest failed).
 */
export function planDeployments(model: CatalogModel, random: Random = Math.random): CatalogDeployment[] {
  const deployments = model.deployments;
  if (deployments.length <= 1) return deployments.slice();
  const plan: CatalogDeployment[] = [];
  let start = 0;
  while (start < deployments.length) {
    let end = start + 1;
    while (end < deployments.length && deployments[end].priority === deployments[start].priority) end++;
    plan.push(...weightedOrder(deployments.slice(start, end), random));
    start = end;
  }
  return plan;
}

function weightedOrder(group: CatalogDeployment[], random: Random): CatalogDeployment[] {
  if (group.length === 1) return group;
  const remaining = group.slice();
  const ordered: CatalogDeployment[] = [];
  while (remaining.length > 0) {
    const total = remaining.reduce((sum, deployment) => sum + deployment.weight, 0);
    let index = 0;
    if (total > 0) {
      let draw = random() * total;
      index = remaining.findIndex((deployment) => (draw -= deployment.weight) < 0);
      if (index < 0) index = remaining.length - 1;
    }
    ordered.push(remaining.splice(index, 1)[0]);
  }
  return ordered;
}
