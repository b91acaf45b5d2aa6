/*
 * redact: every credential form is removed with no fragment left, ANSI
 * colour is stripped, control characters and bad UTF-8 become '?', and
 * innocent text is left exactly as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "test.h"

#define AK "LTAI5tAbCdEfGhIjKlMnOpQr"

/* redact_str(s) must equal want. */
static void
redacts_to(const char *s, const char *want, int line)
{
	char *got = redact_str(s);

	test_check_str(got, want, __FILE__, line, s);
	free(got);
}

/* redact(s) must contain none of the NULL-terminated fragments. */
static void
hides(const char *s, const char *const *frags, int line)
{
	char *got = redact_str(s);

	for (; *frags; frags++)
		test_check_has(got, *frags, false, __FILE__, line, s);
	free(got);
}

static void
test_secrets(void)
{
	static const char *const ak_frags[] = {
		AK, "LTAI", "5tAbCd", "MnOpQr", NULL,
	};
	static const char *const url_frags[] = {
		"LTAI", "AbCdEf", "abc%2Bdef", "2Bdef", "CAIS", "xyzSECRET",
		"TOKEN99", NULL,
	};
	static const char *const ak_tail[] = { "5tAbCdEfGhIjKlMnOpQr", NULL };
	static const char *const auth_frags[] = {
		"LTAI", "acs LTAI", "c2lnbmF0dXJl", "F0dXJ", NULL,
	};
	static const char *const json_frags[] = {
		"xyzSECRETxyz", "SECRET", NULL,
	};
	static const char *const sts_frags[] = {
		"STS.NT", "NTa1b2c3d4e5f6", "a1b2c3", NULL,
	};
	const char *url = "GET /?AccessKeyId=" AK "&Signature=abc%2Bdef"
	    "&SecurityToken=CAISxyzSECRETTOKEN99&Action=InvokeDiagnosis";

	/* The signed URL of aliyun's network errors. */
	redacts_to(url, "GET /?AccessKeyId=[REDACTED]&Signature=[REDACTED]"
	    "&SecurityToken=[REDACTED]&Action=InvokeDiagnosis", __LINE__);
	hides(url, url_frags, __LINE__);
	redacts_to("ERROR: Post \"https://sysom.cn-hangzhou.aliyuncs.com/?"
	    "AccessKeyId=" AK "&Action=InvokeDiagnosis&Signature=Zm9vYmFy%3D"
	    "&SignatureMethod=HMAC-SHA1\": dial tcp 1.2.3.4:443: connect: "
	    "connection refused",
	    "ERROR: Post \"https://sysom.cn-hangzhou.aliyuncs.com/?"
	    "AccessKeyId=[REDACTED]&Action=InvokeDiagnosis&Signature=[REDACTED]"
	    "&SignatureMethod=HMAC-SHA1\": dial tcp 1.2.3.4:443: connect: "
	    "connection refused", __LINE__);
	/* Key names in any case. */
	redacts_to("accesskeyid=" AK "&signature=abc", "accesskeyid=[REDACTED]"
	    "&signature=[REDACTED]", __LINE__);

	/* The Authorization header, to the end of its line. */
	redacts_to("Authorization: acs " AK ":c2lnbmF0dXJl\nHost: x",
	    "Authorization: [REDACTED]\nHost: x", __LINE__);
	hides("Authorization: acs " AK ":c2lnbmF0dXJl", auth_frags, __LINE__);
	redacts_to("x-acs-security-token: CAISxyzSECRETTOKEN99\n",
	    "x-acs-security-token: [REDACTED]\n", __LINE__);

	/* JSON, with and without spaces. */
	redacts_to("{\"AccessKeySecret\": \"xyzSECRETxyz\", \"RegionId\": "
	    "\"cn-hangzhou\"}", "{\"AccessKeySecret\": \"[REDACTED]\", "
	    "\"RegionId\": \"cn-hangzhou\"}", __LINE__);
	hides("{\"AccessKeySecret\": \"xyzSECRETxyz\"}", json_frags, __LINE__);
	redacts_to("{\"access_key_secret\":\"xyzSECRETxyz\",\"mode\":\"AK\"}",
	    "{\"access_key_secret\":\"[REDACTED]\",\"mode\":\"AK\"}", __LINE__);
	redacts_to("{\"SecurityToken\":\"CAISxyz\"}",
	    "{\"SecurityToken\":\"[REDACTED]\"}", __LINE__);
	hides("{\"AccessKeySecret\":\"xyzSECRETxyz\"}", json_frags, __LINE__);

	/* Bare key ids wherever they stand. */
	redacts_to("key " AK " used", "key [REDACTED] used", __LINE__);
	redacts_to(AK, "[REDACTED]", __LINE__);
	redacts_to("(" AK ")", "([REDACTED])", __LINE__);
	hides("id=" AK ".", ak_frags, __LINE__);
	hides("user:" AK, ak_frags, __LINE__);
	/* URL-encoded contexts: the id follows an escape such as %3D. */
	hides("acs%20" AK "%3Asig", ak_tail, __LINE__);
	hides("next=https%3A%2F%2Fsysom.aliyuncs.com%2F%3FAccessKeyId%3D" AK
	    "%26Action%3DInvokeDiagnosis", ak_tail, __LINE__);
	redacts_to("token STS.NTa1b2c3d4e5f6 expired", "token [REDACTED] "
	    "expired", __LINE__);
	hides("token STS.NTa1b2c3d4e5f6 expired", sts_frags, __LINE__);

	/* Colour inside a secret does not save it. */
	hides("\033[1;31mAccessKeyId=" AK "\033[0m", ak_frags, __LINE__);
	hides("LTAI5tAbCd\033[0mEfGhIjKlMnOpQr", ak_frags, __LINE__);
}

static void
test_text(void)
{
	char *got, buf[64];
	size_t n;

	redacts_to("\033[1;31mERROR: x\n\033[0m", "ERROR: x\n", __LINE__);
	redacts_to("\033[1;33mtip\033[0m and \033[32mgreen\033[K", "tip and "
	    "green", __LINE__);
	redacts_to("a\x01" "b\x7f" "c\x1b" "d", "a?b?c?d", __LINE__);
	redacts_to("line1\nline2\tcol\n", "line1\nline2\tcol\n", __LINE__);
	redacts_to("a\r\nb", "a?\nb", __LINE__);
	redacts_to("bell\a", "bell?", __LINE__);

	/* NUL inside the counted bytes. */
	got = redact("a\0b", 3);
	CHECK_STR(got, "a?b");
	free(got);
	got = redact("ab", 0);
	CHECK_STR(got, "");
	free(got);
	got = redact("abcdef", 3);
	CHECK_STR(got, "abc");
	free(got);
	redacts_to("", "", __LINE__);

	/* Invalid UTF-8 bytes. */
	redacts_to("a\xff" "b", "a?b", __LINE__);
	redacts_to("a\xfe\xff", "a??", __LINE__);
	redacts_to("end\xc3", "end?", __LINE__);
	redacts_to("\xc3(", "?(", __LINE__);
	redacts_to("\xc0\xaf", "??", __LINE__);		/* overlong '/' */
	redacts_to("\xe0\x80\xaf", "???", __LINE__);	/* overlong */
	redacts_to("\xed\xa0\x80", "???", __LINE__);	/* surrogate */
	redacts_to("\xf4\x90\x80\x80", "????", __LINE__);	/* > U+10FFFF */
	redacts_to("\x80", "?", __LINE__);

	/* Valid UTF-8 is kept. */
	redacts_to("\xe6\x98\xbe\xe5\xad\x98\xe6\xba\xa2\xe5\x87\xba OK",
	    "\xe6\x98\xbe\xe5\xad\x98\xe6\xba\xa2\xe5\x87\xba OK", __LINE__);
	redacts_to("caf\xc3\xa9", "caf\xc3\xa9", __LINE__);
	redacts_to("\xe2\x8f\xb3 timed out", "\xe2\x8f\xb3 timed out", __LINE__);
	redacts_to("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", __LINE__);

	/* Innocent text is untouched. */
	redacts_to("SignatureDoesNotMatch", "SignatureDoesNotMatch", __LINE__);
	redacts_to("SignatureDoesNotMatch: Specified signature is not matched "
	    "with our calculation.", "SignatureDoesNotMatch: Specified "
	    "signature is not matched with our calculation.", __LINE__);
	redacts_to("LTA", "LTA", __LINE__);
	redacts_to("LTAI", "LTAI", __LINE__);
	redacts_to("the Signature of a model", "the Signature of a model",
	    __LINE__);
	redacts_to("InvalidAccessKeyId.NotFound", "InvalidAccessKeyId.NotFound",
	    __LINE__);
	redacts_to("Forbidden.RAM: User not authorized to operate on the "
	    "specified resource, or this API doesn't support RAM.",
	    "Forbidden.RAM: User not authorized to operate on the specified "
	    "resource, or this API doesn't support RAM.", __LINE__);
	redacts_to("request id: 3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7",
	    "request id: 3E1D5C7B-2A49-5F60-8B1C-D2E3F4A5B6C7", __LINE__);
	redacts_to("SignatureMethod=HMAC-SHA1&SignatureVersion=1.0",
	    "SignatureMethod=HMAC-SHA1&SignatureVersion=1.0", __LINE__);
	redacts_to("eas-m-bp79exq2lzbd0ctdfu Vq7mZ2xK cn-hangzhou",
	    "eas-m-bp79exq2lzbd0ctdfu Vq7mZ2xK cn-hangzhou", __LINE__);
	redacts_to("Sysom.TaskInProgress: ocd(Vq7mZ2xK)",
	    "Sysom.TaskInProgress: ocd(Vq7mZ2xK)", __LINE__);

	/* strip_ansi in place. */
	strcpy(buf, "\033[1;31mERROR\033[0m: x");
	n = strip_ansi(buf, strlen(buf));
	CHECK_INT(n, 8);
	CHECK_STR(buf, "ERROR: x");
	strcpy(buf, "plain");
	CHECK_INT(strip_ansi(buf, 5), 5);
	CHECK_STR(buf, "plain");
	strcpy(buf, "\033[K");
	CHECK_INT(strip_ansi(buf, 3), 0);
	CHECK_STR(buf, "");
}

/* Redacting twice changes nothing more (reports redact the result tree,
 * then each string again as it is printed). */
static void
test_idempotent(void)
{
	static const char *const samples[] = {
		"AccessKeyId=" AK "&Signature=abc&SecurityToken=CAIS",
		"Authorization: acs " AK ":sig\nnext",
		"{\"AccessKeySecret\": \"xyz\", \"k\": \"" AK "\"}",
		"plain text \033[1mbold\033[0m\001",
	};

	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		char *once = redact_str(samples[i]);
		char *twice = redact_str(once);

		CHECK_STR(twice, once);
		free(once);
		free(twice);
	}
}

/*
 * A key id glued to the word before it (found by tests/fuzz/fuzz_redact):
 * eight or more characters after LTAI make it an id anyway; shorter ones
 * and STS. keep the word boundary.
 */
static void
test_glued(void)
{
	redacts_to("\\u0001" AK "\"", "\\u0001[REDACTED]\"", __LINE__);
	redacts_to("SLTAIignaTuSre", "S[REDACTED]", __LINE__);
	redacts_to("DKLTAIErrowwwwz", "DK[REDACTED]", __LINE__);
	redacts_to("x" AK "_y", "x[REDACTED]", __LINE__);
	redacts_to("ALTAIR", "ALTAIR", __LINE__);
	redacts_to("xLTAI1234567", "xLTAI1234567", __LINE__);
	redacts_to("HOSTS.conf12345", "HOSTS.conf12345", __LINE__);
}

/*
 * A word starts after a JSON \\uXXXX escape as after a %XX one: Go's JSON
 * writes the '&' of a signed URL as \\u0026 (found by tests/fuzz/
 * fuzz_redact's check of signed-request keys).
 */
static void
test_escapes(void)
{
	redacts_to("?AccessKeyId=" AK "\\u0026Action=X\\u0026SecurityToken=CAISx"
	    "\\u0026Signature=q3F%2Bk9%3D\\u0026Version=1\\\"",
	    "?AccessKeyId=[REDACTED]\\u0026Action=X\\u0026SecurityToken="
	    "[REDACTED]\\u0026Signature=[REDACTED]\\u0026Version=1\\\"",
	    __LINE__);
	redacts_to("%26Signature=abc", "%26Signature=[REDACTED]", __LINE__);
	redacts_to("\\u003dSTS.NTa1b2c3d4", "\\u003d[REDACTED]", __LINE__);
	redacts_to("u0026Signature=abc", "u0026Signature=abc", __LINE__);
	redacts_to("\\u00zzSignature=abc", "\\u00zzSignature=abc", __LINE__);
}

void
test_redact(void)
{
	test_secrets();
	test_text();
	test_idempotent();
	test_glued();
	test_escapes();
}
