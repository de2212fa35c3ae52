import { DeploymentHealth } from './deployment-health';

describe('DeploymentHealth', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 30);

  it('is unavailable without deployments and idle without traffic', () => {
    const health = new DeploymentHealth();
    expect(health.ofModel([], now).status).toBe('unavailable');
    expect(health.ofModel(['a'], now)).toEqual({ status: 'idle', calls: 0, failures: 0 });
  });

  it('is healthy while one deployment answers, degraded or down when none does', () => {
    const health = new DeploymentHealth();
    for (let i = 0; i < 10; i++) health.record('a', i % 2 === 0, now);
    expect(health.ofModel(['a'], now)).toEqual({ status: 'degraded', calls: 10, failures: 5 });
    for (let i = 0; i < 10; i++) health.record('b', true, now);
    expect(health.ofModel(['a', 'b'], now).status).toBe('healthy');
    for (let i = 0; i < 6; i++) health.record('c', false, now);
    expect(health.ofModel(['c'], now).status).toBe('down');
  });

  it('forgets calls older than five minutes', () => {
    const health = new DeploymentHealth();
    for (let i = 0; i < 6; i++) health.record('a', false, now);
    expect(health.ofModel(['a'], now + 4 * 60_000).status).toBe('down');
    expect(health.ofModel(['a'], now + 5 * 60_000).status).toBe('idle');
  });
});
