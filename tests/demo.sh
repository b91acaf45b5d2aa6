#!/usr/bin/env bash
# `make demo`: a complete diagnosis of an EAS service against the bundled
# aliyun simulator, in a throw-away HOME, so a newcomer sees the product
# work without an Alibaba Cloud account.
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
demo=$(mktemp -d "${TMPDIR:-/tmp}/pai-diag-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT

mkdir -p "$demo/home/.aliyun" "$demo/bin"
ln -s "$PWD/$BUILD/sim/aliyun" "$demo/bin/aliyun"
cat >"$demo/home/.aliyun/config.json" <<'JSON'
{"current": "default", "profiles": [{"name": "default", "mode": "AK",
  "access_key_id": "LTAI5tDemoOnlyNotAKey00", "access_key_secret": "demo-secret-not-real",
  "region_id": "cn-hangzhou", "language": "en"}]}
JSON

cmd=(pai-diag --region cn-hangzhou --instance eas-m-bp79exq2lzbd0ctdfu
     --description "GPU OOM restarts" --poll-interval 1)
printf '$'; printf ' %q' "${cmd[@]}"; echo
echo "  (aliyun here is the bundled simulator: tests/sim/scenarios/demo.json)"
echo
set +e
HOME="$demo/home" PATH="$demo/bin:$PATH" \
ALIYUN_SIM_SCENARIO="$PWD/tests/sim/scenarios/demo.json" \
ALIYUN_SIM_STATE="$demo/state" ALIYUN_SIM_LOG="$demo/calls.log" \
	"$BUILD/pai-diag" "${cmd[@]:1}"
rc=$?
set -e
echo
echo "exit code: $rc (0 healthy, 10 warn, 11 critical; see pai-diag --help)"
echo
echo "The aliyun calls pai-diag made:"
sed 's/^/  aliyun /' "$demo/calls.log"
case $rc in 0|10|11) exit 0 ;; *) exit "$rc" ;; esac
