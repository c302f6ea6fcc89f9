// The Codex CLI (node_modules/.bin/codex, the Rust binary of @openai/codex's platform package) run headless:
// `codex exec` against a custom provider pointed at the target, in a throw-away git work dir, allowed to run shell
// commands and apply patches without asking. Prints Codex's final message, its JSONL events and the work dir's files.
//
// Usage: node codex-exec.mjs [prompt]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './target.mjs';

const codex = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'codex');
const prompt = process.argv[2] ?? 'Create shell.txt with a shell command, then add hello.txt with a patch.';

await report(async ({ baseURL, model }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'oaiproxy-codex-'));
  try {
    const home = path.join(root, 'codex-home');
    const work = path.join(root, 'work');
    fs.mkdirSync(home);
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, 'README.md'), '# scratch\n');
    spawnSync('git', ['init', '-q'], { cwd: work });
    fs.writeFileSync(path.join(home, 'config.toml'), config(baseURL, model));

    const last = path.join(root, 'last-message.txt');
    const args = [
      'exec', '--json', '--color', 'never', '--ephemeral', '--strict-config', '--skip-git-repo-check',
      // The work dir is a throw-away temp folder: no approvals, no sandbox (Landlock/bwrap may be missing on CI).
      '--dangerously-bypass-approvals-and-sandbox',
      '-C', work, '-o', last, prompt,
    ];
    // CODEX_HOME holds the config; the key comes from the provider's env_key (OAIPROXY_API_KEY, already set).
    const { code, stdout, stderr } = await runCodex(args, { ...process.env, CODEX_HOME: home });

    const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    return {
      exitCode: code,
      finalMessage: fs.existsSync(last) ? fs.readFileSync(last, 'utf8') : null,
      commands: events.filter((e) => e.item?.type === 'command_execution' && e.type === 'item.completed').map((e) => ({ command: e.item.command, exitCode: e.item.exit_code })),
      fileChanges: events.filter((e) => e.item?.type === 'file_change' && e.type === 'item.completed').flatMap((e) => e.item.changes.map((c) => ({ path: path.relative(work, c.path), kind: c.kind }))),
      eventTypes: events.map((e) => e.type),
      files: files(work),
      stderr: stderr.slice(-4000),
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** The config.toml of a custom provider speaking the Responses API to the target. */
function config(baseURL, model) {
  return `model = ${JSON.stringify(model)}
model_provider = "oaiproxy"
check_for_update_on_startup = false

[features]
# The plugin marketplace sync reaches github.com and chatgpt.com; tests stay on 127.0.0.1.
plugins = false

[analytics]
enabled = false

[model_providers.oaiproxy]
name = "OaiProxy"
base_url = ${JSON.stringify(baseURL)}
env_key = "OAIPROXY_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`;
}

function runCodex(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(codex, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file of the work dir (outside .git) with its text. */
function files(dir, prefix = '') {
  const result = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const relative = path.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(result, files(path.join(dir, entry.name), relative));
    else result[relative] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return result;
}
