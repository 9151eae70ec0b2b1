#!/usr/bin/env node
// The one-command demo (`npm start`): builds and packages the extension, installs code-server when
// it is missing (scripts/install-editor.sh), installs the VSIX into fresh code-server folders and
// serves a copy of examples/ on 127.0.0.1, printing the URL. Runs until Ctrl-C, then stops
// code-server's whole process group.
//
//   npm start                      serve on 127.0.0.1:8080 (or a free port when 8080 is taken)
//   npm start -- --port 9000       serve on that port
//   npm start -- --in-place        open the repository's examples/ itself, not a copy
//   npm start -- --desktop         install the VSIX into the desktop VS Code (`code` on PATH) instead
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const say = (msg) => console.log(`[demo] ${msg}`);
const die = (msg) => {
  console.error(`[demo] ${msg}`);
  process.exit(1);
};

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: repo, stdio: 'inherit', ...opts });
  if (r.status !== 0) die(`${cmd} ${argv.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r;
}

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

const portFree = (port) =>
  new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
  });
const anyPort = () =>
  new Promise((res) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });

say('building and packaging the extension');
run('npm', ['run', '--silent', 'package']);
const vsix = join(repo, 'daemonset-lens.vsix');
if (!existsSync(vsix)) die(`${vsix} was not written`);
const examples = join(repo, 'examples');

if (flag('--desktop')) {
  if (!onPath('code')) die('no `code` on PATH: run `npm start` without --desktop for the browser editor');
  run('code', ['--install-extension', vsix, '--force']);
  run('code', [examples]);
  say(`installed ${vsix} into VS Code and opened ${examples}`);
  process.exit(0);
}
if (onPath('code')) say('a desktop VS Code is on PATH: `npm start -- --desktop` installs the extension there instead');

say('checking the editor (code-server 4.100.3; the first run installs it, about a minute)');
const install = spawnSync('bash', [join(repo, 'scripts', 'install-editor.sh')], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (install.status !== 0) die('scripts/install-editor.sh failed');
const bin = install.stdout.trim().split('\n').pop();
if (!bin || !existsSync(bin)) die(`code-server not found after install (${bin})`);

const root = mkdtempSync(join(tmpdir(), 'dsl-demo-'));
const userData = join(root, 'user-data');
const extensions = join(root, 'extensions');
const config = join(root, 'config.yaml');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions);
writeFileSync(config, 'auth: none\ncert: false\n');
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'security.workspace.trust.enabled': false,
    },
    null,
    2,
  ),
);
let workspace = examples;
if (!flag('--in-place')) {
  workspace = join(root, 'examples');
  cpSync(examples, workspace, { recursive: true });
}
const cleanup = () => rmSync(root, { recursive: true, force: true });

say('installing the extension into a fresh code-server profile');
const inst = spawnSync(bin, ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { encoding: 'utf8' });
if (inst.status !== 0 || !/successfully installed/i.test(inst.stdout + inst.stderr)) {
  cleanup();
  die(`installing the VSIX failed:\n${inst.stdout}${inst.stderr}`);
}

let port = Number(option('--port') ?? 0);
if (!port) port = (await portFree(8080)) ? 8080 : await anyPort();
const serverArgs = ['--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--ignore-last-opened'];
// detached: code-server leads its own process group (it calls setsid), so stopping the group also
// stops the extension host and the language server.
const child = spawn(bin, serverArgs, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
const logPath = join(root, 'code-server.log');
let log = '';
child.stdout.on('data', (d) => (log += d));
child.stderr.on('data', (d) => (log += d));

let stopping = false;
const stop = (code) => {
  if (stopping) return;
  stopping = true;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const finish = () => {
    try {
      process.kill(-child.pid, 'SIGKILL'); // whatever of the group is still there
    } catch {
      /* already gone */
    }
    cleanup();
    process.exit(code);
  };
  if (child.exitCode !== null || child.signalCode !== null) finish();
  child.once('exit', finish);
  setTimeout(finish, 3000);
};
process.on('SIGINT', () => {
  say('stopping code-server');
  stop(0);
});
process.on('SIGTERM', () => stop(0));
child.on('exit', (code, signal) => {
  if (stopping) return;
  writeFileSync(logPath, log);
  console.error(log);
  cleanup();
  die(`code-server exited (${code ?? signal})`);
});

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 30_000;
for (;;) {
  const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
  if (ok) break;
  if (Date.now() > deadline) {
    console.error(log);
    stop(1);
    die('code-server did not answer /healthz within 30 s');
  }
  await new Promise((r) => setTimeout(r, 200));
}
const url = `${base}/?folder=${encodeURIComponent(workspace)}`;
console.log('');
say('DaemonSet Lens is running in VS Code (code-server 4.100.3):');
console.log(`\n    ${url}\n`);
say('open a DaemonSet (e.g. one under examples/), then "DaemonSet Lens: Open Placement Preview to the Side".');
say('press Ctrl-C to stop.');
