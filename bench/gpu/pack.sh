#!/usr/bin/env bash
# Packs the model-only GPU check (bench/gpu/check.ts) into one folder of at most ~60 MiB, for a GPU
# box that can reach no registry and has no Node.js: this machine's Node binary and Dawn's dawn.node
# (xz-compressed), the check bundled with tfjs (esbuild), the wasm binaries, the CenterNet model,
# four pre-decoded 512x512 frames of media/bottle-detection.mp4 (no ffmpeg needed there) and the
# Vulkan loader (Debian's libvulkan1). On the GPU box: `bash run.sh` in that folder.
#
#   bash bench/gpu/pack.sh [output-folder]      # default bench/.cache/gpu-pack
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-bench/.cache/gpu-pack}"
rm -rf "$out"
mkdir -p "$out/dist/linux-x64" "$out/model" "$out/wasm"

# The check, with tfjs and the webgpu wrapper, as one ES module; dawn.node is loaded beside it.
npx esbuild bench/gpu/check.ts --bundle --platform=node --format=esm --target=node20 --log-level=warning \
  --banner:js="import { createRequire as __createRequire } from 'node:module'; import { fileURLToPath as __fileURLToPath } from 'node:url'; import { dirname as __pathDirname } from 'node:path'; const require = __createRequire(import.meta.url); const __filename = __fileURLToPath(import.meta.url); const __dirname = __pathDirname(__filename);" \
  --outfile="$out/check.mjs"
xz -6 -T0 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$out/dist/linux-x64/dawn.node.xz"
xz -6 -T0 -c "$(command -v node)" > "$out/node.xz"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/wasm/"
cp node_modules/@vladmandic/human/models/centernet.json node_modules/@vladmandic/human/models/centernet.bin "$out/model/"
node_modules/@ffmpeg-installer/linux-x64/ffmpeg -v error -i media/bottle-detection.mp4 -vf "select='not(mod(n\,300))',scale=512:512" -vsync passthrough -frames:v 4 -pix_fmt rgb24 -f rawvideo "$out/frames.rgb"
loader="$(ldconfig -p | awk '/libvulkan\.so\.1 .*x86-64/ { print $NF; exit }')"
if [ -n "$loader" ]; then cp -L "$loader" "$out/libvulkan.so.1"; else echo "pack: no libvulkan.so.1 here (apt-get install libvulkan1); the box must have its own" >&2; fi

cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# The GPU check, from this folder alone. Prints the machine, then one JSON line per backend; writes result.json.
set -euo pipefail
cd "$(dirname "$0")"
[ -x node ] || xz -dkf node.xz && chmod +x node
[ -f dist/linux-x64/dawn.node ] || xz -dkf dist/linux-x64/dawn.node.xz
export LD_LIBRARY_PATH="$PWD${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "no nvidia-smi"
echo "Vulkan drivers: $(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | tr '\n' ' ')"
./node check.mjs --model model --frames frames.rgb --wasm-dir wasm --out result.json "$@"
RUN
chmod +x "$out/run.sh"
du -sh "$out"
