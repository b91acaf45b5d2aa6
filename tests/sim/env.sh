#!/usr/bin/env bash
# `make sim-env [SCENARIO=name]`: prints the environment in which `aliyun`
# is the bundled simulator and `pai-diag` the one just built, as shell
# assignments for eval.  It lives in BUILD/sim-env (kept between runs; the
# simulator's state is reset each time), so its config.json and call log
# can be read afterwards.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
SCENARIO=${2:-demo}
scenario=$PWD/tests/sim/scenarios/$SCENARIO.json
if [ ! -f "$scenario" ]; then
	echo "sim-env: no scenario '$SCENARIO'; one of:" \
	    "$(cd tests/sim/scenarios && ls ./*.json | sed 's|^\./||; s|\.json$||' | tr '\n' ' ')" >&2
	exit 2
fi
env=$PWD/$BUILD/sim-env
rm -rf "$env/state"
mkdir -p "$env/home/.aliyun" "$env/bin" "$env/state"
ln -sf "$PWD/$BUILD/sim/aliyun" "$env/bin/aliyun"
ln -sf "$PWD/$BUILD/pai-diag" "$env/bin/pai-diag"
: >"$env/calls.log"
cat >"$env/home/.aliyun/config.json" <<'JSON'
{"current": "default", "profiles": [{"name": "default", "mode": "AK",
  "access_key_id": "LTAI5tDemoOnlyNotAKey00", "access_key_secret": "demo-secret-not-real",
  "region_id": "cn-hangzhou", "language": "en"}]}
JSON
q() { printf '%q' "$1"; }
echo "# pai-diag against the simulator, scenario $SCENARIO (tests/sim/README.md)"
echo "export HOME=$(q "$env/home") PATH=$(q "$env/bin"):\"\$PATH\""
echo "export ALIYUN_SIM_SCENARIO=$(q "$scenario")"
echo "export ALIYUN_SIM_STATE=$(q "$env/state") ALIYUN_SIM_LOG=$(q "$env/calls.log")"
