#!/usr/bin/env bash
# The GPU check (never in CI): on a machine with CUDA, execute the fast.ai lesson-1 post on a local
# kernel and then through a Jupyter Kernel Gateway on 127.0.0.1; each time assert that the
# execution report's device is this machine's CUDA device, and print the seconds beside the CPU
# figure committed in _frozen/fastai-lesson-1.json.
#
# Usage: bench/gpu_check.sh            (from anywhere; needs scripts/setup's .venv with torch+CUDA)
# Exit status: 0 checked, 1 a check failed, 2 no CUDA here.
# It builds a copy of the site holding only that post, in a temp folder: the repository, its
# cache and its frozen store are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PYTHON:-$REPO/.venv/bin/python}
POST=posts/2024-09-21-fastai-lesson-1
SLUG=fastai-lesson-1

# GPU_CHECK_DEVICE=cpu runs the same steps on a CPU machine (a dry run of this script, nothing more).
DEVICE=${GPU_CHECK_DEVICE:-$("$PY" -c 'import torch; print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")')}
if [ -z "$DEVICE" ]; then
  echo "gpu_check: torch sees no CUDA device here; run this on a GPU machine" >&2
  exit 2
fi

WORK=$(mktemp -d)
GATEWAY_PID=
cleanup() {
  if [ -n "$GATEWAY_PID" ]; then kill "$GATEWAY_PID" 2>/dev/null || true; wait "$GATEWAY_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A site with the one post: the repository's settings, filters and styles, no other post to run.
SITE=$WORK/site
mkdir -p "$SITE/posts"
git ls-files -z -- . ':(exclude)posts' ':(exclude)_frozen' ':(exclude)node_modules' | xargs -0 cp -P --parents -t "$SITE"
cp -r "$POST" "$SITE/posts/"
[ -d node_modules ] && ln -s "$REPO/node_modules" "$SITE/node_modules"

# build OUT [extra args]: executes the post (never from a cache), prints its seconds; checks the device.
build() {
  local out=$1; shift
  if ! PYTHONPATH="$REPO/lib" "$PY" -m coursenotes build --root "$SITE" --out "$out" --refresh "$SLUG" --jobs 1 "$@" \
      >"$out.log" 2>&1; then
    cat "$out.log" >&2
    return 1
  fi
  "$PY" - "$out/execution/report.json" "$DEVICE" <<'EOF'
import json, sys
report, device = sys.argv[1], sys.argv[2]
row = next(p for p in json.load(open(report))["posts"] if p["source"].endswith("fastai-lesson-1/index.qmd"))
if row["status"] != "executed" or row["device"] != device:
    sys.exit(f"gpu_check: expected the post executed on {device!r}, the report says {row['status']} on {row['device']!r}")
print(row["executed_seconds"])
EOF
}

CPU=$("$PY" -c 'import json; d = json.load(open("_frozen/fastai-lesson-1.json")); print(d["seconds"], d["environment"]["device"])')
LOCAL=$(build "$WORK/out-local")

TOKEN=$("$PY" -c 'import secrets; print(secrets.token_hex(16))')
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$WORK/gateway"
(cd "$WORK/gateway" && exec "$PY" -m kernel_gateway --KernelGatewayApp.ip=127.0.0.1 --KernelGatewayApp.port="$PORT" \
  --KernelGatewayApp.auth_token="$TOKEN" >"$WORK/gateway.log" 2>&1) &
GATEWAY_PID=$!
"$PY" - "$PORT" "$TOKEN" <<'EOF'
import sys, time, urllib.request
url, token = f"http://127.0.0.1:{sys.argv[1]}/api/kernelspecs", sys.argv[2]
req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
for _ in range(150):
    try:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=2).close()
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("gpu_check: the Kernel Gateway did not start")
EOF
REMOTE=$(build "$WORK/out-gateway" --gateway-url "http://127.0.0.1:$PORT" --gateway-token "$TOKEN")

echo "fast.ai lesson 1 ($POST)"
printf '  %-34s %8s s\n' "CPU (committed: ${CPU#* })" "${CPU%% *}"
printf '  %-34s %8s s\n' "local kernel on $DEVICE" "$LOCAL"
printf '  %-34s %8s s\n' "Kernel Gateway on $DEVICE" "$REMOTE"
echo "gpu_check: ok, the report names $DEVICE both times"
