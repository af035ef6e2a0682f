/* test_fetch.c - fetch_url and fetch_many against tests/server.py on
 * 127.0.0.1 (started here; SKIP when python3 is missing). */
#include "harness.h"
#include "caps.h"
#include "fetch.h"

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


#include "server.h"

static const char *U(const char *path)
{
	static char ring[8][512];
	static int k;
	char *u = ring[k++ % 8];

	snprintf(u, 512, "%s%s", base, path);
	return u;
}

static bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int closed_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 1;

	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* ---- the cases shared by fetch_url and fetch_many ---------------------- */

struct tcase {
	const char *path;   /* relative to base, or a full URL */
	size_t max;
	long timeout;
	const char *inm;
	int want_rc;
	long want_status;
};

static char file_url[PATH_MAX + 32], refused_url[64];

static const char *case_url(const struct tcase *c)
{
	if (c->path[0] == '/')
		return U(c->path);
	return c->path;
}

static void case_opts(const struct tcase *c, struct fetch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->max_size = c->max;
	o->timeout = c->timeout ? c->timeout : 10;
	o->connect_timeout = 5;
	o->if_none_match = c->inm;
}

static struct fetch_result refs[64];
static int ref_rc[64];
static struct m2j_err ref_err[64];

static void test_single(const struct buf *feed)
{
	struct fetch_opts o;
	struct fetch_result r;
	struct m2j_err e;
	int rc;
	long before;
	char etag[128], lastmod[128];

	memset(&o, 0, sizeof o);
	o.timeout = 10;
	o.connect_timeout = 5;

	rc = fetch_url(U("/feed.xml"), &o, &r, &e);
	INT_EQ(rc, 0, "fetch: 200 feed");
	INT_EQ(r.status, 200, "fetch: status 200");
	OK(r.body.len == feed->len && memcmp(r.body.data, feed->data, feed->len) == 0,
	   "fetch: body equals the served file");
	OK(r.etag && r.etag[0] == '"', "fetch: ETag captured (%s)", r.etag ? r.etag : "-");
	OK(contains(r.last_modified, "GMT"), "fetch: Last-Modified captured");
	STR_EQ(r.content_type, "application/xml", "fetch: content type");
	OK(r.charset == NULL, "fetch: no charset when none sent");
	OK(ends_with(r.effective_url, "/feed.xml"), "fetch: effective URL");
	snprintf(etag, sizeof etag, "%s", r.etag ? r.etag : "");
	snprintf(lastmod, sizeof lastmod, "%s", r.last_modified ? r.last_modified : "");
	fetch_result_release(&r);

	rc = fetch_url(U("/hello.txt?ct=Application/RSS%2BXML;%20charset=%22UTF-8%22"), &o, &r, &e);
	INT_EQ(rc, 0, "fetch: hello.txt");
	STR_EQ(r.content_type, "application/rss+xml", "fetch: media type lower-cased");
	STR_EQ(r.charset, "UTF-8", "fetch: quoted charset parameter");
	STR_EQ(r.body.data, "hello, world\n", "fetch: small body");
	fetch_result_release(&r);

	rc = fetch_url(U("/hello.txt"), &o, &r, &e);
	STR_EQ(r.charset, "utf-8", "fetch: charset parameter");
	fetch_result_release(&r);

	/* conditional requests */
	o.if_none_match = etag;
	rc = fetch_url(U("/feed.xml"), &o, &r, &e);
	INT_EQ(rc, 0, "fetch: If-None-Match answered 304 is success");
	INT_EQ(r.status, 304, "fetch: status 304");
	INT_EQ(r.body.len, 0, "fetch: 304 has an empty body");
	fetch_result_release(&r);
	o.if_none_match = "\"stale\"";
	rc = fetch_url(U("/feed.xml"), &o, &r, &e);
	OK(rc == 0 && r.status == 200 && r.body.len == feed->len,
	   "fetch: stale ETag gets the full body");
	fetch_result_release(&r);
	o.if_none_match = NULL;
	o.if_modified_since = lastmod;
	rc = fetch_url(U("/feed.xml"), &o, &r, &e);
	OK(rc == 0 && r.status == 304, "fetch: If-Modified-Since answered 304 (rc %d, %ld)",
	   rc, r.status);
	fetch_result_release(&r);
	o.if_modified_since = NULL;
	o.if_none_match = "\"x\"\r\nX-Injected: 1";
	rc = fetch_url(U("/echo"), &o, &r, &e);
	OK(rc == 0 && !contains(r.body.data, "x-injected") && !contains(r.body.data, "if-none-match"),
	   "fetch: a validator with CR/LF is not sent");
	fetch_result_release(&r);
	o.if_none_match = NULL;
	rc = fetch_url(U("/status/304"), &o, &r, &e);
	OK(rc == M2J_EHTTP && r.status == 304, "fetch: 304 without a validator is an error");
	fetch_result_release(&r);
	{
		struct buf lg = BUF_INIT(0);
		bool inm = false, ims = false;

		buf_read_file(&lg, log_file);
		inm = contains(lg.data, "GET\t/feed.xml\tinm=\"");
		ims = contains(lg.data, "ims=") && contains(lg.data, "GMT\tua=medium2jekyll/");
		OK(inm && ims, "fetch: server log shows both conditional headers");
		buf_release(&lg);
	}

	/* user agent */
	rc = fetch_url(U("/echo"), &o, &r, &e);
	OK(contains(r.body.data, "user-agent: medium2jekyll/" M2J_VERSION "\n"),
	   "fetch: default User-Agent");
	OK(contains(r.body.data, "accept-encoding: ") && contains(r.body.data, "gzip"),
	   "fetch: Accept-Encoding offers gzip");
	fetch_result_release(&r);
	o.user_agent = "custom-agent/1";
	rc = fetch_url(U("/echo"), &o, &r, &e);
	OK(contains(r.body.data, "user-agent: custom-agent/1\n"), "fetch: User-Agent override");
	fetch_result_release(&r);
	o.user_agent = NULL;

	/* statuses */
	rc = fetch_url(U("/nope.xml"), &o, &r, &e);
	INT_EQ(rc, M2J_EHTTP, "fetch: 404 is M2J_EHTTP");
	INT_EQ(r.status, 404, "fetch: status 404 kept");
	OK(contains(e.msg, "HTTP 404 from ") && contains(e.msg, "/nope.xml"),
	   "fetch: 404 message (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url(U("/status/500"), &o, &r, &e);
	OK(rc == M2J_EHTTP && r.status == 500 && contains(e.msg, "HTTP 500"),
	   "fetch: 500 (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url(U("/status/429?retry-after=7"), &o, &r, &e);
	OK(rc == M2J_EHTTP && r.status == 429, "fetch: 429");
	STR_EQ(r.retry_after, "7", "fetch: Retry-After captured");
	fetch_result_release(&r);
	rc = fetch_url(U("/status/403?cf=1"), &o, &r, &e);
	OK(rc == M2J_EHTTP && r.cf_mitigated, "fetch: cf-mitigated seen");
	fetch_result_release(&r);

	/* redirects */
	rc = fetch_url(U("/redirect/3?to=/hello.txt"), &o, &r, &e);
	OK(rc == 0 && r.status == 200, "fetch: 3 redirects followed");
	OK(ends_with(r.effective_url, "/hello.txt"), "fetch: effective URL after redirects (%s)",
	   r.effective_url ? r.effective_url : "-");
	STR_EQ(r.body.data, "hello, world\n", "fetch: body after redirects");
	OK(r.etag != NULL, "fetch: headers of the final response");
	fetch_result_release(&r);
	rc = fetch_url(U("/redirect/5?to=/hello.txt&code=301"), &o, &r, &e);
	INT_EQ(rc, 0, "fetch: 5 redirects is the limit and still allowed");
	fetch_result_release(&r);
	rc = fetch_url(U("/redirect/6?to=/hello.txt"), &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "too many redirects (more than 5)"),
	   "fetch: 6 redirects refused (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url(U("/loop"), &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "too many redirects"),
	   "fetch: redirect loop (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url(U("/to-file"), &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "redirect to a disallowed protocol"),
	   "fetch: redirect to file:// refused (%s)", e.msg);
	OK(r.body.len == 0, "fetch: nothing read from file:// via redirect");
	fetch_result_release(&r);
	rc = fetch_url(U("/to-ftp"), &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "redirect to a disallowed protocol"),
	   "fetch: redirect to ftp:// refused (%s)", e.msg);
	fetch_result_release(&r);

	/* file:// and other schemes */
	rc = fetch_url(file_url, &o, &r, &e);
	OK(rc == 0 && r.status == 0 && r.body.len == feed->len &&
	   memcmp(r.body.data, feed->data, feed->len) == 0, "fetch: file:// URL read (%s)",
	   rc ? e.msg : "ok");
	fetch_result_release(&r);
	rc = fetch_url("file:///nonexistent/m2j/feed.xml", &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "/nonexistent/m2j/feed.xml"),
	   "fetch: missing file:// (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url("ftp://127.0.0.1/feed.xml", &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "unsupported protocol"),
	   "fetch: ftp:// refused (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url("", &o, &r, &e);
	OK(rc != 0, "fetch: empty URL refused");
	fetch_result_release(&r);

	/* size limits */
	o.max_size = 100000;
	rc = fetch_url(U("/big?kb=300"), &o, &r, &e);
	OK(rc == M2J_ELIMIT && contains(e.msg, "body exceeds 100000 bytes"),
	   "fetch: Content-Length over the limit (%s)", e.msg);
	OK(r.body.cap == 0, "fetch: body freed after the limit");
	fetch_result_release(&r);
	rc = fetch_url(U("/big?kb=300&nolength=1"), &o, &r, &e);
	OK(rc == M2J_ELIMIT && contains(e.msg, "body exceeds 100000 bytes"),
	   "fetch: chunked body over the limit (%s)", e.msg);
	fetch_result_release(&r);
	rc = fetch_url(U("/big?bytes=100000&nolength=1"), &o, &r, &e);
	OK(rc == 0 && r.body.len == 100000, "fetch: body exactly at the limit is fine");
	OK(r.body.cap <= 100000 + 100000 / 2 + 64, "fetch: buffer bounded by the cap (%zu)",
	   r.body.cap);
	fetch_result_release(&r);
	o.max_size = 1 << 20;
	before = maxrss_kb();
	rc = fetch_url(U("/big?mb=48&nolength=1"), &o, &r, &e);
	OK(rc == M2J_ELIMIT, "fetch: 48 MB endless body stops at 1 MB");
	OK(maxrss_kb() - before < 24 * 1024, "fetch: memory bounded for the endless body "
	   "(+%ld kB)", maxrss_kb() - before);
	fetch_result_release(&r);
	rc = fetch_url(U("/gzip/feed.xml"), &o, &r, &e);
	OK(rc == 0 && r.body.len == feed->len && memcmp(r.body.data, feed->data, feed->len) == 0,
	   "fetch: gzip body decoded");
	fetch_result_release(&r);
	before = maxrss_kb();
	rc = fetch_url(U("/gzipbomb?mb=96"), &o, &r, &e);
	OK(rc == M2J_ELIMIT && contains(e.msg, "body exceeds 1048576 bytes"),
	   "fetch: gzip bomb stops at the limit (%s)", e.msg);
	OK(maxrss_kb() - before < 24 * 1024, "fetch: memory bounded for the gzip bomb (+%ld kB)",
	   maxrss_kb() - before);
	fetch_result_release(&r);
	o.max_size = 0;

	/* misc bodies */
	rc = fetch_url(U("/html"), &o, &r, &e);
	OK(rc == 0 && contains(r.body.data, "<html>"), "fetch: HTML page fetched");
	STR_EQ(r.content_type, "text/html", "fetch: HTML content type");
	fetch_result_release(&r);
	rc = fetch_url(U("/empty"), &o, &r, &e);
	OK(rc == 0 && r.status == 200 && r.body.len == 0 && r.body.data[0] == '\0',
	   "fetch: empty body");
	fetch_result_release(&r);

	/* time and connection failures */
	o.timeout = 2;
	rc = fetch_url(U("/stall"), &o, &r, &e);
	OK(rc == M2J_EFETCH && contains(e.msg, "timed out after 2 s") && contains(e.msg, "/stall"),
	   "fetch: stalled body ends at the timeout (%s)", e.msg);
	fetch_result_release(&r);
	o.timeout = 10;
	rc = fetch_url(refused_url, &o, &r, &e);
	/* the caller names the URL; the message must not say it again */
	OK(rc == M2J_EFETCH && !contains(e.msg, refused_url) &&
	   (contains(e.msg, "onnect") || contains(e.msg, "refused")),
	   "fetch: refused connection (%s)", e.msg);
	fetch_result_release(&r);
}

/* ---- fetch_many ------------------------------------------------------------ */

static const struct tcase cases[] = {
	{ "/feed.xml", 0, 0, NULL, 0, 200 },
	{ "/hello.txt", 0, 0, NULL, 0, 200 },
	{ "/nope.xml", 0, 0, NULL, M2J_EHTTP, 404 },
	{ "/status/500", 0, 0, NULL, M2J_EHTTP, 500 },
	{ "/status/429?retry-after=3", 0, 0, NULL, M2J_EHTTP, 429 },
	{ "/redirect/3?to=/feed.xml", 0, 0, NULL, 0, 200 },
	{ "/redirect/6?to=/feed.xml", 0, 0, NULL, M2J_EFETCH, 302 },
	{ "/loop", 0, 0, NULL, M2J_EFETCH, 302 },
	{ "/to-file", 0, 0, NULL, M2J_EFETCH, 302 },
	{ "FILE", 0, 0, NULL, 0, 0 },
	{ "/big?kb=300", 100000, 0, NULL, M2J_ELIMIT, 200 },
	{ "/big?kb=300&nolength=1", 100000, 0, NULL, M2J_ELIMIT, 200 },
	{ "/gzip/feed.xml", 0, 0, NULL, 0, 200 },
	{ "/gzipbomb?mb=32", 1 << 20, 0, NULL, M2J_ELIMIT, 200 },
	{ "/html", 0, 0, NULL, 0, 200 },
	{ "/empty", 0, 0, NULL, 0, 200 },
	{ "/hello.txt", 0, 0, "ETAG", 0, 304 },
	{ "REFUSED", 0, 0, NULL, M2J_EFETCH, 0 },
	{ "/stall", 0, 2, NULL, M2J_EFETCH, 200 },
	{ "/slowstart", 0, 2, NULL, M2J_EFETCH, 0 },
};
#define NCASES (sizeof cases / sizeof cases[0])

static char hello_etag[128];

static void resolve(struct tcase *c)
{
	if (strcmp(c->path, "FILE") == 0)
		c->path = file_url;
	else if (strcmp(c->path, "REFUSED") == 0)
		c->path = refused_url;
	if (c->inm && strcmp(c->inm, "ETAG") == 0)
		c->inm = hello_etag;
}

struct done_ctx {
	int calls;
	int twice;
	unsigned char seen[64];
};

static void on_done(struct fetch_req *q, void *ctx)
{
	struct done_ctx *d = ctx;
	size_t i = (size_t)(uintptr_t)q->user;

	d->calls++;
	if (i < sizeof d->seen) {
		if (d->seen[i])
			d->twice++;
		d->seen[i] = 1;
	}
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Whether two error messages say the same, a number of milliseconds
 * aside (libcurl's "after 9 ms" is how long the try took). */
static bool same_msg(const char *a, const char *b)
{
	while (*a && *a == *b) {
		if (strncmp(a, "after ", 6) == 0 && strncmp(b, "after ", 6) == 0) {
			a += 6, b += 6;
			while (*a >= '0' && *a <= '9')
				a++;
			while (*b >= '0' && *b <= '9')
				b++;
			continue;
		}
		a++, b++;
	}
	return *a == *b;
}

static void test_many(void)
{
	struct tcase tc[NCASES];
	struct fetch_req reqs[60];
	struct fetch_multi_opts mo = { 8, 2, 0, 0 };
	struct done_ctx dc;
	struct fetch_result r;
	struct m2j_err e;
	struct fetch_opts o;
	size_t i, n = 0, bad = 0, good_status = 0;
	int rc;

	memset(&o, 0, sizeof o);
	o.timeout = 10;
	if (fetch_url(U("/hello.txt"), &o, &r, &e) == 0 && r.etag)
		snprintf(hello_etag, sizeof hello_etag, "%s", r.etag);
	fetch_result_release(&r);

	/* reference results, one fetch_url per case (the slow ones excepted) */
	for (i = 0; i < NCASES; i++) {
		tc[i] = cases[i];
		resolve(&tc[i]);
		if (tc[i].timeout) {
			ref_rc[i] = -1;
			continue;
		}
		case_opts(&tc[i], &o);
		ref_rc[i] = fetch_url(case_url(&tc[i]), &o, &refs[i], &ref_err[i]);
		OK(ref_rc[i] == tc[i].want_rc && refs[i].status == tc[i].want_status,
		   "fetch: reference %s: rc %d status %ld", tc[i].path, ref_rc[i], refs[i].status);
	}

	memset(reqs, 0, sizeof reqs);
	for (n = 0; n < 52; n++) {
		const struct tcase *c = &tc[n % NCASES];

		static char urls[60][512]; /* U() uses a small ring: keep copies */

		snprintf(urls[n], sizeof urls[n], "%s", case_url(c));
		reqs[n].url = urls[n];
		case_opts(c, &reqs[n].opts);
		reqs[n].user = (void *)(uintptr_t)n;
	}
	memset(&dc, 0, sizeof dc);
	rc = fetch_many(reqs, n, &mo, on_done, &dc, &e);
	INT_EQ(rc, 0, "fetch_many: returns 0");
	INT_EQ(dc.calls, (long long)n, "fetch_many: done called once per request");
	INT_EQ(dc.twice, 0, "fetch_many: never twice for one request");
	for (i = 0; i < n; i++) {
		size_t k = i % NCASES;
		struct fetch_req *q = &reqs[i];

		if (q->rc == tc[k].want_rc && q->res.status == tc[k].want_status)
			good_status++;
		else
			printf("  mismatch %s: rc %d status %ld (%s)\n", tc[k].path, q->rc,
			       q->res.status, q->err.msg);
		if (ref_rc[k] == -1) {
			if (!(q->rc == M2J_EFETCH && contains(q->err.msg, "timed out after 2 s")))
				bad++, printf("  %s: %s\n", tc[k].path, q->err.msg);
			continue;
		}
		if (q->rc != ref_rc[k] || q->res.status != refs[k].status ||
		    q->res.body.len != refs[k].body.len ||
		    memcmp(q->res.body.data, refs[k].body.data, q->res.body.len) != 0 ||
		    !same_str(q->res.etag, refs[k].etag) ||
		    !same_str(q->res.content_type, refs[k].content_type) ||
		    !same_str(q->res.charset, refs[k].charset) ||
		    !same_str(q->res.retry_after, refs[k].retry_after) ||
		    !same_str(q->res.effective_url, refs[k].effective_url) ||
		    (q->rc && !same_msg(q->err.msg, ref_err[k].msg))) {
			bad++;
			printf("  differs from fetch_url: %s: rc %d/%d msg [%s] vs [%s]\n",
			       tc[k].path, q->rc, ref_rc[k], q->err.msg, ref_err[k].msg);
		}
		if (q->tries != 1)
			bad++;
	}
	INT_EQ(good_status, n, "fetch_many: every request has the expected rc and status");
	INT_EQ(bad, 0, "fetch_many: %zu results identical to fetch_url's", n);
	for (i = 0; i < n; i++)
		fetch_result_release(&reqs[i].res);
	for (i = 0; i < NCASES; i++)
		fetch_result_release(&refs[i]);

	/* no requests at all */
	INT_EQ(fetch_many(reqs, 0, &mo, on_done, &dc, &e), 0, "fetch_many: zero requests");

	/* retries */
	{
		static const char *paths[] = {
			"/retry-after/hello.txt?n=1&after=1&t=a",
			"/retry-after/hello.txt?n=5&status=503&after=0&t=b",
			"/retry-after/hello.txt?n=1&after=3600&t=c",
			"/status/404",
		};
		struct fetch_req rq[4];
		static char urls[4][512];
		struct fetch_multi_opts rmo = { 4, 4, 3, 30 };

		memset(rq, 0, sizeof rq);
		for (i = 0; i < 4; i++) {
			snprintf(urls[i], sizeof urls[i], "%s", U(paths[i]));
			rq[i].url = urls[i];
			rq[i].opts.timeout = 10;
		}
		memset(&dc, 0, sizeof dc);
		rc = fetch_many(rq, 4, &rmo, on_done, &dc, &e);
		OK(rc == 0 && dc.calls == 4, "fetch_many retry: all done");
		OK(rq[0].rc == 0 && rq[0].tries == 2 && contains(rq[0].res.body.data, "hello"),
		   "fetch_many retry: 429 then success after Retry-After (rc %d, tries %d)",
		   rq[0].rc, rq[0].tries);
		OK(rq[1].rc == M2J_EHTTP && rq[1].res.status == 503 && rq[1].tries == 3,
		   "fetch_many retry: 503 gives up after 3 tries (tries %d)", rq[1].tries);
		OK(rq[2].rc == M2J_EHTTP && rq[2].tries == 1,
		   "fetch_many retry: Retry-After beyond the cap is not waited for");
		OK(rq[3].rc == M2J_EHTTP && rq[3].tries == 1, "fetch_many retry: 404 not retried");
		for (i = 0; i < 4; i++)
			fetch_result_release(&rq[i].res);
	}
}

int main(void)
{
	struct m2j_err e;
	struct buf feed = BUF_INIT(0);
	char real[PATH_MAX + 16];

	if (start_server("fixtures/http") != 0) {
		printf("SKIP: fetch: cannot start tests/server.py (python3 missing?)\n");
		stop_server();
		return 0;
	}
	if (fetch_global_init(&e) != 0) {
		OK(0, "fetch: global init: %s", e.msg);
		stop_server();
		return 1;
	}
	snprintf(real, sizeof real, "%s/feed.xml", fixdir);
	if (buf_read_file(&feed, real) != 0) {
		OK(0, "fetch: read fixture %s", real);
	} else {
		snprintf(file_url, sizeof file_url, "file://%s", real);
		snprintf(refused_url, sizeof refused_url, "http://127.0.0.1:%d/feed.xml",
		         closed_port());
		test_single(&feed);
		test_many();
	}
	buf_release(&feed);
	fetch_global_cleanup();
	stop_server();
	return HARNESS_END();
}
