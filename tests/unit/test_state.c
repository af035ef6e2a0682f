#include "harness.h"
#include "state.h"
#include "buf.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

static const char *tpath(const char *name)
{
	static char p[4][512];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static int same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static char *slurp(const char *path, size_t *len)
{
	struct buf b = BUF_INIT(0);

	if (buf_read_file(&b, path)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Every field of every entry of a is in b, and the counts match. */
static int equal_states(struct state *a, struct state *b)
{
	size_t i;

	if (a->nfeeds != b->nfeeds || a->nposts != b->nposts)
		return 0;
	for (i = 0; i < a->nfeeds; i++) {
		struct state_feed *x = &a->feeds[i], *y = state_feed_get(b, x->url, false);

		if (!y || !same(x->etag, y->etag) || !same(x->last_modified, y->last_modified) ||
		    !same(x->body_hash, y->body_hash) || !same(x->last_success, y->last_success) ||
		    x->failures != y->failures || !same(x->last_error, y->last_error)) {
			printf("  feed %s differs\n", x->url);
			return 0;
		}
	}
	for (i = 0; i < a->nposts; i++) {
		struct state_post *x = &a->posts[i], *y = state_post_get(b, x->key, false);

		if (!y || !same(x->guid, y->guid) || !same(x->file, y->file) ||
		    !same(x->output, y->output) || !same(x->hash, y->hash) ||
		    !same(x->item_hash, y->item_hash)) {
			printf("  post %s differs\n", x->key);
			return 0;
		}
	}
	return 1;
}

static struct state *sample(int reverse)
{
	struct state *s = state_new();
	const char *urls[] = { "https://medium.com/feed/@b", "https://a.example/feed.xml",
	                       "file:///tmp/c.xml" };
	int i;

	for (i = 0; i < 3; i++) {
		struct state_feed *f = state_feed_get(s, urls[reverse ? 2 - i : i], true);

		if (!f)
			break;
		if (strcmp(f->url, urls[0]) == 0) {
			state_set(&f->etag, "W/\"5e1c-abc\"");
			state_set(&f->last_modified, "Tue, 02 Jan 2024 10:00:00 GMT");
			state_set(&f->body_hash, "0123456789abcdef");
			state_set(&f->last_success, "2024-01-02T10:00:00Z");
		} else if (strcmp(f->url, urls[1]) == 0) {
			f->failures = 3;
			state_set(&f->last_error, "HTTP 503: Service Unavailable");
		}
	}
	for (i = 0; i < 4; i++) {
		char key[64], file[64];
		int n = reverse ? 3 - i : i;
		struct state_post *p;

		snprintf(key, sizeof key, "M:%012x", n * 977);
		snprintf(file, sizeof file, "2024-01-0%d-post-%d.md", n + 1, n);
		if (!(p = state_post_get(s, key, true)))
			break;
		state_set(&p->file, file);
		state_set(&p->output, "_posts");
		state_set(&p->hash, "fedcba9876543210");
		if (n != 2) {
			state_set(&p->guid, "https://medium.com/p/abc");
			state_set(&p->item_hash, "00000000000000ff");
		}
	}
	return s;
}

static void test_basics(void)
{
	struct state *s = state_new();
	struct state_feed *f;
	struct state_post *p;
	char *h;

	OK(s && s->nfeeds == 0 && s->nposts == 0, "new: empty");
	OK(state_feed_get(s, "https://x", false) == NULL, "get: absent without create");
	f = state_feed_get(s, "https://x", true);
	OK(f && strcmp(f->url, "https://x") == 0 && f->failures == 0 && !f->etag, "get: create");
	OK(state_feed_get(s, "https://x", false) == f, "get: found again");
	OK(state_feed_get(s, "https://x", true) == f && s->nfeeds == 1, "get: create twice = one");
	p = state_post_get(s, "L:https://x/1", true);
	OK(p && strcmp(p->key, "L:https://x/1") == 0 && s->nposts == 1, "post: create");
	OK(state_post_get(s, "L:https://x/2", false) == NULL, "post: absent");
	INT_EQ(state_set(&p->guid, "g"), 0, "set: value");
	STR_EQ(p->guid, "g", "set: stored");
	INT_EQ(state_set(&p->guid, NULL), 0, "set: NULL");
	OK(p->guid == NULL, "set: cleared");
	state_free(s);
	state_free(NULL);

	h = state_hash_hex("", 0);
	STR_EQ(h, "cbf29ce484222325", "hash: FNV-1a 64 of empty");
	free(h);
	h = state_hash_hex("a", 1);
	STR_EQ(h, "af63dc4c8601ec8c", "hash: FNV-1a 64 of \"a\"");
	free(h);
	h = state_hash_hex("foobar", 6);
	STR_EQ(h, "85944171f73967e8", "hash: FNV-1a 64 of \"foobar\"");
	free(h);

	/* reserve keeps pointers stable while creating */
	s = state_new();
	INT_EQ(state_reserve(s, 500, 500), 0, "reserve: ok");
	f = state_feed_get(s, "first", true);
	{
		int i;
		char u[32];

		for (i = 0; i < 499; i++) {
			snprintf(u, sizeof u, "feed%d", i);
			state_feed_get(s, u, true);
		}
	}
	OK(f == &s->feeds[0] && strcmp(f->url, "first") == 0, "reserve: pointer still valid");
	state_free(s);
}

static void test_roundtrip(void)
{
	struct state *a = sample(0), *b = sample(1), *c = NULL;
	struct m2j_err err = { 0, "" };
	char *t1, *t2, *t3;
	size_t l1 = 0, l2 = 0, l3 = 0;
	int rc;

	INT_EQ(state_save(a, tpath("s1.yml"), &err), 0, "save: ok (%s)", err.msg);
	INT_EQ(state_save(b, tpath("s2.yml"), &err), 0, "save: other insertion order");
	rc = state_load(tpath("s1.yml"), &c, &err);
	INT_EQ(rc, 0, "load: ok (%s)", err.msg);
	if (!rc) {
		OK(equal_states(a, c), "round trip: every field of every entry equal");
		OK(equal_states(c, a), "round trip: nothing added");
		INT_EQ(state_save(c, tpath("s3.yml"), &err), 0, "save: reloaded state");
	}
	t1 = slurp(tpath("s1.yml"), &l1);
	t2 = slurp(tpath("s2.yml"), &l2);
	t3 = slurp(tpath("s3.yml"), &l3);
	OK(t1 && t2 && l1 == l2 && memcmp(t1, t2, l1) == 0,
	   "stable: same content in another order -> identical bytes");
	OK(t1 && t3 && l1 == l3 && memcmp(t1, t3, l1) == 0, "stable: save, load, save -> identical bytes");
	OK(t1 && strstr(t1, "feeds:\n- url: file:///tmp/c.xml\n") != NULL, "stable: feeds sorted by URL");
	OK(t1 && strstr(t1, "  etag: W/\"5e1c-abc\"\n") != NULL, "format: etag readable");
	OK(t1 && strstr(t1, "  failures: 3\n  last_error: 'HTTP 503: Service Unavailable'\n") != NULL,
	   "format: failures and last_error");
	OK(t1 && strstr(t1, "last_success: '2024-01-02T10:00:00Z'\n") != NULL,
	   "format: timestamp quoted (stays a string)");
	OK(t1 && strstr(t1, "- key: M:000000000000\n  guid: https://medium.com/p/abc\n"
	                    "  file: 2024-01-01-post-0.md\n  output: _posts\n"
	                    "  hash: fedcba9876543210\n  item_hash: 00000000000000ff\n"),
	   "format: post fields in fixed order, plain where safe");
	OK(t1 && strstr(t1, "- key: M:0000000007a2\n  file: 2024-01-03-post-2.md\n"),
	   "format: NULL fields left out");
	OK(t1 && strncmp(t1, "# medium2jekyll sync state", 26) == 0, "format: header comment");
	free(t1);
	free(t2);
	free(t3);
	state_free(a);
	state_free(b);
	state_free(c);
}

static void test_hostile(void)
{
	static const char *const v[] = {
		"line one\nline two", "trailing newline\n", "\n", "\r\n", "tab\there", " lead", "trail ",
		"  ", "", "\"quoted\"", "'single'", "key: value", "a #comment", "# only", "- item",
		"[flow", "{flow}", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick`", "|", ">",
		"---", "...", "? q", "yes", "No", "null", "~", "true", "0x1F", "0777", "1.5e3", ".inf",
		"2024-01-01", "12:30", "back\\slash", "caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x94 \xE6\x97\xA5\xE6\x9C\xAC",
		"emoji \xF0\x9F\x98\x80", "nel\xC2\x85here", "ls\xE2\x80\xA8ps\xE2\x80\xA9", "\xEF\xBB\xBF\x62om",
		"ctl\x01\x1f\x7f", "c1 \xC2\x80\xC2\x9F", "nonchar \xEF\xBF\xBE", "{{ liquid }}", "a: b\n- c\n  d: e",
		"2024-01-01-x", "2024-01-01 10:00:00", "12e45", "0123abc", "1_000", "_x", "/path", "0b101",
		"1:20", "+1", "-", "=", "<<",
	};
	size_t n = sizeof v / sizeof v[0], i;
	struct state *s = state_new(), *r = NULL;
	struct m2j_err err = { 0, "" };
	int rc;

	for (i = 0; i < n; i++) {
		char key[32];
		struct state_post *p;
		struct state_feed *f;

		snprintf(key, sizeof key, "K%03zu", i);
		p = state_post_get(s, key, true);
		state_set(&p->guid, v[i]);
		state_set(&p->file, v[i]);
		f = state_feed_get(s, v[i][0] ? v[i] : "(empty)", true);
		state_set(&f->last_error, v[i]);
		state_set(&f->etag, v[i]);
	}
	/* as keys too */
	state_post_get(s, "key: with\n#newline and \"quotes\"", true);
	rc = state_save(s, tpath("hostile.yml"), &err);
	INT_EQ(rc, 0, "hostile: save (%s)", err.msg);
	rc = state_load(tpath("hostile.yml"), &r, &err);
	INT_EQ(rc, 0, "hostile: load (%s)", err.msg);
	if (!rc) {
		OK(equal_states(s, r), "hostile: all %zu strings round-trip (as values and keys)", n);
		for (i = 0; i < n; i++) {
			char key[32];
			struct state_post *p;

			snprintf(key, sizeof key, "K%03zu", i);
			p = state_post_get(r, key, false);
			if (!p || !same(p->guid, v[i]))
				printf("FAIL: hostile: string %zu differs\n", i);
		}
	}
	state_free(r);
	state_free(s);

	/* invalid UTF-8 is saved repaired, never fails the save */
	s = state_new();
	r = NULL;
	state_set(&state_feed_get(s, "https://x.example/f", true)->etag, "\"lat\xe9n1\xff\"");
	rc = state_save(s, tpath("utf8.yml"), &err);
	INT_EQ(rc, 0, "invalid UTF-8: save (%s)", err.msg);
	if (!rc && state_load(tpath("utf8.yml"), &r, &err) == 0) {
		STR_EQ(state_feed_get(r, "https://x.example/f", false)->etag,
		       "\"lat\xEF\xBF\xBDn1\xEF\xBF\xBD\"", "invalid UTF-8: bad bytes become U+FFFD");
	} else {
		OK(0, "invalid UTF-8: reload (%s)", err.msg);
	}
	state_free(r);
	state_free(s);
}

static void bad(const char *name, const char *text, int code, const char *want_tail)
{
	struct state *s = NULL;
	struct m2j_err err = { 0, "" };
	char want[1024];
	int rc;

	put(tpath("bad.yml"), text);
	rc = state_load(tpath("bad.yml"), &s, &err);
	INT_EQ(rc, code, "corrupt: %s is an error", name);
	snprintf(want, sizeof want, "%s:%s", tpath("bad.yml"), want_tail);
	STR_EQ(err.msg, want, "corrupt: %s message", name);
	OK(s == NULL, "corrupt: %s returns nothing", name);
	state_free(s);
}

static void test_missing_and_corrupt(void)
{
	struct state *s = NULL;
	struct m2j_err err = { 0, "" };
	int rc;

	rc = state_load(tpath("does-not-exist.yml"), &s, &err);
	INT_EQ(rc, 0, "missing: not an error");
	OK(s && s->nfeeds == 0 && s->nposts == 0, "missing: empty state");
	state_free(s);
	s = NULL;
	put(tpath("empty.yml"), "");
	rc = state_load(tpath("empty.yml"), &s, &err);
	OK(rc == 0 && s && s->nfeeds == 0, "empty file: empty state");
	state_free(s);
	s = NULL;
	put(tpath("extra.yml"), "version: 1\nfuture: {a: [1, 2]}\nfeeds:\n- url: u\n  new_field: [x]\n"
	                        "  etag: e\nposts: ~\n");
	rc = state_load(tpath("extra.yml"), &s, &err);
	INT_EQ(rc, 0, "unknown keys: ignored (%s)", err.msg);
	if (!rc)
		STR_EQ(state_feed_get(s, "u", false)->etag, "e", "unknown keys: known ones kept");
	state_free(s);
	s = NULL;
	put(tpath("dup.yml"), "feeds:\n- url: u\n  etag: a\n- url: u\n  etag: b\n");
	rc = state_load(tpath("dup.yml"), &s, &err);
	OK(rc == 0 && s->nfeeds == 1 && strcmp(s->feeds[0].etag, "b") == 0,
	   "repeated entry: one entry, last wins");
	state_free(s);

	bad("truncated flow", "version: 1\nfeeds: [\n", M2J_EPARSE,
	    "3:1: YAML error: did not find expected node content");
	bad("bad indentation", "version: 1\nfeeds:\n- url: a\n etag: b\n", M2J_EPARSE,
	    "4:2: YAML error: did not find expected key");
	bad("half-written quote", "feeds:\n- url: \"https://a.example/f\n", M2J_EPARSE,
	    "3:1: YAML error: found unexpected end of stream");
	bad("not a mapping", "- a\n- b\n", M2J_EPARSE, "1:1: expected a mapping, got a list");
	bad("feeds not a list", "feeds: 3\n", M2J_EPARSE, "1:8: feeds: expected a list, got a value");
	bad("post not a mapping", "posts:\n- abc\n", M2J_EPARSE, "2:3: posts: expected a mapping, got a value");
	bad("post without key", "posts:\n- file: x.md\n  hash: h\n", M2J_EPARSE,
	    "2:3: post entry without key");
	bad("field is a list", "feeds:\n- url: u\n  etag: [1]\n", M2J_EPARSE,
	    "3:9: etag: expected a string, got a list");
	bad("failures not a count", "feeds:\n- url: u\n  failures: many\n", M2J_EPARSE,
	    "3:13: failures: expected a count, got \"many\"");
	bad("newer version", "version: 2\nfeeds: []\n", M2J_EUNSAFE,
	    " state version 2 is newer than this program (1): refused, left as it is "
	    "(upgrade medium2jekyll)");
	bad("two documents", "feeds: []\n---\nposts: []\n", M2J_EPARSE,
	    "2:1: expected the end of the file, got the end");
	bad("binary", "feeds:\n- url: \x01\x02\n", M2J_EPARSE,
	    "2:8: YAML error: control characters are not allowed");
}

static int count_tmp(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strstr(e->d_name, ".tmp"))
			n++;
	closedir(d);
	return n;
}

static void test_atomic(void)
{
	struct state *s = sample(0), *r = NULL;
	struct m2j_err err = { 0, "" };
	struct stat st;
	char *t;
	int rc;

	/* a stale temp file from a killed run, and an old state file */
	put(tpath("atomic.yml.tmp"), "half-writ");
	put(tpath("atomic.yml"), "version: 1\nfeeds: []\n");
	chmod(tpath("atomic.yml"), 0640);
	rc = state_save(s, tpath("atomic.yml"), &err);
	INT_EQ(rc, 0, "atomic: save over a stale temp file (%s)", err.msg);
	INT_EQ(count_tmp(), 0, "atomic: no temp file left");
	OK(stat(tpath("atomic.yml"), &st) == 0 && (st.st_mode & 0777) == 0640,
	   "atomic: file mode kept");
	rc = state_load(tpath("atomic.yml"), &r, &err);
	OK(rc == 0 && equal_states(s, r), "atomic: new content in place");
	state_free(r);

	/* a folder that does not exist is created (`state: .m2j/state.yml`) */
	rc = state_save(s, tpath("no/such/dir/state.yml"), &err);
	INT_EQ(rc, 0, "atomic: missing folder is created (%s)", err.msg);
	OK(access(tpath("no/such/dir/state.yml"), F_OK) == 0, "atomic: the state is in it");

	/* the temp name is a symlink: never followed */
	if (symlink(tpath("victim"), tpath("link.yml.tmp")) == 0) {
		rc = state_save(s, tpath("link.yml"), &err);
		INT_EQ(rc, 0, "atomic: symlinked temp name replaced (%s)", err.msg);
		OK(access(tpath("victim"), F_OK) != 0, "atomic: symlink target not created");
	}
	INT_EQ(count_tmp(), 0, "atomic: still no temp file");
	/* saving the same content again leaves the file alone */
	{
		struct stat st1, st2;

		stat(tpath("atomic.yml"), &st1);
		put(tpath("atomic.yml.tmp"), "stale");
		rc = state_save(s, tpath("atomic.yml"), &err);
		stat(tpath("atomic.yml"), &st2);
		INT_EQ(rc, 0, "unchanged: save ok");
		OK(st1.st_ino == st2.st_ino, "unchanged: same file, not rewritten");
		INT_EQ(count_tmp(), 0, "unchanged: stale temp file removed");
		state_feed_get(s, "https://new.example/f", true);
		rc = state_save(s, tpath("atomic.yml"), &err);
		stat(tpath("atomic.yml"), &st2);
		OK(rc == 0 && st1.st_ino != st2.st_ino, "changed: replaced by rename");
	}
	t = slurp(tpath("atomic.yml"), NULL);
	OK(t && strstr(t, "version: 1\n"), "atomic: version written");
	free(t);
	state_free(s);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void test_big(void)
{
	struct state *s = state_new(), *r = NULL;
	struct m2j_err err = { 0, "" };
	double t0, t1, t2;
	struct stat st;
	size_t i;
	int rc, ok = 1;

	for (i = 0; i < 1000; i++) {
		char url[128], v[64];
		struct state_feed *f;

		snprintf(url, sizeof url, "https://medium.com/feed/@member-%04zu", (i * 7919) % 1000);
		f = state_feed_get(s, url, true);
		snprintf(v, sizeof v, "W/\"%zx-%zx\"", i * 31, i * 17);
		state_set(&f->etag, v);
		state_set(&f->last_modified, "Tue, 02 Jan 2024 10:00:00 GMT");
		state_set(&f->body_hash, "0123456789abcdef");
		state_set(&f->last_success, "2024-01-02T10:00:00Z");
		if (i % 50 == 0) {
			f->failures = (int)(i % 7);
			state_set(&f->last_error, "timeout after 60 s");
		}
	}
	for (i = 0; i < 10000; i++) {
		char key[128], guid[128], file[160];
		struct state_post *p;

		snprintf(key, sizeof key, "M:%012zx", (i * 104729) % 1000003);
		snprintf(guid, sizeof guid, "https://medium.com/p/%012zx", (i * 104729) % 1000003);
		snprintf(file, sizeof file, "2024-%02zu-%02zu-a-fairly-long-title-for-post-number-%zu.md",
		         i % 12 + 1, i % 28 + 1, i);
		p = state_post_get(s, key, true);
		if (!p) {
			ok = 0;
			break;
		}
		state_set(&p->guid, guid);
		state_set(&p->file, file);
		state_set(&p->output, "_posts");
		state_set(&p->hash, "fedcba9876543210");
		state_set(&p->item_hash, "00112233445566ff");
	}
	OK(ok && s->nfeeds == 1000 && s->nposts == 10000, "big: 1,000 feeds and 10,000 posts built");
	t0 = now_ms();
	rc = state_save(s, tpath("big.yml"), &err);
	t1 = now_ms();
	INT_EQ(rc, 0, "big: save (%s)", err.msg);
	rc = state_load(tpath("big.yml"), &r, &err);
	t2 = now_ms();
	INT_EQ(rc, 0, "big: load (%s)", err.msg);
	if (!rc)
		OK(equal_states(s, r), "big: round trip equal");
	stat(tpath("big.yml"), &st);
	OK(1, "big: %lld bytes, save %.1f ms, load %.1f ms of CPU (this build; not asserted)",
	   (long long)st.st_size, t1 - t0, t2 - t1);
	state_free(r);
	state_free(s);
}

static void cleanup(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			unlink(tpath(e->d_name));
	closedir(d);
	rmdir(dir);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/m2j-state-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("FAIL: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	test_basics();
	test_roundtrip();
	test_hostile();
	test_missing_and_corrupt();
	test_atomic();
	test_big();
	if (!getenv("M2J_KEEP")) cleanup(); else printf("kept %s\n", dir);
	return HARNESS_END();
}
