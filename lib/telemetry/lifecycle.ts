/**
 * The process's telemetry, once started by the preload (register.ts). Kept on a global symbol: the preload may be
 * loaded through the ES module loader and the application through require, which would otherwise hold two copies
 * of this module.
 */
const HANDLE = Symbol.for('federated-commerce.telemetry');

interface Handle {
  shutdown(): Promise<void>;
}

type Holder = { [HANDLE]?: Handle };

export function setTelemetryHandle(handle: Handle): void {
  (globalThis as Holder)[HANDLE] = handle;
}

export function telemetryStarted(): boolean {
  return (globalThis as Holder)[HANDLE] !== undefined;
}

/** Exports the spans still buffered; call before the process exits. Resolves at once when tracing is off. */
export async function shutdownTelemetry(): Promise<void> {
  const handle = (globalThis as Holder)[HANDLE];
  if (!handle) return;
  (globalThis as Holder)[HANDLE] = undefined;
  try {
    await handle.shutdown();
  } catch (error) {
    console.error('could not export the last spans:', error);
  }
}
