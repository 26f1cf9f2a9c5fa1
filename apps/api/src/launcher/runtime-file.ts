import fs from 'node:fs';
import path from 'node:path';

/**
 * While the launcher runs the platform on the embedded database (random port), it writes where that
 * database listens to `<data dir>/platform.json`, so the operator CLI can reach it.
 */
export interface PlatformFile {
  pid: number;
  databaseUrl: string;
  apiUrl: string;
  startedAt: string;
}

export const platformFilePath = (dataDir: string) => path.join(dataDir, 'platform.json');

export function writePlatformFile(dataDir: string, info: PlatformFile): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = platformFilePath(dataDir);
  fs.writeFileSync(file + '.tmp', JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(file + '.tmp', file);
}

export function removePlatformFile(dataDir: string): void {
  fs.rmSync(platformFilePath(dataDir), { force: true });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running launcher's details, or null when none runs on this data folder. */
export function readPlatformFile(dataDir: string): PlatformFile | null {
  try {
    const info = JSON.parse(fs.readFileSync(platformFilePath(dataDir), 'utf8')) as PlatformFile;
    return info.pid && alive(info.pid) ? info : null;
  } catch {
    return null;
  }
}
