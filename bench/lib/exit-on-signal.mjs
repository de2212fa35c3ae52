// Preloaded (`node --import`) into a profiled process: `--cpu-prof` writes its profile only on a
// normal exit, and a process without a SIGTERM handler dies of the signal without one. When the
// app has its own handler (graceful shutdown, flushing buffered usage events), it is left to it.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    if (process.listenerCount(signal) === 1) process.exit(0);
  });
}
