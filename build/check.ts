/**
 * `npm run check`: the typecheck, the lint and the format check, run at once (each is mostly one
 * core's work; one after another they took 31 + 55 + 28 s on two slow cores, session 38). Each
 * one's output is printed whole, in that order, when it is done; the check fails if any fails.
 */
import { spawn } from 'node:child_process';

const STEPS = ['typecheck', 'lint', 'format:check'] as const;

interface Outcome {
  step: string;
  code: number;
  output: string;
  seconds: number;
}

function run(step: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', step], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const done = (code: number): void => resolve({ step, code, output, seconds: (performance.now() - started) / 1000 });
    child.on('error', (e) => {
      output += `${e.message}\n`;
      done(1);
    });
    child.on('close', (code) => done(code ?? 1));
  });
}

const outcomes = await Promise.all(STEPS.map(run));
for (const { step, code, output, seconds } of outcomes) {
  process.stdout.write(`── ${step}: ${code === 0 ? 'passed' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s\n`);
  if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
process.exitCode = outcomes.some((o) => o.code !== 0) ? 1 : 0;
