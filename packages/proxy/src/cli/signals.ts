// The signals `haplo run` answers, with HAProxy 2.6's meanings: SIGTERM (and SIGINT) stop at
// once, SIGUSR1 stops softly (the requests in flight finish), SIGHUP reloads the configuration
// from the same files; SIGUSR2 too, as HAProxy's master process reloads on it.
export type RunSignal = 'SIGTERM' | 'SIGINT' | 'SIGUSR1' | 'SIGHUP' | 'SIGUSR2';

export type SignalAction = 'stop' | 'soft-stop' | 'reload';

export const RUN_SIGNALS: Readonly<Record<RunSignal, SignalAction>> = {
  SIGTERM: 'stop',
  SIGINT: 'stop',
  SIGUSR1: 'soft-stop',
  SIGHUP: 'reload',
  SIGUSR2: 'reload',
};

/** Calls `handler` on each signal of RUN_SIGNALS; returns a function that removes the handlers. */
export function listenToSignals(handler: (signal: RunSignal) => void): () => void {
  const installed = (Object.keys(RUN_SIGNALS) as RunSignal[]).map((signal) => {
    const f = (): void => handler(signal);
    process.on(signal, f);
    return () => void process.off(signal, f);
  });
  return () => installed.forEach((off) => off());
}
