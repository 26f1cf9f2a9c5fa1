import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Applies the checked-in migrations (prisma migrate deploy, WebAssembly schema engine). */
export async function migrateDatabase(
  databaseUrl: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const prismaBin = path.join(root, 'node_modules', '.bin', 'prisma');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(prismaBin, ['migrate', 'deploy'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (b: Buffer) => {
      output += b.toString();
      for (const line of b.toString().split('\n')) if (line.trim()) log(line.trim());
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output.slice(-2000)}`)),
    );
  });
}
