// Starts a real placement-server (a temporary database seeded from data/demo)
// and three real placement-web gateways (normal; sessions that end after two
// idle seconds; sign-ins slowed after two failures) on free loopback ports, runs one re-match so coaches
// have proposals, and publishes an opening whose title is markup. Returns the
// teardown that stops them and removes the temporary folder.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { artifactDir, buildDir, consoleDir, repoRoot, tokens, xssTitle } from './env';

interface Started { name: string; child: ChildProcess; log: string }

function start(name: string, binary: string, args: string[], dir: string): Started {
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} is missing: build it with cmake --build --preset release --target placement-web placement-server`);
  }
  const log = path.join(dir, `${name}.log`);
  const out = fs.openSync(log, 'w');
  const child = spawn(binary, args, { cwd: repoRoot, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return { name, child, log };
}

async function waitForPort(file: string, process: Started, timeoutMs = 30_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (process.child.exitCode !== null) {
      throw new Error(`${process.name} exited with ${process.child.exitCode}:\n${fs.readFileSync(process.log, 'utf8')}`);
    }
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      if (/^\d+$/.test(text)) return Number(text);
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${process.name} wrote no port to ${file} in ${timeoutMs} ms:\n${fs.readFileSync(process.log, 'utf8')}`);
}

/** A tiny client of the gateway's API for seeding, signed in with a token. */
async function client(base: string, token: string) {
  const headers = { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' };
  const signIn = await fetch(`${base}/api/session`, { method: 'POST', headers, body: JSON.stringify({ token }) });
  if (!signIn.ok) throw new Error(`sign-in as ${token}: HTTP ${signIn.status} ${await signIn.text()}`);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  return async <T>(service: string, method: string, body: object): Promise<T> => {
    const r = await fetch(`${base}/placement.v1.${service}/${method}`, {
      method: 'POST', headers: { ...headers, Cookie: cookie }, body: JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw Object.assign(new Error(`${service}/${method}: HTTP ${r.status} ${text}`), { status: r.status });
    return JSON.parse(text) as T;
  };
}

async function seed(base: string): Promise<string> {
  // One published run, so coaches have PENDING proposals.
  const operator = await client(base, tokens.operator);
  const run = await operator<{ runId: string }>('RematchService', 'StartRun', { seed: '7' });
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      await operator('RematchService', 'GetRunReport', { runId: run.runId });
      break;
    } catch (e) {
      if ((e as { status?: number }).status !== 412 || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  // An opening titled with markup, in Haninge, that the Haninge coach's
  // participants can reach: the console must show those characters as text.
  const employer = await client(base, tokens.employer);
  const supports = await employer<{ supports?: { code: string }[] }>('ReferenceDataService', 'ListSupports', {});
  const today = new Date();
  const opening = await employer<{ id: string }>('EmployerService', 'PublishOpening', {
    opening: {
      kind: 'OPENING_KIND_WORK_TRAINING',
      organisationId: 'ORG09999',
      organisationName: 'Testorganisation <b>fet</b>',
      title: xssTitle,
      location: { municipalityCode: '0136' },
      occupationField: 'kitchen_restaurant',
      supportsOffered: (supports.supports ?? []).map((s) => s.code),
      capacity: 5,
      minHoursPerWeek: 5,
      maxHoursPerWeek: 40,
      step: 3,
      startDate: { year: today.getFullYear(), month: today.getMonth() + 1, day: today.getDate() },
    },
  });
  return opening.id;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'placement-browser-'));
  // Each run reports its own figures.
  fs.mkdirSync(artifactDir, { recursive: true });
  fs.rmSync(path.join(artifactDir, `timings-${process.env.PLACEMENT_WEB_RUN ?? 'all'}.json`), { force: true });
  const started: Started[] = [];
  const stop = async () => {
    for (const s of started.reverse()) {
      if (s.child.exitCode === null) {
        s.child.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => { s.child.kill('SIGKILL'); resolve(); }, 15_000);
          s.child.once('exit', () => { clearTimeout(timer); resolve(); });
        });
      }
    }
    if (!process.env.PLACEMENT_KEEP_TEST_DIR) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (!fs.existsSync(path.join(consoleDir, 'index.html'))) {
      throw new Error(`${consoleDir}/index.html is missing: run npm run build in web/console`);
    }
    const server = start('placement-server', path.join(buildDir, 'service/placement-server'), [
      '--listen=127.0.0.1:0', `--port_file=${dir}/server.port`, `--db=${dir}/test.db`,
      `--data_dir=${repoRoot}/data`, `--seed_from=${repoRoot}/data/demo`,
      `--credentials=${repoRoot}/data/demo/credentials.csv`, `--report_dir=${dir}/reports`,
      '--rematch_threads=2',
    ], dir);
    started.push(server);
    const serverPort = await waitForPort(`${dir}/server.port`, server);
    const gateway = (name: string, extra: string[]) => start(name, path.join(buildDir, 'web/placement-web'), [
      '--listen=127.0.0.1:0', `--port_file=${dir}/${name}.port`, `--server=127.0.0.1:${serverPort}`,
      `--console_dir=${consoleDir}`, ...extra,
    ], dir);
    const web = gateway('placement-web', ['--sign_in_free_failures=1000']);
    started.push(web);
    const shortWeb = gateway('placement-web-short', ['--session_idle_seconds=2']);
    started.push(shortWeb);
    const strictWeb = gateway('placement-web-strict', ['--sign_in_free_failures=2']);
    started.push(strictWeb);
    const webPort = await waitForPort(`${dir}/placement-web.port`, web);
    const strictPort = await waitForPort(`${dir}/placement-web-strict.port`, strictWeb);
    const shortPort = await waitForPort(`${dir}/placement-web-short.port`, shortWeb);
    const base = `http://127.0.0.1:${webPort}`;
    process.env.PLACEMENT_TEST_WEB_URL = base;
    process.env.PLACEMENT_TEST_SHORT_SESSION_URL = `http://127.0.0.1:${shortPort}`;
    process.env.PLACEMENT_TEST_STRICT_URL = `http://127.0.0.1:${strictPort}`;
    process.env.PLACEMENT_TEST_XSS_OPENING = await seed(base);
    process.env.PLACEMENT_TEST_DIR = dir;
  } catch (e) {
    await stop();
    throw e;
  }
  return stop;
}
