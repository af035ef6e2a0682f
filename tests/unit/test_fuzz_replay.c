/* test_fuzz_replay.c - replays every input under tests/fuzz/regressions/
 * <target>/ (crashes and broken properties the fuzzers found, now fixed)
 * and tests/fuzz/corpus/<target>/ through the fuzzers' own checks
 * (tests/fuzz/checks.h), under ASan + UBSan, without libFuzzer.  Inputs
 * named *.skip are known converter defects, reported but not run. */
#include "harness.h"
#include "../fuzz/checks.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef const char *(*check_fn)(const uint8_t *, size_t);

static void replay_dir(const char *root, const char *kind, const char *target, check_fn fn)
{
	char dir[4096], path[8192];
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", root, kind, target);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		struct buf b = BUF_INIT(0);
		size_t n = strlen(de->d_name);
		const char *bad;

		if (de->d_name[0] == '.' || (n > 3 && strcmp(de->d_name + n - 3, ".md") == 0))
			continue;
		if (n > 5 && strcmp(de->d_name + n - 5, ".skip") == 0) {
			printf("SKIP: %s/%s: known defect, see the note beside it\n", target, de->d_name);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (buf_read_file(&b, path) != 0) {
			OK(0, "%s %s/%s: readable", kind, target, de->d_name);
			continue;
		}
		bad = fn((const uint8_t *)b.data, b.len);
		OK(bad == NULL, "%s %s/%s%s%s", kind, target, de->d_name, bad ? ": " : "",
		   bad ? bad : "");
		buf_release(&b);
	}
	closedir(d);
}

int main(void)
{
	static const struct { const char *name; check_fn fn; } t[] = {
		{ "feed", fz_check_feed }, { "html", fz_check_html },
		{ "date", fz_check_date }, { "post", fz_check_post },
		{ "config", fz_check_config },
	};
	const char *root = getenv("M2J_ROOT");
	size_t i;

	if (!root)
		root = ".";
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		replay_dir(root, "regressions", t[i].name, t[i].fn);
		replay_dir(root, "corpus", t[i].name, t[i].fn);
	}
	/* the checks themselves hold on a known-good input of each kind */
	OK(fz_check_date((const uint8_t *)"Wed, 02 Feb 2022 01:24:00 GMT", 29) == NULL,
	   "date check passes on an RFC 822 date");
	OK(fz_check_post((const uint8_t *)"\x01Hello world", 12) == NULL,
	   "post check passes on a plain title");
	return HARNESS_END();
}
