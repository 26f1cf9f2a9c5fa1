import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface GpuDiagnostics {
  vulkanLoader: string | null;
  icdFiles: string[];
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  /** What is missing, in words an operator can act on; empty when a GPU adapter was found. */
  problems: string[];
}

const ICD_DIRS = [
  '/usr/share/vulkan/icd.d',
  '/etc/vulkan/icd.d',
  '/usr/local/share/vulkan/icd.d',
  '/usr/local/nvidia/share/vulkan/icd.d',
];

function findVulkanLoader(): string | null {
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' });
    const line = out.split('\n').find((l) => l.includes('libvulkan.so.1'));
    if (line) return line.split('=>').pop()!.trim();
  } catch {
    /* no ldconfig */
  }
  for (const p of [
    '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
    '/usr/lib64/libvulkan.so.1',
    '/usr/lib/libvulkan.so.1',
  ]) {
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function findIcdFiles(): string[] {
  const fromEnv = (process.env.VK_DRIVER_FILES ?? process.env.VK_ICD_FILENAMES ?? '')
    .split(':')
    .filter(Boolean);
  const found = fromEnv.filter((f) => fs.existsSync(f));
  for (const dir of ICD_DIRS) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.json')) found.push(`${dir}/${f}`);
  }
  return [...new Set(found)];
}

let cached: Promise<GpuDiagnostics> | null = null;

/** Looks for what WebGPU (Dawn on Vulkan) needs and asks for an adapter, once per process or thread. Never throws. */
export function gpuDiagnostics(): Promise<GpuDiagnostics> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<GpuDiagnostics> {
  const vulkanLoader = findVulkanLoader();
  const icdFiles = findIcdFiles();
  const problems: string[] = [];
  if (!vulkanLoader)
    problems.push('The Vulkan loader (libvulkan.so.1) is missing: install the Debian package libvulkan1.');
  if (!icdFiles.some((f) => /nvidia|amd|radeon|intel/i.test(f))) {
    problems.push(
      'No GPU Vulkan driver (ICD) file was found: install the GPU driver with its Vulkan ICD, or point VK_DRIVER_FILES at it (e.g. /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json).',
    );
  }
  let adapter: GpuDiagnostics['adapter'] = null;
  if (vulkanLoader) {
    try {
      const { create, globals } = (await import('webgpu')) as unknown as {
        create: (flags: string[]) => { requestAdapter(): Promise<{ info?: Record<string, string> } | null> };
        globals: Record<string, unknown>;
      };
      Object.assign(globalThis, globals);
      const gpu = create([]);
      const a = await gpu.requestAdapter();
      if (a) {
        const info = a.info ?? {};
        adapter = {
          vendor: info.vendor ?? '',
          architecture: info.architecture ?? '',
          device: info.device ?? '',
          description: info.description ?? '',
        };
        // Node 21+ has a navigator without gpu: define it rather than assign.
        const nav = (globalThis as { navigator?: object }).navigator;
        if (!(nav as { gpu?: unknown } | undefined)?.gpu) {
          Object.defineProperty(globalThis, 'navigator', {
            value: { ...(nav ?? {}), gpu },
            configurable: true,
            writable: true,
          });
        }
        (globalThis as { __mediaaiGpu?: unknown }).__mediaaiGpu = gpu;
      } else
        problems.push(
          'WebGPU found no usable adapter (the Vulkan device lacks required features, or only a software renderer is present).',
        );
    } catch (e) {
      problems.push(`The webgpu package could not start: ${(e as Error).message}`);
    }
  }
  return { vulkanLoader, icdFiles, adapter, problems: adapter ? [] : problems };
}
