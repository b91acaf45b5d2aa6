# shellcheck shell=bash
# Sourced by the benches (run.sh, rate.sh): bench_world DIR SIM AK_ID
# AK_SECRET makes the world every bench run lives in, a HOME with one
# valid AK profile and the simulator first on PATH as aliyun, and exports
# it with the simulator's state and call log in DIR; no variable of the
# user's that would change which credentials or aliyun are used is left.
bench_world() {
	local w=$1 sim=$2 ak_id=$3 ak_secret=$4
	mkdir -p "$w/home/.aliyun" "$w/bin"
	ln -s "$sim" "$w/bin/aliyun"
	cat >"$w/home/.aliyun/config.json" <<JSON
{"current": "default", "profiles": [{"name": "default", "mode": "AK",
  "access_key_id": "$ak_id", "access_key_secret": "$ak_secret",
  "region_id": "cn-hangzhou", "output_format": "json", "language": "en"}],
 "meta_path": ""}
JSON
	export HOME=$w/home PATH="$w/bin:$PATH" XDG_STATE_HOME=$w/xdg TZ=UTC
	export ALIYUN_SIM_STATE=$w/state ALIYUN_SIM_LOG=$w/calls.log
	unset PAI_DIAG_ALIYUN ALIBABA_CLOUD_PROFILE ALIBABACLOUD_PROFILE \
		ALICLOUD_PROFILE ALIBABA_CLOUD_ACCESS_KEY_ID \
		ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_SECURITY_TOKEN \
		ALIBABA_CLOUD_REGION_ID NO_COLOR DEBUG ALIYUN_SIM_ENVLOG
}
