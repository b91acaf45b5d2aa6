/*
 * redact and masking: every credential form is removed with no fragment
 * left, by pattern and by value; ANSI colour is stripped, control and
 * invisible characters are shown as \uXXXX, bad UTF-8 becomes '?'; JSON
 * stays JSON of the same shape; innocent text is left exactly as it was,
 * and masked text masks to itself.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
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
test_leaks(void)
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
	redacts_to("a\x01" "b\x7f" "c\x1b" "d", "a\\u0001b\\u007fc\\u001bd",
	    __LINE__);
	redacts_to("line1\nline2\tcol\n", "line1\nline2\tcol\n", __LINE__);
	redacts_to("a\r\nb", "a\nb", __LINE__);
	redacts_to("bell\a", "bell\\u0007", __LINE__);

	/* NUL inside the counted bytes. */
	got = redact("a\0b", 3);
	CHECK_STR(got, "a\\u0000b");
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
	/* A key is any word ending in a secret name. */
	redacts_to("u0026Signature=abc", "u0026Signature=[REDACTED]", __LINE__);
	redacts_to("\\u00zzSignature=abc", "\\u00zzSignature=[REDACTED]",
	    __LINE__);
	/* "sk" alone is a key only as a whole word, also after an escape. */
	redacts_to("%26sk%3Dabc\\u0026sk=def\\nsk: ghi", "%26sk%3D[REDACTED]"
	    "\\u0026sk=[REDACTED]\\nsk: [REDACTED]", __LINE__);
	redacts_to("u0026sk=abc ask=x disk=y", "u0026sk=abc ask=x disk=y",
	    __LINE__);
}


/* redact_mask(s) must equal want. */
static void
masks_to(const char *s, const char *want, int line)
{
	struct buf b = BUF_INIT;
	char *twice;

	redact_mask(&b, s, strlen(s));
	test_check_str(buf_str(&b), want, __FILE__, line, s);
	/* Masked text masks to itself. */
	twice = redact_str(buf_str(&b));
	b.len = 0;
	redact_mask(&b, twice, strlen(twice));
	test_check_str(buf_str(&b), twice, __FILE__, line, "masked twice");
	free(twice);
	buf_release(&b);
}

/* redact_mask(s) must contain none of the NULL-terminated fragments. */
static void
mask_hides(const char *s, const char *const *frags, int line)
{
	struct buf b = BUF_INIT;

	redact_mask(&b, s, strlen(s));
	for (; *frags; frags++)
		test_check_has(buf_str(&b), *frags, false, __FILE__, line, s);
	buf_release(&b);
}

/*
 * Whether m (masked) has the shape of a: the same types, members and
 * elements, except that a value may have become "[REDACTED]" and a string
 * or key may hold [REDACTED].
 */
static bool
same_shape(const cJSON *a, const cJSON *m)
{
	const cJSON *ca, *cm;

	if (cJSON_IsString(m) && strcmp(m->valuestring, REDACTED) == 0 &&
	    !cJSON_IsBool(a) && !cJSON_IsNull(a))
		return true;
	if ((a->type & 0xff) != (m->type & 0xff))
		return false;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, m->valuestring) == 0 ||
		    strstr(m->valuestring, REDACTED) != NULL;
	if (cJSON_IsNumber(a))
		return a->valuedouble == m->valuedouble;
	for (ca = a->child, cm = m->child; ca && cm;
	    ca = ca->next, cm = cm->next) {
		if (ca->string && strcmp(ca->string, cm->string) != 0 &&
		    strstr(cm->string, REDACTED) == NULL)
			return false;
		if (!same_shape(ca, cm))
			return false;
	}
	return ca == NULL && cm == NULL;
}

/*
 * The masked JSON text doc parses, with the shape of doc (same_shape), and
 * so does doc inside a JSON string; doc masks to want (NULL: not checked).
 */
static void
json_kept(const char *doc, const char *want, int line)
{
	cJSON *a = cJSON_Parse(doc), *m, *outer, *j_body;
	struct buf b = BUF_INIT;
	char *text;

	if (!test_check(a != NULL, __FILE__, line, "the test's JSON parses"))
		return;
	redact_mask(&b, doc, strlen(doc));
	if (want)
		test_check_str(buf_str(&b), want, __FILE__, line, doc);
	m = cJSON_Parse(buf_str(&b));
	test_check(m != NULL && same_shape(a, m), __FILE__, line, buf_str(&b));
	cJSON_Delete(m);

	/* The same document as a string inside another. */
	outer = cJSON_CreateObject();
	cJSON_AddStringToObject(outer, "body", doc);
	text = cJSON_PrintUnformatted(outer);
	cJSON_Delete(outer);
	buf_reset(&b);
	redact_mask(&b, text, strlen(text));
	outer = cJSON_Parse(buf_str(&b));
	j_body = cJSON_GetObjectItemCaseSensitive(outer, "body");
	m = cJSON_IsString(j_body) ? cJSON_Parse(j_body->valuestring) : NULL;
	test_check(m != NULL && same_shape(a, m), __FILE__, line, buf_str(&b));
	cJSON_Delete(m);
	cJSON_Delete(outer);
	cJSON_free(text);
	cJSON_Delete(a);
	buf_release(&b);
}

/* Control, C1, bidirectional and zero-width characters become visible. */
static void
test_terminal(void)
{
	redacts_to("lone\rcr", "lone\\u000dcr", __LINE__);
	redacts_to("a\r\n\r\nb", "a\n\nb", __LINE__);
	redacts_to("c1 \xc2\x85 \xc2\x9b", "c1 \\u0085 \\u009b", __LINE__);
	redacts_to("rtl \xe2\x80\xae" "evil", "rtl \\u202eevil", __LINE__);
	redacts_to("\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xe2\x81\xa0\xef\xbb\xbf",
	    "\\u200b\\u200c\\u200d\\u2060\\ufeff", __LINE__);
	redacts_to("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c\xe2\x81\xa6\xe2\x81\xa9",
	    "\\u200e\\u200f\\u061c\\u2066\\u2069", __LINE__);
	redacts_to("line\xe2\x80\xa8sep\xe2\x80\xa9", "line\\u2028sep\\u2029",
	    __LINE__);
	/* Their neighbours are ordinary characters. */
	redacts_to("\xe2\x80\x8a\xe2\x80\x90\xe2\x80\xaf\xef\xbb\xbe",
	    "\xe2\x80\x8a\xe2\x80\x90\xe2\x80\xaf\xef\xbb\xbe", __LINE__);
	redacts_to("\xc2\xa0\xc2\xbf", "\xc2\xa0\xc2\xbf", __LINE__);
	/* OSC sequences (hyperlinks, titles) are stripped; one never ended
	 * is shown. */
	redacts_to("\033]8;;https://x\033\\link\033]8;;\033\\ end",
	    "link end", __LINE__);
	redacts_to("\033]0;title\a" "after", "after", __LINE__);
	redacts_to("\033]0;no end", "\\u001b]0;no end", __LINE__);
	/* A long clean text with one late control character. */
	{
		char text[300], *got;

		memset(text, 'x', sizeof(text));
		memcpy(text + 250, "\x01y", 3);
		got = redact_str(text);
		CHECK_INT(strlen(got), 257);
		CHECK_STR(got + 250, "\\u0001y");
		CHECK_INT(redact_scan(text, strlen(text)), 250);
		free(got);
	}
}

/* The key rule (redact_is_secret_key). */
static void
test_keys(void)
{
	static const char *const secret[] = {
		"password", "Password", "db_password", "passwd", "secret",
		"client_secret", "AccessKeySecret", "access-key-secret",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "access_key_id", "AccessKeyId",
		"SecurityToken", "x-acs-security-token", "sts_token", "token",
		"bearer_token", "Signature", "x-acs-signature", "api_key",
		"apiKey", "private_key", "PrivateKey", "Authorization",
		"proxy-authorization", "credential", "sk", "SK", "my_sk",
		"my-sk", "a.b.token", "token.", "the secret", "%26sk",
		"Signature=", "password\": ", "sk:", "InvalidatedToken",
		"invalid_token", "MissingPlugin.SecurityToken",
		"InvalidAccessKeyId.SecurityToken", "x.InvalidSecurityToken",
		"IncompleteSignature.",
	};
	static const char *const plain[] = {
		"SignatureMethod", "SignatureNonce", "SignatureVersion",
		"request_id", "max_tokens", "environment_credentials",
		"TokenCount", "keyid", "ask", "disk", "sk_", "secretary", "",
		"password hint", "token (old)", "passwords", "=", "token=x",
		"IncompleteSignature", "InvalidSecurityToken",
		"MissingAccessKeySecret", "InvalidAccessKeyId",
		"InvalidAuthorization", "MalformedAuthorization",
	};

	for (size_t i = 0; i < sizeof(secret) / sizeof(*secret); i++)
		test_check(redact_is_secret_key(secret[i]), __FILE__, __LINE__,
		    secret[i]);
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		test_check(!redact_is_secret_key(plain[i]), __FILE__, __LINE__,
		    plain[i]);
}

/* Every form of a secret-named key and its value. */
static void
test_patterns(void)
{
	static const char *const xml_frags[] = { "wJalr", "EXAMPLEKEY", NULL };

	/* Separators: '=', ':', "=>", ':=', U+FF1A, %3D, %3A; blanks. */
	masks_to("token=abc secret: def", "token=[REDACTED] secret: [REDACTED]",
	    __LINE__);
	masks_to("\"token\" => \"abc\", :password => 'x y'",
	    "\"token\" => \"[REDACTED]\", :password => '[REDACTED]'", __LINE__);
	masks_to("password\t= hunter2\n", "password\t= [REDACTED]\n", __LINE__);
	masks_to("token := \"abc\"", "token := \"[REDACTED]\"", __LINE__);
	masks_to("password\xef\xbc\x9a" "abc123 ok", "password\xef\xbc\x9a"
	    "[REDACTED] ok", __LINE__);
	masks_to("a=1%26SecurityToken%3DCAISabc%2Bdef%26b%3D2",
	    "a=1%26SecurityToken%3D[REDACTED]", __LINE__);
	masks_to("x%22password%22%3A%22abc%22", "x%22password%22%3A%22"
	    "[REDACTED]%22", __LINE__);
	/* Key names. */
	masks_to("access-key-secret: abc", "access-key-secret: [REDACTED]",
	    __LINE__);
	masks_to("sk=a1 api_key=b2 private_key=c3 client_secret=d4 "
	    "bearer_token=e5 ALIBABA_CLOUD_ACCESS_KEY_SECRET=f6",
	    "sk=[REDACTED] api_key=[REDACTED] private_key=[REDACTED] "
	    "client_secret=[REDACTED] bearer_token=[REDACTED] "
	    "ALIBABA_CLOUD_ACCESS_KEY_SECRET=[REDACTED]", __LINE__);
	/* Values: quoted up to the quote, unquoted up to a delimiter. */
	masks_to("password='a b\\'c' next", "password='[REDACTED]' next",
	    __LINE__);
	masks_to("token=abc&x=1;secret=q,r", "token=[REDACTED]&x=1;"
	    "secret=[REDACTED],r", __LINE__);
	masks_to("token=\"never closed\nnext", "token=\"[REDACTED]\nnext",
	    __LINE__);
	/* Authorization: the rest of the line, or to its closing quote. */
	masks_to("Authorization: Bearer abc.def\nHost: x",
	    "Authorization: [REDACTED]\nHost: x", __LINE__);
	masks_to("authorization=\"acs LTAIxx:sig\" next",
	    "authorization=\"[REDACTED]\" next", __LINE__);
	/* XML elements, with attributes, and as Go escapes them in JSON. */
	masks_to("<AccessKeySecret>wJalrXUtnFEMI/EXAMPLEKEY</AccessKeySecret>",
	    "<AccessKeySecret>[REDACTED]</AccessKeySecret>", __LINE__);
	masks_to("<SecurityToken xmlns=\"urn:x\">CAIS</SecurityToken><a>b</a>",
	    "<SecurityToken xmlns=\"urn:x\">[REDACTED]</SecurityToken><a>b</a>",
	    __LINE__);
	masks_to("\\u003cPassword\\u003esecret1\\u003c/Password\\u003e",
	    "\\u003cPassword\\u003e[REDACTED]\\u003c/Password\\u003e", __LINE__);
	masks_to("<ns:Token>x</ns:Token><Token/><Token></Token>",
	    "<ns:Token>[REDACTED]</ns:Token><Token/><Token></Token>", __LINE__);
	mask_hides("<r><AccessKeySecret>wJalrXUtnFEMI/EXAMPLEKEY"
	    "</AccessKeySecret></r>", xml_frags, __LINE__);
	/* Key ids and STS tokens anywhere. */
	masks_to("id " AK " and STS.NTa1b2c3d4e5f6 end", "id [REDACTED] and "
	    "[REDACTED] end", __LINE__);

	/* Already masked: left as it is. */
	masks_to("token=[REDACTED] <Token>[REDACTED]</Token>",
	    "token=[REDACTED] <Token>[REDACTED]</Token>", __LINE__);
	masks_to("token=ab[REDACTED]cd", "token=[REDACTED]", __LINE__);

	/* Not secrets. */
	masks_to("SignatureMethod=HMAC-SHA1&SignatureNonce=1&max_tokens: 4096",
	    "SignatureMethod=HMAC-SHA1&SignatureNonce=1&max_tokens: 4096",
	    __LINE__);
	masks_to("the security token expired; rotate the secret soon",
	    "the security token expired; rotate the secret soon", __LINE__);
	masks_to("request_id=abc environment_credentials: x TokenCount=3",
	    "request_id=abc environment_credentials: x TokenCount=3", __LINE__);
	/* An empty value is marked all the same. */
	masks_to("token != y, token= , password=", "token != y, token= "
	    "[REDACTED], password=[REDACTED]", __LINE__);
	masks_to("a=1&Signature=&b=2 token=\"\"", "a=1&Signature=[REDACTED]&b=2 "
	    "token=\"[REDACTED]\"", __LINE__);
	masks_to("token: true, secret: null", "token: true, secret: null",
	    __LINE__);
	masks_to("LTAI123 xLTAI1234567 ALTAIR", "LTAI123 xLTAI1234567 ALTAIR",
	    __LINE__);
	/* An error code is no key, whatever it names; nor as a tag name. */
	masks_to("InvalidAuthorization: the header is malformed",
	    "InvalidAuthorization: the header is malformed", __LINE__);
	masks_to("\\u003cInvalidSecurityToken\\u003eexpired\\u003c/x\\u003e",
	    "\\u003cInvalidSecurityToken\\u003eexpired\\u003c/x\\u003e",
	    __LINE__);
	masks_to("\\u003csk\\u003eabc\\u003c/sk\\u003e",
	    "\\u003csk\\u003e[REDACTED]\\u003c/sk\\u003e", __LINE__);
}

/* JSON stays JSON of the same shape, also inside a JSON string. */
static void
test_json_kept(void)
{
	json_kept("{\"password\": \"hunter2\", \"n\": 1}",
	    "{\"password\": \"[REDACTED]\", \"n\": 1}", __LINE__);
	json_kept("{\"token\": 12345, \"secret\": -1.5e3}",
	    "{\"token\": \"[REDACTED]\", \"secret\": \"[REDACTED]\"}", __LINE__);
	json_kept("{\"token\": [1, \"a]\", {\"b\": \"}\"}], \"n\": 2}",
	    "{\"token\": \"[REDACTED]\", \"n\": 2}", __LINE__);
	json_kept("{\"credential\": {\"id\": \"x\", \"key\": \"y\"}, \"n\": []}",
	    "{\"credential\": \"[REDACTED]\", \"n\": []}", __LINE__);
	json_kept("{\"token\": true, \"secret\": null, \"password\": \"\"}",
	    "{\"token\": true, \"secret\": null, \"password\": \"[REDACTED]\"}",
	    __LINE__);
	json_kept("{\"Authorization\": 5, \"a\": 1}", "{\"Authorization\": "
	    "\"[REDACTED]\", \"a\": 1}", __LINE__);
	json_kept("{\n\t\"token\":\n\t\t[1,\n\t\t2],\n\t\"b\": 1\n}", NULL,
	    __LINE__);
	json_kept("{\"msg\": \"token=[abc\", \"x\": \"password='y\", \"z\": 1}",
	    "{\"msg\": \"token=[REDACTED]\", \"x\": \"password='[REDACTED]\", "
	    "\"z\": 1}", __LINE__);
	json_kept("{\"msg\": \"Authorization: Bearer x\", \"p\": \"token=\"}",
	    "{\"msg\": \"Authorization: [REDACTED]\", \"p\": \"token=[REDACTED]\"}",
	    __LINE__);
	json_kept("[\"password=\", \"a\", \"token: \", 1]", NULL, __LINE__);
	json_kept("{\"u\": \"https://x/?a=1\\u0026Signature=abc\\u0026b=2\"}",
	    "{\"u\": \"https://x/?a=1\\u0026Signature=[REDACTED]\\u0026b=2\"}",
	    __LINE__);
	json_kept("{\"x\": \"<Token>abc\", \"y\": \"<Token a=\\\"b\\\">c</T>\"}",
	    "{\"x\": \"<Token>[REDACTED]\", \"y\": \"<Token a=\\\"b\\\">"
	    "[REDACTED]</T>\"}", __LINE__);
	/* JSON in a JSON string: the inner quotes are \". */
	json_kept("{\"body\": \"{\\\"password\\\": \\\"x\\\\\\\"y\\\", "
	    "\\\"n\\\": 5, \\\"token\\\": [1, \\\"]\\\"], \\\"k\\\": 2}\"}",
	    "{\"body\": \"{\\\"password\\\": \\\"[REDACTED]\\\", \\\"n\\\": 5, "
	    "\\\"token\\\": \\\"[REDACTED]\\\", \\\"k\\\": 2}\"}", __LINE__);
	json_kept("{\"body\": \"{\\\"token\\\": [1, 2\"}", NULL, __LINE__);
	json_kept("{\"token\": \"a\\\"b\\\\\", \"c\": \"d\"}",
	    "{\"token\": \"[REDACTED]\", \"c\": \"d\"}", __LINE__);
	json_kept("{\"k\": \"" AK "\", \"LTAI5tAbCdEfGhIjKlMnOpQr\": 1}", NULL,
	    __LINE__);
}

#define SECRET "wQ7vZr2KpX9mB4nT6yH1cJ8dF3sL5g+/="
#define SECRET_ID "LTAI5tXq9RvB3nKw8ZpYm2Lc"

/* base64 (standard alphabet, padded) of s; owned. */
static char *
b64(const char *s, size_t n, bool url)
{
	static const char std[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;
		char q[4];

		v |= i + 1 < n ? (unsigned)(unsigned char)s[i + 1] << 8 : 0;
		v |= i + 2 < n ? (unsigned char)s[i + 2] : 0;
		q[0] = std[v >> 18];
		q[1] = std[(v >> 12) & 63];
		q[2] = i + 1 < n ? std[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? std[v & 63] : '=';
		for (int k = 0; k < 4 && url; k++)
			q[k] = q[k] == '+' ? '-' : q[k] == '/' ? '_' : q[k];
		buf_add(&b, q, 4);
	}
	return buf_detach(&b, NULL);
}

/* Secrets known by value, in every form. */
static void
test_values(void)
{
	static const char *const secret_frags[] = {
		"wQ7vZr2K", "X9mB4nT6", "dF3sL5g", "Zr2KpX9m", NULL,
	};
	static const char *const url_frags[] = { "pX9mB4nT", "%2B%2F", NULL };
	char text[512], *enc;

	redact_clear_secrets();
	redact_add_secret_pair(SECRET_ID, SECRET);
	redact_add_secret("short");		/* ignored: under 8 bytes */
	redact_add_secret("tok\"en<&>\\value");

	/* As it is, anywhere, whatever is around it. */
	masks_to("failed with key " SECRET " at x", "failed with key "
	    "[REDACTED] at x", __LINE__);
	masks_to("glued" SECRET "glued", "glued[REDACTED]glued", __LINE__);
	masks_to("part: Zr2KpX9mB4 only", "part: [REDACTED] only", __LINE__);
	masks_to("seven: wQ7vZr2 only", "seven: wQ7vZr2 only", __LINE__);
	masks_to("short shorts", "short shorts", __LINE__);
	mask_hides("cfg{" SECRET "}", secret_frags, __LINE__);
	/* URL-encoded, upper and lower case hex; never half an escape. */
	masks_to("u=wQ7vZr2KpX9mB4nT6yH1cJ8dF3sL5g%2B%2F%3D&x=1",
	    "u=[REDACTED]&x=1", __LINE__);
	masks_to("u=dF3sL5g%2b%2f%3d&x", "u=[REDACTED]&x", __LINE__);
	masks_to("u=%2BxF3sL5g%2B%2F%3D", "u=%2Bx[REDACTED]", __LINE__);
	mask_hides("a%3DwQ7vZr2KpX9mB4nT6yH1cJ8dF3sL5g%2B%2F%3D", url_frags,
	    __LINE__);
	/* JSON-escaped, as cJSON and as Go write it. */
	masks_to("{\"m\": \"tok\\\"en<&>\\\\value\"}", "{\"m\": \"[REDACTED]\"}",
	    __LINE__);
	masks_to("{\"m\": \"tok\\\"en\\u003c\\u0026\\u003e\\\\value\"}",
	    "{\"m\": \"[REDACTED]\"}", __LINE__);
	masks_to("{\"m\": \"x\\u0026\\u003e\\\\val\"}", "{\"m\": \"x[REDACTED]\"}",
	    __LINE__);
	/* A run never takes an unescaped '"'. */
	masks_to("tok\"en<&>\\value", "tok\"[REDACTED]", __LINE__);
	/* base64 of the value at every alignment, both alphabets. */
	for (int k = 0; k < 3; k++) {
		for (int url = 0; url < 2; url++) {
			char plain[128], *got;
			struct buf b = BUF_INIT;

			snprintf(plain, sizeof(plain), "%.*s%s and more", k,
			    "xy", SECRET);
			enc = b64(plain, strlen(plain), url);
			redact_mask(&b, enc, strlen(enc));
			got = buf_detach(&b, NULL);
			CHECK_HAS(got, REDACTED);
			CHECK(strlen(got) < strlen(enc) - 20);
			free(got);
			free(enc);
		}
	}
	enc = b64(SECRET, strlen(SECRET), false);
	snprintf(text, sizeof(text), "data=%s;", enc);
	masks_to(text, "data=[REDACTED];", __LINE__);
	free(enc);
	/* base64 of id:secret, as in HTTP Basic authentication. */
	enc = b64(SECRET_ID ":" SECRET, strlen(SECRET_ID ":" SECRET), false);
	snprintf(text, sizeof(text), "Proxy: Basic %s\n", enc);
	masks_to(text, "Proxy: Basic [REDACTED]\n", __LINE__);
	free(enc);

	/* Broken across a line, with the next line indented. */
	masks_to("key wQ7vZr2KpX9mB4nT6yH1\n    cJ8dF3sL5g+/= end",
	    "key [REDACTED]\n    [REDACTED] end", __LINE__);
	masks_to("key wQ7vZr2KpX9mB4nT6yH1cJ8dF3sL5\r\ng+/= end",
	    "key [REDACTED]\r\n[REDACTED] end", __LINE__);
	masks_to("wQ7vZr2\n\tKpX9mB4", "[REDACTED]\n\t[REDACTED]", __LINE__);
	masks_to("a wQ7v\nZr2K\nfoo", "a [REDACTED]\n[REDACTED]\nfoo",
	    __LINE__);
	masks_to("wQ7vZr2\n\nKpX9mB4", "[REDACTED]\n\n[REDACTED]", __LINE__);
	masks_to("abc\ndefghijk\n", "abc\ndefghijk\n", __LINE__);

	/* Then by pattern; masked twice, the same. */
	masks_to("password=" SECRET " and token=x" SECRET,
	    "password=[REDACTED] and token=[REDACTED]", __LINE__);
	redacts_to("\033[31mwQ7vZr2KpX9mB4n\033[0mT6yH1cJ8dF3sL5g",
	    "[REDACTED]", __LINE__);

	redact_clear_secrets();
	masks_to("failed with key " SECRET, "failed with key " SECRET,
	    __LINE__);
}

/* Where the scans say a change starts. */
static void
test_scan(void)
{
	static const char *const clean[] = {
		"", "plain text", "SignatureMethod=HMAC-SHA1",
		"token=[REDACTED]", "{\"password\": \"[REDACTED]\"}",
		"line\n\tnext", "caf\xc3\xa9 \xe6\x98\xbe\xe5\xad\x98",
	};

	for (size_t i = 0; i < sizeof(clean) / sizeof(*clean); i++) {
		CHECK_INT(redact_mask_scan(clean[i], strlen(clean[i])),
		    strlen(clean[i]));
		CHECK_INT(redact_scan(clean[i], strlen(clean[i])),
		    strlen(clean[i]));
	}
	CHECK_INT(redact_mask_scan("a token=xyz", 11), 8);
	CHECK_INT(redact_mask_scan("ab " AK, 3 + strlen(AK)), 3);
	CHECK_INT(redact_scan("ab\x01 token=xyz", 14), 2);
	CHECK_INT(redact_mask_scan("ab\x01 token=xyz", 14), 10);
	CHECK_INT(redact_scan("abcd\033[1mxy", 11), 4);
	CHECK_INT(redact_scan("a\r\nb", 4), 1);
	CHECK_INT(redact_scan("ab\xff", 3), 2);
	CHECK_INT(redact_scan("ab\xe2\x80\xae", 5), 2);
	redact_add_secret(SECRET);
	CHECK_INT(redact_mask_scan("x: " SECRET, 3 + strlen(SECRET)), 3);
	/* Nine bytes of the URL-encoded form. */
	CHECK_INT(redact_mask_scan("x%2B%2F%3D", 10), 1);
	CHECK_INT(redact_mask_scan("x%2B%2Fx", 8), 8);
	CHECK_INT(redact_mask_scan("xxxxxxxxdF3sL5g%2B%2F%3D", 24), 8);
	CHECK_INT(redact_mask_scan("ab wQ7vZr2KpX9\n   mB4nT6", 24), 3);
	redact_clear_secrets();
}

/* redact_tree: in place, values under secret keys hidden whole. */
static void
test_tree(void)
{
	cJSON *j = cJSON_Parse("{\"clean\": \"text\", \"dirty\": \"id " AK
	    "\", \"password\": {\"a\": [1, 2]}, \"token\": [\"x\"], "
	    "\"secret\": 5, \"api_key\": true, \"sk\": null, \"Signature\": "
	    "\"abcdefghijklmnop\", \"AccessKeySecret\": \"x\", "
	    "\"a\x01" "b\": \"c\\u0007\", \"n\": {\"private_key\": \"k\"}}");
	const char *clean_key, *clean_value, *sig;

	if (!CHECK(j != NULL))
		return;
	clean_key = cJSON_GetObjectItem(j, "clean")->string;
	clean_value = cJSON_GetObjectItem(j, "clean")->valuestring;
	sig = cJSON_GetObjectItem(j, "Signature")->valuestring;
	redact_tree(j);
	/* Nothing that needs no change is copied. */
	CHECK(cJSON_GetObjectItem(j, "clean")->string == clean_key);
	CHECK(cJSON_GetObjectItem(j, "clean")->valuestring == clean_value);
	/* A long enough value is overwritten in place. */
	CHECK(cJSON_GetObjectItem(j, "Signature")->valuestring == sig);
	CHECK_STR(sig, REDACTED);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "dirty")),
	    "id [REDACTED]");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "password")),
	    REDACTED);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "token")),
	    REDACTED);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j, "secret")),
	    REDACTED);
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "AccessKeySecret")), REDACTED);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(j, "api_key")));
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(j, "sk")));
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "a\\u0001b")), "c\\u0007");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(
	    j, "n"), "private_key")), REDACTED);
	cJSON_Delete(j);
	redact_tree(NULL);
}

void
test_redact(void)
{
	test_leaks();
	test_text();
	test_idempotent();
	test_glued();
	test_escapes();
	test_terminal();
	test_keys();
	test_patterns();
	test_json_kept();
	test_values();
	test_scan();
	test_tree();
}
