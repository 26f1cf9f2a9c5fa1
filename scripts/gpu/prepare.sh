#!/usr/bin/env bash
# Prepares .gpu/: everything a GPU machine (no network, no Node, no node_modules) needs to run the
# GPU benchmark, following the shared GPU notes (../shared/docs/GPU.md). Run it here, in the project root:
#
#   bash scripts/gpu/prepare.sh            # build .gpu/ and check the bundle runs here on wasm
#   SKIP_DEBS=1 bash scripts/gpu/prepare.sh  # without downloading the Vulkan loader packages
#
# Then one device run with carry [".gpu"] and the command:  bash .gpu/run.sh
# (it unpacks the Vulkan loader and Node, runs the bundle on webgpu and wasm, writes $OUT/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
G=.gpu
rm -rf "$G"
mkdir -p "$G/gl" "$G/wasm" "$G/data" "$G/node_modules"
# .gpu/ must be ignored (the device tool carries only ignored paths that are named in carry).
if [ -d .git ] && ! grep -qxF '/.gpu/' .git/info/exclude 2>/dev/null; then echo '/.gpu/' >> .git/info/exclude; fi

echo '1/6 bundle the benchmark (esbuild, webgpu left external)'
ESBUILD=$(ls -d node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild | head -1)
"$ESBUILD" packages/tensor/bench/gpu.bench.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --outfile="$G/bench.mjs" --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import __p from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __p.dirname(__filename);"

echo '2/6 tfjs wasm binaries, ML-100k ratings'
WASM_DIR=$(dirname "$(node -e "console.log(require.resolve('@tensorflow/tfjs-backend-wasm',{paths:['packages/tensor']}))")")
cp "$WASM_DIR"/*.wasm "$G/wasm/"
DATA=${ML100K_DIR:-$ROOT/../shared/data/recsys/ml-100k}
cp "$DATA/u.data" "$G/data/"

echo '3/6 webgpu package (linux-x64 dawn.node only, xz-compressed)'
W=$(readlink -f packages/tensor/node_modules/webgpu)
mkdir -p "$G/node_modules/webgpu/dist"
cp "$W/package.json" "$W/index.js" "$W/LICENSE.md" "$G/node_modules/webgpu/"
cp -r "$W/dist/linux-x64" "$G/node_modules/webgpu/dist/"
xz -T2 -6 "$G/node_modules/webgpu/dist/linux-x64/dawn.node"

echo '4/6 node binary (xz)'
xz -T2 -6 -c "$(command -v node)" > "$G/node.xz"

echo '5/6 Vulkan loader and GL packages (amd64 .debs)'
if [ -z "${SKIP_DEBS:-}" ]; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial
  apt-get $o update -qq
  (cd "$G/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 -qq)
else
  echo '   skipped (SKIP_DEBS set): the GPU machine then needs libvulkan1 installed'
fi

cat > "$G/run.sh" <<'RUN'
#!/usr/bin/env bash
# On the GPU machine, from the project root: bash .gpu/run.sh   (writes $OUT/RESULTS.md and $OUT/bench.log)
set -uo pipefail
cd "$(dirname "$0")"
for f in gl/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
ldconfig || true
export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}
xz -d -c node.xz > /tmp/node && chmod +x /tmp/node
[ -f node_modules/webgpu/dist/linux-x64/dawn.node ] || xz -d -k node_modules/webgpu/dist/linux-x64/dawn.node.xz
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"
export TFJS_WASM_PATH=$PWD/wasm/ ML100K_DIR=$PWD/data BENCH_OUT=$OUT/RESULTS.md
ls -l "$VK_DRIVER_FILES" 2>&1 | tee "$OUT/bench.log"
nvidia-smi -L 2>&1 | tee -a "$OUT/bench.log"
/tmp/node bench.mjs 2>&1 | tee -a "$OUT/bench.log"
RUN
chmod +x "$G/run.sh"

echo '6/6 check: the bundle runs here on wasm (small sizes)'
xz -d -k "$G/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
( cd "$G" && TFJS_WASM_PATH=$PWD/wasm/ ML100K_DIR=$PWD/data BENCH_OUT=/tmp/gpu-bundle-check.md BENCH_ITEMS=5000 BENCH_EPOCHS=1 BENCH_RUNS=1 \
    node bench.mjs 2>&1 | grep -v '^ - \|^    at \|XDG_RUNTIME_DIR\|shaderUniform' | tail -4 )
rm -f "$G/node_modules/webgpu/dist/linux-x64/dawn.node"  # travels compressed
grep -q '| training' /tmp/gpu-bundle-check.md && echo 'bundle OK on wasm'
du -sh "$G"; echo "working tree without node_modules and .gpu: $(du -sh --exclude=node_modules --exclude=.gpu --exclude=.git --exclude=.data . | cut -f1)"
