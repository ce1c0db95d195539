// How a benchmark script runs its main part: cleanup afterwards whatever happens, on Ctrl-C and SIGTERM, and
// after a watchdog's time, so a stuck run never leaves servers or temporary databases behind.
export async function runBenchmark(
  name: string,
  main: () => Promise<void>,
  cleanup: () => Promise<void>,
  watchdogMs: number,
): Promise<void> {
  const watchdog = setTimeout(() => {
    console.error(`${name}: still running after ${Math.round(watchdogMs / 1000)} s, giving up`);
    void cleanup().finally(() => process.exit(2));
  }, watchdogMs);
  watchdog.unref();

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`${name}: ${signal}, cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    await main();
    await cleanup();
    clearTimeout(watchdog);
  } catch (err) {
    console.error(`${name} failed:`, err);
    await cleanup();
    process.exitCode = 1;
  }
}
