interface Stoppable {
  stop(): Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>)['__testServices'] as Record<string, Stoppable> | undefined;
  await Promise.all(Object.values(services ?? {}).map((service) => service.stop()));
}
