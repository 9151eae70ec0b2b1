/**
 * V8 tuning for the language server, imported first by its entry so that it is set before any
 * other code runs.
 *
 * V8 optimises a function after it has used up its interrupt budget (bytecode executed) a few
 * times. The default budget suits code that runs in loops; a language server runs a long chain of
 * different functions once per request, at the pace of a user. With the default, the code behind a
 * hover or a code action was still unoptimised (interpreter or baseline code) after hundreds of
 * requests: one request at a time, a hover on a one-DaemonSet file cost 0.06–0.08 ms more than a
 * do-nothing server on the same connection, and 0.03 ms or less with a sixteenth of the budget
 * (`npm run bench -- lsp`). Opening and editing did not change.
 *
 * Set here rather than on the command line, which belongs to the client (`node server.js --stdio`).
 * The budget is read whenever V8 resets a function's counter, so it applies from here on.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--interrupt-budget=4000');

/*
 * No memory reducer. After a burst of allocation ends (opening or editing a large file), V8's memory
 * reducer runs full collections on a timer to shrink the heap while the process looks idle. A
 * language server looks idle between requests: in a benchmark run, after the edits of a
 * 1,000-DaemonSet file, three such collections (12, 30 and 72 ms of pause, each after its
 * concurrent marking) fell among the next 550 hovers. Without it, none did, and the hovers' time
 * inside the server stayed level. Its memory did not show: 20 s after ten edits of that file the
 * server held 171 MiB with it and 165 without, as at the peak. Collections still run when
 * allocation needs them, and closing a large file still collects at once (handlers/diagnostics.ts).
 */
setFlagsFromString('--no-memory-reducer');
