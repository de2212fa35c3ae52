import { CatalogDeployment, CatalogModel } from '@switchyard/catalog';
import { planDeployments } from './deployment-planner';

const deployment = (id: string, priority: number, weight: number): CatalogDeployment =>
  ({ id, priority, weight, upstreamModel: id }) as unknown as CatalogDeployment;
const model = (...deployments: CatalogDeployment[]): CatalogModel =>
  ({ deployments }) as unknown as CatalogModel;

describe('planDeployments', () => {
  it('tries priority 0 before priority 1 whatever the weights', () => {
    const plan = planDeployments(model(deployment('a', 0, 1), deployment('b', 1, 100)), () => 0.99);
    expect(plan.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('picks within a priority in proportion to weight', () => {
    const counts = { a: 0, b: 0 };
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 10_000; i++) {
      const first = planDeployments(model(deployment('a', 0, 3), deployment('b', 0, 1)), random)[0].id as
        'a' | 'b';
      counts[first]++;
    }
    expect(counts.a / 10_000).toBeGreaterThan(0.72);
    expect(counts.a / 10_000).toBeLessThan(0.78);
  });

  it('keeps every deployment exactly once, weight-0 ones last in their group', () => {
    const plan = planDeployments(
      model(deployment('z', 0, 0), deployment('a', 0, 1), deployment('b', 0, 1), deployment('c', 2, 1)),
      () => 0.5,
    );
    expect(plan.map((d) => d.id).sort()).toEqual(['a', 'b', 'c', 'z']);
    expect(plan[2].id).toBe('z');
    expect(plan[3].id).toBe('c');
  });
});
