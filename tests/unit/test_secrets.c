/*
 * secrets_load: the credentials of the environment and of every profile of
 * a temporary $HOME/.aliyun/config.json are registered for masking; a
 * file that is missing, unparsable, too large, a FIFO or a directory is
 * skipped without blocking.  The caller's environment is restored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "mask.h"
#include "redact.h"
#include "secrets.h"
#include "test.h"

/* The variables secrets_load() reads, saved and cleared around a test. */
static const char *const vars[] = {
	"HOME", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
	"ALIBABACLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_SECRET",
	"ALICLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY_SECRET", "ACCESS_KEY_ID",
	"ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
	"ALIBABACLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN",
	"SECURITY_TOKEN", "ALIBABA_CLOUD_BEARER_TOKEN", "ALICLOUD_ACCESS_KEY",
	"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_CMS_ACCESS_KEY_ID",
	"ALIBABA_CLOUD_CMS_ACCESS_KEY_SECRET",
};
#define NVARS (sizeof(vars) / sizeof(*vars))

static char *saved[NVARS];
static char home[64], aliyun[96], config[128];

static void
env_save(void)
{
	for (size_t i = 0; i < NVARS; i++) {
		const char *v = getenv(vars[i]);

		saved[i] = v ? strdup(v) : NULL;
		unsetenv(vars[i]);
	}
}

static void
env_restore(void)
{
	for (size_t i = 0; i < NVARS; i++) {
		if (saved[i])
			setenv(vars[i], saved[i], 1);
		else
			unsetenv(vars[i]);
		free(saved[i]);
		saved[i] = NULL;
	}
}

/* Whether redact_mask() hides s (it is replaced, whole, by REDACTED). */
static bool
hidden(const char *s)
{
	struct buf b = BUF_INIT;
	bool ok;

	redact_mask(&b, s, strlen(s));
	ok = strcmp(buf_str(&b), REDACTED) == 0;
	buf_release(&b);
	return ok;
}

static void
write_config(const char *text)
{
	FILE *f = fopen(config, "w");

	if (!CHECK(f != NULL))
		return;
	fputs(text, f);
	fclose(f);
}

static void
test_env(void)
{
	setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEnvKeyId000000001", 1);
	setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envSecretValue0000000001", 1);
	setenv("ALICLOUD_SECURITY_TOKEN", "CAISenvStsToken000000001", 1);
	setenv("ALICLOUD_SECRET_KEY", "aliSecretKey000000000001", 1);
	setenv("ALIBABA_CLOUD_BEARER_TOKEN", "bearerToken0000000000001", 1);
	setenv("SECURITY_TOKEN", "short", 1);
	secrets_load();
	CHECK(hidden("envSecretValue0000000001"));
	CHECK(hidden("CAISenvStsToken000000001"));
	CHECK(hidden("aliSecretKey000000000001"));
	CHECK(hidden("bearerToken0000000000001"));
	/* id:secret in base64, as HTTP Basic authentication sends it. */
	CHECK(hidden("TFRBSTV0RW52S2V5SWQwMDAwMDAwMDE6ZW52U2VjcmV0VmFsdWUwMDAwMDAw"
	    "MDAx"));
	CHECK(!hidden("short"));
	redact_clear_secrets();
	for (size_t i = 1; i < NVARS; i++)
		unsetenv(vars[i]);
}

static void
test_config(void)
{
	write_config("{\"current\": \"a\", \"profiles\": ["
	    "{\"name\": \"a\", \"mode\": \"AK\", \"access_key_id\": "
	    "\"LTAI5tCfgKeyId0000000001\", \"access_key_secret\": "
	    "\"cfgSecretValue0000000001\", \"region_id\": \"cn-hangzhou\"},"
	    "{\"name\": \"b\", \"mode\": \"StsToken\", \"sts_token\": "
	    "\"CAIScfgStsToken000000001\", \"private_key\": "
	    "\"-----BEGIN KEY-----\\nMIIcfgPrivateKey01\\n-----END KEY-----\","
	    " \"access_token\": \"accessToken000000000001\","
	    " \"oauth_access_token\": \"oauthAccess000000000001\","
	    " \"oauth_refresh_token\": \"oauthRefresh00000000001\","
	    " \"bearer_token\": \"cfgBearer00000000000001\","
	    " \"external_id\": \"externalId0000000000001\","
	    " \"region_id\": \"cn-beijing\"}, 5, \"x\"]}");
	secrets_load();
	CHECK(hidden("cfgSecretValue0000000001"));
	CHECK(hidden("CAIScfgStsToken000000001"));
	CHECK(hidden("MIIcfgPrivateKey01"));
	CHECK(hidden("accessToken000000000001"));
	CHECK(hidden("oauthAccess000000000001"));
	CHECK(hidden("oauthRefresh00000000001"));
	CHECK(hidden("cfgBearer00000000000001"));
	CHECK(hidden("externalId0000000000001"));
	CHECK(!hidden("cn-hangzhou"));
	CHECK(!hidden("cn-beijing"));
	redact_clear_secrets();

	/* What is not a configuration is skipped. */
	write_config("{\"profiles\": [{\"access_key_secret\": \"unparsable0000001\"");
	secrets_load();
	CHECK(!hidden("unparsable0000001"));
	write_config("{\"profiles\": {\"access_key_secret\": \"notAnArray000001\"}}");
	secrets_load();
	CHECK(!hidden("notAnArray000001"));
	redact_clear_secrets();
}

/* Over 4 MiB: skipped whole. */
static void
test_too_large(void)
{
	FILE *f = fopen(config, "w");

	if (!CHECK(f != NULL))
		return;
	fputs("{\"profiles\": [{\"access_key_secret\": \"tooLarge00000000001\"}],"
	    " \"pad\": \"", f);
	for (int i = 0; i < (4 << 20) / 64; i++)
		fputs("................................................................",
		    f);
	fputs("\"}", f);
	fclose(f);
	secrets_load();
	CHECK(!hidden("tooLarge00000000001"));
	redact_clear_secrets();
}

/* A FIFO or a directory in the file's place: skipped, never blocked on. */
static void
test_not_regular(void)
{
	unlink(config);
	if (!CHECK(mkfifo(config, 0600) == 0))
		return;
	secrets_load();		/* would block without O_NONBLOCK */
	CHECK(!mask_values_any());
	unlink(config);
	if (!CHECK(mkdir(config, 0700) == 0))
		return;
	secrets_load();
	CHECK(!mask_values_any());
	rmdir(config);
	/* No file, no HOME. */
	secrets_load();
	unsetenv("HOME");
	secrets_load();
	CHECK(!mask_values_any());
}

void
test_secrets(void)
{
	char tmpl[] = "/tmp/pai-diag-secrets.XXXXXX";

	if (!CHECK(mkdtemp(tmpl) != NULL))
		return;
	env_save();
	snprintf(home, sizeof(home), "%s", tmpl);
	snprintf(aliyun, sizeof(aliyun), "%s/.aliyun", home);
	snprintf(config, sizeof(config), "%s/config.json", aliyun);
	CHECK(mkdir(aliyun, 0700) == 0);
	setenv("HOME", home, 1);
	redact_clear_secrets();

	test_env();
	test_config();
	test_too_large();
	test_not_regular();

	unlink(config);
	rmdir(aliyun);
	rmdir(home);
	redact_clear_secrets();
	env_restore();
}
