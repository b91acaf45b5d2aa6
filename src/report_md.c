/*
 * The Markdown report: the text report's content as headings, a target
 * table, a numbered list of suggestions and a severity table of issues,
 * for tickets and chat.  Table cells escape '|' and fold newlines.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "msg.h"
#include "output.h"
#include "redact.h"
#include "report.h"

/*
 * Whether the word at s (up to the next white space) would become a link
 * by itself in GitHub's Markdown: an URL, www.host, or an e-mail address.
 */
static bool
autolinks(const char *s, size_t n)
{
	const char *at = memchr(s, '@', n);

	return memmem(s, n, "://", 3) != NULL ||
	    (n > 4 && strncasecmp(s, "www.", 4) == 0) ||
	    (at && memchr(at, '.', n - (size_t)(at - s)) != NULL);
}

/* A word as a code span: fenced with more backticks than it holds. */
static void
code_span(FILE *f, const char *s, size_t n)
{
	size_t run = 0, longest = 0;

	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		fputc('`', f);
	fputs(n && (s[0] == '`' || s[n - 1] == '`') ? " " : "", f);
	fwrite(s, 1, n, f);
	fputs(n && (s[0] == '`' || s[n - 1] == '`') ? " " : "", f);
	for (size_t i = 0; i <= longest; i++)
		fputc('`', f);
}

/*
 * Text from SysOM (or aliyun) as inert Markdown: redacted first, then it
 * cannot open a heading, a list, a quote, a code block or span, a link or
 * an image, raw HTML, an entity or a table cell.  Characters that act
 * anywhere are escaped everywhere; those that act at the start of a line
 * are escaped there, after the line's leading blanks are dropped (four of
 * them would open a code block); words that would link by themselves go
 * in code spans.  In a table cell lines are joined.
 */
/* One word's characters, those that act anywhere escaped. */
static void
md_word(FILE *f, const char *p, size_t n)
{
	static const char *const esc[256] = {
		['\\'] = "\\\\", ['`'] = "\\`", ['*'] = "\\*", ['_'] = "\\_",
		['['] = "\\[", [']'] = "\\]", ['~'] = "\\~", ['|'] = "\\|",
		['!'] = "\\!", ['$'] = "\\$", ['<'] = "&lt;", ['>'] = "&gt;",
		['&'] = "&amp;",
	};
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		const char *e = esc[(unsigned char)p[i]];

		if (e == NULL)
			continue;
		fwrite(p + run, 1, i - run, f);
		fputs(e, f);
		run = i + 1;
	}
	fwrite(p + run, 1, n - run, f);
}

/* md() of text already safe (redacted). */
static void
md_safe(FILE *f, const char *safe, bool cell)
{
	bool line_start = true;

	for (const char *p = safe; *p; ) {
		size_t word = strcspn(p, " \t\n");

		if (line_start) {
			p += strspn(p, " \t");
			if (*p == '\0')
				break;
			word = strcspn(p, " \t\n");
			/* '>' becomes "&gt;" below, which opens no quote. */
			if (strchr("#-+=", *p) && *p)
				fputc('\\', f);
			else if (isdigit((unsigned char)*p)) {
				size_t digits = strspn(p, "0123456789");

				if (p[digits] == '.' || p[digits] == ')') {
					fwrite(p, 1, digits, f);
					fputc('\\', f);
					p += digits;
					word -= digits;
				}
			}
			line_start = false;
		}
		if (word && autolinks(p, word)) {
			code_span(f, p, word);
			p += word;
			continue;
		}
		md_word(f, p, word);
		p += word;
		if (*p == '\n') {
			fputc(cell ? ' ' : '\n', f);
			line_start = !cell;
			p++;
		} else if (*p) {
			fputc(cell && *p == '\t' ? ' ' : *p, f);
			p++;
		}
	}
}

static void
md(FILE *f, const char *s, bool cell)
{
	char *safe = redact_str(s);

	md_safe(f, safe, cell);
	free(safe);
}

/*
 * The console link: a Markdown link only for an http(s) URL or a path
 * from the root, without characters that would end the link early;
 * anything else is shown as inert text.
 */
static void
md_link(FILE *f, const char *url)
{
	bool linkable = (strncmp(url, "https://", 8) == 0 ||
	    strncmp(url, "http://", 7) == 0 ||
	    (url[0] == '/' && url[1] != '/')) &&
	    strcspn(url, "<>()[]\"'`\\|") == strlen(url);

	char *masked = redact_str(url);

	for (const unsigned char *p = (const unsigned char *)url;
	    linkable && *p; p++)
		linkable = *p > ' ' && *p < 0x7f;	/* printable ASCII only */
	/* A link target is never masked text, nor what masking hid. */
	linkable = linkable && strcmp(masked, url) == 0;
	free(masked);

	if (!linkable) {
		md(f, url, true);
		return;
	}
	fputc('[', f);
	md(f, url, true);
	fprintf(f, "](%s)", url);
}

static void
md_value(FILE *f, const cJSON *v, bool cell)
{
	char *s;

	if (cJSON_IsString(v)) {
		md(f, v->valuestring, cell);
		return;
	}
	if ((s = cJSON_PrintUnformatted(v)) != NULL) {
		md(f, s, cell);
		cJSON_free(s);
	}
}

static void
row(FILE *f, const char *key, const char *value)
{
	fprintf(f, "| %s | ", key);
	md(f, value ? value : "(unknown)", true);
	fputs(" |\n", f);
}

static const char *
mode_word(enum report_mode m)
{
	return m == REPORT_MODE_REALTIME ? "real-time" :
	    m == REPORT_MODE_HISTORICAL ? "historical" : NULL;
}

static void
target(FILE *f, const struct report *r)
{
	fputs("# SysOM diagnosis of ", f);
	md(f, r->instance ? r->instance : "(unknown)", false);
	fputs("\n\n| | |\n|---|---|\n", f);
	row(f, "Product", r->product);
	row(f, "Region", r->region);
	row(f, "Mode", mode_word(r->mode));
	row(f, "Task", r->task_id);
	if (r->url) {
		fputs("| SysOM console | ", f);
		md_link(f, r->url);
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

/* A non-object issue in a cell: a string's text, else compact JSON. */
static void
md_span(FILE *f, struct jspan v)
{
	struct jtext t;
	char *s;

	jtext_value(&t, v);
	s = jtext_cstr(&t);
	md_safe(f, s, true);	/* jtext redacted it */
	free(s);
}

static void
issues(FILE *f, const struct report *r)
{
	struct report_issues is;
	struct jspan j_issue;

	fprintf(f, "## Issues (%zu)\n\n| Severity | Title | Detail |\n"
	    "|---|---|---|\n", r->n_issues);
	report_issues_first(&is, r);
	while (report_issues_next(&is, &j_issue)) {
		struct issue_fields fields;

		report_issue_fields(&fields, j_issue);
		fputs("| ", f);
		/* The fields are redacted already (report_issue_fields()). */
		md_safe(f, fields.severity ? fields.severity : "", true);
		fputs(" | ", f);
		if (jscan_is_object(j_issue))
			md_safe(f, fields.title ? fields.title : "(untitled)",
			    true);
		else
			md_span(f, j_issue);
		fputs(" | ", f);
		md_safe(f, fields.detail ? fields.detail : "", true);
		fputs(" |\n", f);
		report_issue_fields_release(&fields);
		out_safe_point(f);
	}
	fputc('\n', f);
}

int
report_markdown(FILE *f, const struct report *r)
{
	const cJSON *j_list, *j_item;
	const char *overall, *cause;
	int n = 0;

	if (r->outcome == OUTCOME_TIMEOUT) {
		/* The skill's template is the whole report, in any format. */
		return report_text(f, r, &(struct text_look){ false, 0 });
	}
	if (r->outcome == OUTCOME_DIAGNOSIS_FAILED && r->task_failed) {
		target(f, r);
		fputs("## Diagnosis failed\n\n", f);
		md(f, report_failure_message(r), false);
		fputc('\n', f);
		return ferror(f) ? -1 : 0;
	}
	if (!r->has_result)
		return 0;
	target(f, r);
	overall = r->overall_status;
	fputs("## Overall status: ", f);
	md(f, overall ? overall : "(not given)", false);
	cause = r->root_cause;
	fputs("\n\n## Root cause\n\n", f);
	md(f, cause ? cause : "(not given)", false);
	fputs("\n\n", f);
	j_list = r->suggestions;
	if (cJSON_GetArraySize(j_list) > 0) {
		fputs("## Suggestions\n\n", f);
		cJSON_ArrayForEach(j_item, j_list) {
			fprintf(f, "%d. ", ++n);
			md_value(f, j_item, true);
			fputc('\n', f);
		}
		fputc('\n', f);
	}
	if (r->n_issues > 0)
		issues(f, r);
	if (r->baseline)
		report_baseline_text(f, r->baseline, true);
	return ferror(f) ? -1 : 0;
}
