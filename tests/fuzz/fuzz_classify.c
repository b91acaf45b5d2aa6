/*
 * Fuzz target: aliyun_classify() and aliyun_describe() over whatever
 * aliyun could print.
 *
 * Input: one flag byte, then stdout, a NUL, then stderr (without a NUL
 * everything is stdout).  The flag byte's low four bits pick the exit
 * status from the table below; bit 4 set means a system command (no JSON
 * due).  tests/fuzz/seeds.sh writes the simulator's answers in this form.
 *
 * Checked: every detail kept from the output, and the line describing it,
 * is shown-safe (fuzz.h); ok and API_OK go together.
 */
#include <stdlib.h>
#include <string.h>

#include "aliyun.h"
#include "fuzz.h"

/* Kept in step with the table in tests/fuzz/seeds.sh. */
static const int statuses[16] = {
	0, 1, 2, 3, 4, 5, 6, 7, 125, 126, 127, 130, 137, 143, 255, 0,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aliyun_reply r = ALIYUN_REPLY_INIT;
	const char *out, *err = "", *nul;
	size_t outlen, errlen = 0;
	bool want_json;
	int status;
	char *desc;

	if (size == 0)
		return 0;
	status = statuses[data[0] & 15];
	want_json = (data[0] & 0x10) == 0;
	out = (const char *)data + 1;
	outlen = size - 1;
	if ((nul = memchr(out, '\0', outlen)) != NULL) {
		err = nul + 1;
		errlen = outlen - (size_t)(err - out);
		outlen = (size_t)(nul - out);
	}

	/* What aliyun_run() leaves in r->c for a process that exited. */
	r.c.status = status;
	r.c.term_signal = status > 128 && status < 255 ? status - 128 : 0;
	aliyun_classify(&r, status, out, outlen, err, errlen, want_json);

	if (r.ok != (r.kind == API_OK))
		abort();
	if ((int)r.kind < API_OK || (int)r.kind > API_OTHER)
		abort();
	fuzz_check_shown_str("code", r.code);
	fuzz_check_shown_str("message", r.message);
	fuzz_check_shown_str("request id", r.request_id);
	fuzz_check_shown_str("auth action", r.auth_action);
	desc = aliyun_describe(&r);
	fuzz_check_shown_str("description", desc);
	free(desc);
	aliyun_reply_release(&r);
	return 0;
}
