#!/usr/bin/env bash
# npm run bench:gpu: what a GPU machine at hand should run, in under 8 minutes. Prints the machine
# (nvidia-smi, Vulkan drivers, WebGPU adapters via doctor), then for every backend that starts here:
# model-only frames/s at batch 1/4/16, first-run (shader compile) time and agreement with wasm
# (bench/gpu/check.ts on four frames of media/bottle-detection.mp4), and end-to-end frames/s of
# `detect` on that clip (every frame; whole frame only at 0.5 frames/s, and tiled at 0.25 frames/s). JSON into bench/results/.
set -uo pipefail
cd "$(dirname "$0")/.."
stamp="$(date -u +%Y-%m-%dT%H-%M-%S)"
work="bench/.cache/gpu-check"; mkdir -p "$work" bench/results
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
echo "machine: $(node -p "require('os').cpus()[0].model"), $(nproc) CPUs, $(free -g | awk '/Mem:/ {print $2}') GiB, node $(node --version)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "nvidia-smi: none"
echo "Vulkan drivers: $(ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>/dev/null | grep json | tr '\n' ' ')"
node dist/cli.js doctor --json > "$work/doctor.json" 2>/dev/null
node -e "const d=require('./$work/doctor.json'); const w=d.facts.webgpu; console.log('webgpu adapter:', w.adapter ? JSON.stringify(w.adapter) : w.problem)"
node_modules/@ffmpeg-installer/linux-x64/ffmpeg -v error -y -i media/bottle-detection.mp4 -vf "select='not(mod(n\,300))',scale=512:512" -vsync passthrough -frames:v 4 -pix_fmt rgb24 -f rawvideo "$work/frames.rgb"
timeout 280 node --import tsx bench/gpu/check.ts --model node_modules/@vladmandic/human/models --frames "$work/frames.rgb" --runs 4 --out "$work/model-only.json"
e2e=()
# Whole frames at 0.5 frames/s (20 frames), and tiled at 0.25 frames/s (10 frames of 3 views, one batch each on WebGPU).
for run in "off 0.5" "tiles 0.25"; do
  set -- $run
  for backend in wasm webgpu; do
    line="$(timeout 240 node dist/cli.js detect media/bottle-detection.mp4 --backend "$backend" --analyze-every-frame --tiling "$1" --fps "$2" --json-logs --out "$work/$backend-$1.json" 2>&1 | grep '"event":"backend"\|"event":"done"\|"event":"error"' | tr '\n' ' ')"
    echo "end to end, $backend, tiling $1, $2 frames/s: $(echo "$line" | node bench/gpu/summarize-events.cjs)"
    e2e+=("{\"backend\":\"$backend\",\"tiling\":\"$1\",\"events\":[$(echo "${line:-}" | sed 's/} {/},{/g')]}")
  done
done
for tiling in off tiles; do
  node -e "const names=(f)=>{try{return [...new Set(require('./'+f).Labels.map((l)=>l.Label.Name))].sort().join(', ')}catch{return 'none'}}; const a=names('$work/wasm-$tiling.json'), b=names('$work/webgpu-$tiling.json'); console.log('labels, tiling $tiling: wasm [' + a + '], webgpu [' + b + ']' + (a===b ? ', the same' : ', DIFFERENT'))"
done
node -e "
const fs=require('fs');
const out={date:new Date().toISOString(), doctor:require('./$work/doctor.json').facts, modelOnly:fs.existsSync('$work/model-only.json') ? JSON.parse(fs.readFileSync('$work/model-only.json','utf8')) : {problem:'the model-only check did not finish (failed or over its 280 s)'}, endToEnd:[$(IFS=,; echo "${e2e[*]}")]};
fs.writeFileSync('bench/results/gpu-check-$stamp.json', JSON.stringify(out,null,2)+'\n'); console.log('written bench/results/gpu-check-$stamp.json');"
