/**
 * Loaded before the real `ephemail` program (`node --import`) by
 * test/faults/fault-exit.test.ts, never by the server itself. Each SIGUSR2
 * makes a fault outside any request, as a bug in a timer would: a throw, or
 * with FAULT_KIND=rejection a promise rejected with nobody to catch it.
 */
let faults = 0;
process.on('SIGUSR2', () => {
  faults += 1;
  const error = new Error(`test fault ${faults}`);
  setTimeout(() => {
    if (process.env.FAULT_KIND === 'rejection') void Promise.reject(error);
    else throw error;
  }, 0);
});
