# shellcheck shell=bash
# The leak matrix: every form in which aliyun, a plugin or a SysOM result
# can relay credential material, through every output pai-diag has (text,
# JSON and Markdown reports, --output-file, NDJSON progress, stderr, doctor).
# No 8-byte piece of a known secret in any of its planted forms may come
# out, nor a value of an unknown secret that a pattern names.

# The secrets of the world: profile "default" (lib.sh) and a second profile
# with an STS token of base64 characters, which pai-diag knows by value.
ID=LTAI5tFakeKeyId0000000001
SECRET=FakeSecretNeverPrinted0000000001
TOKEN='CAISv1+Fake/StsToken==Never+Printed/0001'
UNKNOWN=UnknownSecretValue7Q9w2Zx	# known to no one: only patterns hide it

leaks_world() {
	edit_config --arg t "$TOKEN" '.profiles += [{"name": "other", "mode": "StsToken",
	    "access_key_id": "STS.NFakeStsKeyId000001", "access_key_secret": "OtherFakeSecret00000000002",
	    "sts_token": $t, "region_id": "cn-hangzhou"}]'
}

# The planted forms, one a line: a name, a tab, the text (JSON-escaped, as
# it goes into a JSON string of the scenario).
leak_forms() {
	local uri b64 pair tok_uri
	uri=$(jq -rn --arg s "$SECRET" '$s|@uri')
	tok_uri=$(jq -rn --arg s "$TOKEN" '$s|@uri')
	b64=$(printf %s "$SECRET" | base64 -w0)
	pair=$(printf %s "$ID:$SECRET" | base64 -w0)
	cat <<EOF
bare	the key $SECRET was refused
bare-token	token $TOKEN is bad
url-string-to-sign	POST&%2F&AccessKeyId%3D$ID%26SecurityToken%3D$tok_uri%26Signature%3D$UNKNOWN
url-value	secret=$uri
xml	<Error><AccessKeySecret>$UNKNOWN</AccessKeySecret></Error>
arrow	access_key_secret => $UNKNOWN
tab-equals	AccessKeySecret\t= $UNKNOWN
full-width-colon	AccessKeySecret：$UNKNOWN
dashed	access-key-secret: $UNKNOWN
secret	secret: $UNKNOWN
sk	sk=$UNKNOWN
token	token: $UNKNOWN
api_key	api_key=$UNKNOWN
private_key	private_key: $UNKNOWN
base64	Authorization-less header: $b64
basic	Basic $pair
split	the secret ${SECRET:0:12}\n  ${SECRET:12}
json-escaped	{\\"secret\\":\\"x\\", \\"k\\": \\"\\\\u0046akeSecretNeverPrinted0000000001\\"}
EOF
}

# leak_patterns FILE: every 8-byte window of the known secrets and of their
# planted encodings, and the unknown secret.
leak_patterns() {
	local s i
	for s in "$ID" "$SECRET" "$TOKEN" "$(jq -rn --arg s "$TOKEN" '$s|@uri')" \
	    "$(printf %s "$SECRET" | base64 -w0)" "$(printf %s "$ID:$SECRET" | base64 -w0)"; do
		for ((i = 0; i + 8 <= ${#s}; i++)); do
			printf '%s\n' "${s:i:8}"
		done
	done >"$1"
	printf '%s\n' "$UNKNOWN" >>"$1"
}

# expect_no_leak WHAT FILE...: none of the patterns in any file.
expect_no_leak() {
	local what=$1 f
	shift
	for f in "$@"; do
		[ -e "$f" ] || continue
		if grep -qF -f "$T/patterns" "$f"; then
			fail "$what: secret material in $(basename "$f"):" "$(grep -F -o -f "$T/patterns" "$f" | head -5)"
		fi
	done
}

# Each form as the SysOM result's root cause and as a key's value in an
# issue: through every report format, the output file and NDJSON progress.
t_leak_matrix_result() {
	local name text fmt
	leaks_world
	leak_patterns "$T/patterns"
	while IFS=$'\t' read -r name text; do
		eas_world '"Success"'
		edit_scenario --arg t "$(printf '%b' "$text")" '.task.result = {"summary": {"overall_status": "Warn", "root_cause": $t, "suggestion": ("see " + $t)}, "issues": [{"severity": "Warn", "title": $t, "detail": {"note": $t}}]}'
		for fmt in text json markdown; do
			rm -rf "$T/state" "$T/report"
			pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -o "$fmt" --progress ndjson
			expect_rc 10
			expect_no_leak "$name ($fmt)" "$T/out" "$T/err"
			pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -o "$fmt" -q --output-file "$T/report"
			expect_rc 10
			expect_out_empty
			[ -s "$T/report" ] || fail "$name ($fmt): no report written"
			expect_no_leak "$name ($fmt, --output-file)" "$T/report" "$T/err"
		done
		# What is not secret is still there: the report is not wiped.
		pd -r cn-hangzhou -i "$EAS_ID" --poll-interval 0 --no-setup -q -o json
		expect_json '.summary.overall_status' '"Warn"'
	done < <(leak_forms)
}

# Each form in the message of a failing SysOM call, in each error form of
# the CLI: stderr and the JSON envelope's error.
t_leak_matrix_errors() {
	local name text form
	leaks_world
	leak_patterns "$T/patterns"
	while IFS=$'\t' read -r name text; do
		for form in plugin server envelope; do
			rm -rf "$T/state"
			eas_world '"Success"' ", \"rules\": [{\"cmd\": \"sysom invoke-diagnosis\", \"error\": {\"form\": \"$form\", \"http\": 400, \"body\": {\"Code\": \"InvalidParameter\", \"Message\": \"bad: $text\", \"RequestId\": \"R-leak\"}}}]"
			pd -r cn-hangzhou -i "$EAS_ID" --no-setup -v
			[ "$RC" != 0 ] || fail "$name ($form): exit 0"
			expect_err_has "R-leak"
			expect_no_leak "$name ($form)" "$T/out" "$T/err"
			rm -rf "$T/state"
			pd -r cn-hangzhou -i "$EAS_ID" --no-setup -o json --progress ndjson
			expect_json '.error.request_id' '"R-leak"'
			expect_no_leak "$name ($form, json)" "$T/out" "$T/err"
		done
	done < <(leak_forms)
}

# Each form in what aliyun prints as its version and in the stderr of a
# failing setup command: doctor, in text and JSON, and a run.
t_leak_matrix_doctor() {
	local name text
	leaks_world
	leak_patterns "$T/patterns"
	while IFS=$'\t' read -r name text; do
		eas_world '"Success"' ", \"rules\": [{\"cmd\": \"version\", \"stdout\": \"3.0.277 $text\\n\"}, {\"cmd\": \"configure ai-mode enable\", \"exit_code\": 1, \"stderr\": \"ERROR: $text\\n\"}]"
		pd doctor
		expect_no_leak "$name (doctor)" "$T/out" "$T/err"
		# The version is shown on one line, up to its first line break.
		grep -q "^verdict: .* printed '3\.0\.277 [^']*', not a version\$" "$T/out" ||
			fail "$name (doctor): verdict not on one line:" "$(cat "$T/out")"
		pd doctor -o json
		expect_no_leak "$name (doctor json)" "$T/out" "$T/err"
		rm -rf "$T/state"
		pd -r cn-hangzhou -i "$EAS_ID" -v
		expect_rc 3
		expect_no_leak "$name (setup)" "$T/out" "$T/err"
	done < <(leak_forms)
}
