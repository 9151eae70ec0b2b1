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
