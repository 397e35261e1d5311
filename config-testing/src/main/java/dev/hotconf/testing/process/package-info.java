/**
 * Real processes for tests, benchmarks and examples: {@link
 * dev.hotconf.testing.process.StandInNginx} checks, serves (reloading on SIGHUP) and reloads
 * nginx-style files where nginx is not installed; {@link dev.hotconf.testing.process.JavaProgram}
 * starts such a program as a child process.
 */
package dev.hotconf.testing.process;
