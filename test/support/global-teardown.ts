/** Jest globalTeardown: stops the containers global-setup.ts started, if any. */
export default async function globalTeardown(): Promise<void> {
  const started = globalThis.eventBusTestContainers ?? [];
  globalThis.eventBusTestContainers = undefined;
  await Promise.all(started.map((container) => container.stop()));
}
