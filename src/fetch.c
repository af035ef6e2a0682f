/* fetch.c - downloads with libcurl (see fetch.h).
 *
 * One `struct xfer` per transfer holds the easy handle and everything that
 * must outlive it (header list, error buffer).  xfer_setup configures an
 * easy handle from fetch_opts; xfer_finish turns curl's outcome into the
 * result and error record; both are shared by fetch_url (easy interface) and
 * fetch_many (multi interface with our own queue).
 */
#include "fetch.h"
#include "caps.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef M2J_VERSION
#define M2J_VERSION "dev"
#endif
#define UA_DEFAULT "medium2jekyll/" M2J_VERSION

struct xfer {
	CURL *h;
	struct curl_slist *hdrs;
	struct fetch_result *r;
	const char *url;
	size_t max;
	long timeout;
	long cur_status;   /* status of the response whose headers arrive */
	CURLcode cc;
	bool validator;    /* If-None-Match or If-Modified-Since sent */
	bool over;         /* body crossed (or announced more than) max */
	bool oom;
	char errbuf[CURL_ERROR_SIZE];
};

/* ---- small string helpers -------------------------------------------- */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Case-insensitive compare of n bytes of a with the NUL-terminated b. */
static bool name_is(const char *a, size_t n, const char *b)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!b[i] || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return b[n] == '\0';
}

static char *dupn(const char *s, size_t n)
{
	return strndup(s, n);
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static bool has_crlf(const char *s)
{
	return strchr(s, '\r') || strchr(s, '\n');
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- result ------------------------------------------------------------ */

void fetch_result_init(struct fetch_result *r)
{
	r->status = 0;
	buf_init(&r->body, 0);
	r->content_type = NULL;
	r->charset = NULL;
	r->etag = NULL;
	r->last_modified = NULL;
	r->retry_after = NULL;
	r->effective_url = NULL;
	r->cf_mitigated = false;
}

static void clear_headers(struct fetch_result *r)
{
	free(r->content_type);
	free(r->charset);
	free(r->etag);
	free(r->last_modified);
	free(r->retry_after);
	r->content_type = r->charset = r->etag = NULL;
	r->last_modified = r->retry_after = NULL;
	r->cf_mitigated = false;
}

void fetch_result_release(struct fetch_result *r)
{
	if (!r)
		return;
	clear_headers(r);
	free(r->effective_url);
	buf_release(&r->body);
	fetch_result_init(r);
}

/* ---- global ------------------------------------------------------------ */

int fetch_global_init(struct m2j_err *err)
{
	CURLcode cc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (cc != CURLE_OK)
		return m2j_err_set(err, M2J_EINTERNAL, "cannot initialise libcurl: %s",
		                   curl_easy_strerror(cc));
	return 0;
}

void fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- callbacks ----------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	size_t n = size * nmemb;

	if (n > x->max - x->r->body.len) {
		x->over = true;
		return 0;
	}
	if (buf_add(&x->r->body, p, n)) {
		x->oom = true;
		return 0;
	}
	return n;
}

/* "type/sub; charset=UTF-8" -> content_type "type/sub", charset "UTF-8". */
static int set_content_type(struct fetch_result *r, const char *v, size_t n)
{
	size_t i, t = 0;

	while (t < n && v[t] != ';')
		t++;
	{
		const char *s = v;
		size_t m = t;

		trim(&s, &m);
		r->content_type = dupn(s, m);
		if (!r->content_type)
			return -1;
		for (i = 0; i < m; i++)
			r->content_type[i] = (char)lower((unsigned char)r->content_type[i]);
	}
	while (t < n) {
		const char *s;
		size_t m, e;

		t++; /* past ';' */
		s = v + t;
		m = 0;
		while (t + m < n && v[t + m] != ';')
			m++;
		t += m;
		trim(&s, &m);
		for (e = 0; e < m && s[e] != '='; e++)
			;
		if (e < m) {
			const char *name = s, *val = s + e + 1;
			size_t nl = e, vl = m - e - 1;

			trim(&name, &nl);
			trim(&val, &vl);
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
				val++;
				vl -= 2;
			}
			if (name_is(name, nl, "charset") && vl && !r->charset) {
				r->charset = dupn(val, vl);
				if (!r->charset)
					return -1;
			}
		}
	}
	return 0;
}

static int set_str(char **dst, const char *v, size_t n)
{
	free(*dst);
	*dst = dupn(v, n);
	return *dst ? 0 : -1;
}

static size_t on_header(char *p, size_t size, size_t nmemb, void *ud)
{
	struct xfer *x = ud;
	struct fetch_result *r = x->r;
	size_t n = size * nmemb, c;
	const char *v;
	size_t vl;
	int bad = 0;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* a new response (redirect hop, 100 Continue...): start afresh */
		const char *s = memchr(p, ' ', n);
		long st = 0;

		clear_headers(r);
		if (s) {
			s++;
			while (s < p + n && *s >= '0' && *s <= '9' && st < 1000)
				st = st * 10 + (*s++ - '0');
		}
		x->cur_status = st;
		return n;
	}
	for (c = 0; c < n && p[c] != ':'; c++)
		;
	if (c == n)
		return n;
	v = p + c + 1;
	vl = n - c - 1;
	trim(&v, &vl);
	if (name_is(p, c, "content-type"))
		bad = set_content_type(r, v, vl);
	else if (name_is(p, c, "etag"))
		bad = set_str(&r->etag, v, vl);
	else if (name_is(p, c, "last-modified"))
		bad = set_str(&r->last_modified, v, vl);
	else if (name_is(p, c, "retry-after"))
		bad = set_str(&r->retry_after, v, vl);
	else if (name_is(p, c, "cf-mitigated"))
		r->cf_mitigated = true;
	else if (name_is(p, c, "content-length") && x->cur_status >= 200 &&
	         x->cur_status < 300) {
		/* Wire size: with Content-Encoding the decoded body is larger
		 * still, so refusing here never refuses a body that would fit. */
		char tmp[32], *end;
		unsigned long long len;

		if (vl && vl < sizeof tmp) {
			memcpy(tmp, v, vl);
			tmp[vl] = '\0';
			len = strtoull(tmp, &end, 10);
			if (*end == '\0' && tmp[0] != '-' && len > x->max) {
				x->over = true;
				return 0;
			}
		}
	}
	if (bad) {
		x->oom = true;
		return 0;
	}
	return n;
}

/* ---- one transfer -------------------------------------------------------- */

#define SET(opt, val) do { \
	if (curl_easy_setopt(x->h, (opt), (val)) != CURLE_OK) \
		goto setopt_failed; \
} while (0)

static void xfer_cleanup(struct xfer *x)
{
	if (x->h)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->hdrs);
	x->h = NULL;
	x->hdrs = NULL;
}

static int add_header(struct xfer *x, const char *name, const char *value)
{
	char line[1024];
	struct curl_slist *l;
	int len;

	if (!value || !*value || has_crlf(value))
		return 0; /* nothing (safe) to send */
	len = snprintf(line, sizeof line, "%s: %s", name, value);
	if (len < 0 || (size_t)len >= sizeof line)
		return 0; /* absurd validator: send none */
	l = curl_slist_append(x->hdrs, line);
	if (!l)
		return -1;
	x->hdrs = l;
	x->validator = true;
	return 0;
}

/* Initialises r and configures a new easy handle for url.  On failure
 * everything is freed and err filled. */
static int xfer_setup(struct xfer *x, const char *url, const struct fetch_opts *o,
                      struct fetch_result *r, struct m2j_err *err)
{
	long timeout = o && o->timeout > 0 ? o->timeout : CAP_TIMEOUT_DEFAULT;
	long ctimeout = o && o->connect_timeout > 0 ? o->connect_timeout
	                                            : CAP_CONNECT_TIMEOUT_DEFAULT;
	const char *ua = o && o->user_agent ? o->user_agent : UA_DEFAULT;

	memset(x, 0, sizeof *x);
	x->r = r;
	x->url = url;
	x->max = o && o->max_size ? o->max_size : CAP_FEED_SIZE_DEFAULT;
	x->timeout = timeout;
	fetch_result_init(r);
	buf_init(&r->body, x->max);
	if (!url || !*url)
		return m2j_err_set(err, M2J_EUSAGE, "empty URL");
	x->h = curl_easy_init();
	if (!x->h)
		return m2j_err_set(err, M2J_ENOMEM, "cannot create a curl handle");
	if (o && (add_header(x, "If-None-Match", o->if_none_match) ||
	          add_header(x, "If-Modified-Since", o->if_modified_since))) {
		xfer_cleanup(x);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory");
	}
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	SET(CURLOPT_URL, url);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_NOPROGRESS, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
	SET(CURLOPT_PROTOCOLS_STR, "http,https,file");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FILE));
	SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, (long)CAP_REDIRECTS);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_USERAGENT, ua);
	SET(CURLOPT_TIMEOUT, timeout);
	SET(CURLOPT_CONNECTTIMEOUT, ctimeout);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, (void *)x);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, (void *)x);
	SET(CURLOPT_PRIVATE, (void *)x);
	if (x->max < (size_t)INT64_MAX)
		SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max);
	if (x->hdrs)
		SET(CURLOPT_HTTPHEADER, x->hdrs);
	return 0;
setopt_failed:
	xfer_cleanup(x);
	return m2j_err_set(err, M2J_EINTERNAL, "cannot configure curl for %s", url);
}

static bool is_redirect(long st)
{
	return st == 301 || st == 302 || st == 303 || st == 307 || st == 308;
}

/* Fills r->status, r->effective_url and err from the outcome x->cc. */
static int xfer_finish(struct xfer *x, struct m2j_err *err)
{
	struct fetch_result *r = x->r;
	const char *detail, *where;
	char *eff = NULL;
	long status = 0, nredir = 0;

	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(x->h, CURLINFO_REDIRECT_COUNT, &nredir);
	r->status = status;
	if (curl_easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff) {
		r->effective_url = dupn(eff, strlen(eff));
		if (!r->effective_url)
			x->oom = true;
	}
	where = r->effective_url ? r->effective_url : x->url;
	detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->cc);
	if (x->oom) {
		buf_release(&r->body);
		return m2j_err_set(err, M2J_ENOMEM, "out of memory fetching %s", x->url);
	}
	if (x->over || x->cc == CURLE_FILESIZE_EXCEEDED) {
		buf_release(&r->body);
		return m2j_err_set(err, M2J_ELIMIT, "body exceeds %zu bytes (%s)",
		                   x->max, where);
	}
	if (x->cc != CURLE_OK) {
		buf_release(&r->body);
		switch (x->cc) {
		case CURLE_TOO_MANY_REDIRECTS:
			return m2j_err_set(err, M2J_EFETCH,
			                   "too many redirects (more than %d) from %s",
			                   CAP_REDIRECTS, x->url);
		case CURLE_UNSUPPORTED_PROTOCOL:
			if (nredir > 0 || is_redirect(status))
				return m2j_err_set(err, M2J_EFETCH,
				                   "redirect to a disallowed protocol: %s (from %s)",
				                   where, x->url);
			return m2j_err_set(err, M2J_EFETCH,
			                   "unsupported protocol in %s (only http, https "
			                   "and file are allowed)", x->url);
		case CURLE_OPERATION_TIMEDOUT:
			return m2j_err_set(err, M2J_EFETCH, "timed out after %ld s fetching %s (%s)",
			                   x->timeout, where, detail);
		default:
			/* the caller names the URL it asked for */
			if (strcmp(where, x->url) == 0)
				return m2j_err_set(err, M2J_EFETCH, "cannot fetch: %s", detail);
			return m2j_err_set(err, M2J_EFETCH, "cannot fetch %s: %s", where, detail);
		}
	}
	if (status == 0) /* file:// */
		return 0;
	if (status == 304 && x->validator) {
		buf_release(&r->body);
		return 0;
	}
	if (status < 200 || status > 299)
		return m2j_err_set(err, M2J_EHTTP, "HTTP %ld from %s", status, where);
	return 0;
}

int fetch_url(const char *url, const struct fetch_opts *o,
              struct fetch_result *r, struct m2j_err *err)
{
	struct xfer x;
	int rc;

	rc = xfer_setup(&x, url, o, r, err);
	if (rc)
		return rc;
	x.cc = curl_easy_perform(x.h);
	rc = xfer_finish(&x, err);
	xfer_cleanup(&x);
	return rc;
}

/* ---- many transfers ------------------------------------------------------ */

enum { ST_PENDING, ST_ACTIVE, ST_DONE };

struct rstate {
	char *host;       /* lower-case host of the URL, "" when unknown */
	double not_before;
	unsigned char st;
};

struct slot {
	struct xfer x;
	size_t idx;
	bool busy;
};

struct many {
	struct fetch_req *reqs;
	struct rstate *rs;
	struct slot *slots;
	size_t n, lo, left;
	int conc, per_host, max_tries;
	double start, budget;
	CURLM *m;
	void (*done)(struct fetch_req *, void *);
	void *ctx;
};

static char *host_of(const char *url)
{
	CURLU *u = curl_url();
	char *h = NULL, *out;
	size_t i;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK)
		curl_url_get(u, CURLUPART_HOST, &h, 0);
	out = dupn(h ? h : "", h ? strlen(h) : 0);
	if (out)
		for (i = 0; out[i]; i++)
			out[i] = (char)lower((unsigned char)out[i]);
	curl_free(h);
	curl_url_cleanup(u);
	return out;
}

static int host_busy(const struct many *M, const char *host)
{
	int i, k = 0;

	for (i = 0; i < M->conc; i++)
		if (M->slots[i].busy && strcmp(M->rs[M->slots[i].idx].host, host) == 0)
			k++;
	return k;
}

static void finalize(struct many *M, size_t i)
{
	M->rs[i].st = ST_DONE;
	M->left--;
	while (M->lo < M->n && M->rs[M->lo].st == ST_DONE)
		M->lo++;
	if (M->done)
		M->done(&M->reqs[i], M->ctx);
}

static bool transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* Seconds to wait before retrying request i, or -1 for no retry. */
static double retry_delay(const struct many *M, const struct fetch_req *q, CURLcode cc)
{
	double d = -1;
	long st = q->res.status;

	if (q->tries >= M->max_tries)
		return -1;
	if (q->rc == M2J_EHTTP && (st == 429 || st == 503)) {
		d = 1;
		if (q->res.retry_after) {
			const char *s = q->res.retry_after;
			char *end;
			long v = strtol(s, &end, 10);

			if (end != s && *end == '\0' && v >= 0) {
				d = (double)v;
			} else {
				time_t t = curl_getdate(s, NULL);
				time_t now = time(NULL);

				if (t != (time_t)-1)
					d = t > now ? (double)(t - now) : 0;
			}
		}
		if (d > CAP_RETRY_AFTER_MAX)
			return -1;
	} else if ((q->rc == M2J_EHTTP && (st == 502 || st == 504)) ||
	           (q->rc == M2J_EFETCH && transient(cc))) {
		d = (double)(1L << (q->tries - 1 < 8 ? q->tries - 1 : 8));
	}
	if (d < 0 || now_s() + d - M->start > M->budget)
		return -1;
	return d;
}

/* Starts pending requests while slots are free.  Returns 0 or an M2J code
 * for a multi failure. */
static int fill(struct many *M, double now)
{
	size_t i;
	int s, active = 0;

	for (s = 0; s < M->conc; s++)
		active += M->slots[s].busy;
	for (i = M->lo; i < M->n && active < M->conc; i++) {
		struct fetch_req *q = &M->reqs[i];
		struct slot *sl = NULL;

		if (M->rs[i].st != ST_PENDING || M->rs[i].not_before > now)
			continue;
		if (host_busy(M, M->rs[i].host) >= M->per_host)
			continue;
		for (s = 0; s < M->conc; s++)
			if (!M->slots[s].busy) {
				sl = &M->slots[s];
				break;
			}
		if (!sl)
			break;
		m2j_err_clear(&q->err);
		q->tries++;
		q->rc = xfer_setup(&sl->x, q->url, &q->opts, &q->res, &q->err);
		if (q->rc) {
			finalize(M, i);
			continue;
		}
		curl_easy_setopt(sl->x.h, CURLOPT_PIPEWAIT, 1L);
		if (curl_multi_add_handle(M->m, sl->x.h) != CURLM_OK) {
			xfer_cleanup(&sl->x);
			q->rc = m2j_err_set(&q->err, M2J_EINTERNAL,
			                    "cannot queue the transfer of %s", q->url);
			finalize(M, i);
			continue;
		}
		sl->busy = true;
		sl->idx = i;
		M->rs[i].st = ST_ACTIVE;
		active++;
	}
	return 0;
}

static void complete(struct many *M, CURL *h, CURLcode cc)
{
	struct slot *sl = NULL;
	struct fetch_req *q;
	double d;
	int s;

	for (s = 0; s < M->conc; s++)
		if (M->slots[s].busy && M->slots[s].x.h == h) {
			sl = &M->slots[s];
			break;
		}
	if (!sl)
		return;
	q = &M->reqs[sl->idx];
	sl->x.cc = cc;
	q->rc = xfer_finish(&sl->x, &q->err);
	curl_multi_remove_handle(M->m, h);
	xfer_cleanup(&sl->x);
	sl->busy = false;
	d = q->rc ? retry_delay(M, q, cc) : -1;
	if (d >= 0) {
		fetch_result_release(&q->res);
		M->rs[sl->idx].st = ST_PENDING;
		M->rs[sl->idx].not_before = now_s() + d;
		return;
	}
	finalize(M, sl->idx);
}

/* Milliseconds until the next delayed retry is due (capped at 1000). */
static int next_wake_ms(const struct many *M, double now)
{
	double best = 1.0;
	size_t i;

	for (i = M->lo; i < M->n; i++)
		if (M->rs[i].st == ST_PENDING && M->rs[i].not_before - now < best)
			best = M->rs[i].not_before - now;
	if (best < 0)
		best = 0;
	return (int)(best * 1000.0) + 1;
}

/* Ends every request not yet done with the same error. */
static void abandon(struct many *M, int code, const char *what)
{
	size_t i;
	int s;

	for (s = 0; M->slots && s < M->conc; s++)
		if (M->slots[s].busy) {
			curl_multi_remove_handle(M->m, M->slots[s].x.h);
			xfer_cleanup(&M->slots[s].x);
			M->slots[s].busy = false;
		}
	for (i = 0; i < M->n; i++) {
		struct fetch_req *q = &M->reqs[i];

		if (M->rs && M->rs[i].st == ST_DONE)
			continue;
		fetch_result_release(&q->res);
		q->rc = m2j_err_set(&q->err, code, "%s", what);
		if (M->rs)
			M->rs[i].st = ST_DONE;
		if (M->done)
			M->done(q, M->ctx);
	}
	M->left = 0;
}

int fetch_many(struct fetch_req *reqs, size_t n, const struct fetch_multi_opts *mo,
               void (*done)(struct fetch_req *req, void *ctx), void *ctx,
               struct m2j_err *err)
{
	struct many M;
	size_t i;
	int rc = 0;

	memset(&M, 0, sizeof M);
	M.reqs = reqs;
	M.n = M.left = n;
	M.done = done;
	M.ctx = ctx;
	M.conc = mo && mo->concurrency > 0 ? mo->concurrency : CAP_FETCH_CONCURRENCY_DEFAULT;
	M.per_host = mo && mo->per_host > 0 ? mo->per_host : CAP_FETCH_PER_HOST_DEFAULT;
	M.max_tries = mo && mo->max_tries > 1 ? mo->max_tries : 1;
	if (M.max_tries > CAP_FETCH_TRIES_MAX)
		M.max_tries = CAP_FETCH_TRIES_MAX;
	M.budget = mo && mo->budget_seconds > 0 ? (double)mo->budget_seconds
	                                        : (double)CAP_FETCH_BUDGET_DEFAULT;
	M.start = now_s();
	for (i = 0; i < n; i++) {
		fetch_result_init(&reqs[i].res);
		m2j_err_clear(&reqs[i].err);
		reqs[i].rc = 0;
		reqs[i].tries = 0;
	}
	if (n == 0)
		return 0;
	if ((size_t)M.conc > n)
		M.conc = (int)n;
	M.rs = calloc(n, sizeof *M.rs);
	M.slots = calloc((size_t)M.conc, sizeof *M.slots);
	M.m = curl_multi_init();
	if (!M.rs || !M.slots || !M.m) {
		rc = m2j_err_set(err, M2J_ENOMEM, "out of memory starting %zu downloads", n);
		goto out;
	}
	for (i = 0; i < n; i++) {
		M.rs[i].host = host_of(reqs[i].url ? reqs[i].url : "");
		if (!M.rs[i].host) {
			rc = m2j_err_set(err, M2J_ENOMEM, "out of memory starting %zu downloads", n);
			goto out;
		}
	}
	curl_multi_setopt(M.m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)M.conc);
	curl_multi_setopt(M.m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)M.per_host);
	curl_multi_setopt(M.m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);

	while (M.left > 0) {
		CURLMsg *msg;
		CURLMcode mc;
		int running = 0, queued;

		fill(&M, now_s());
		mc = curl_multi_perform(M.m, &running);
		if (mc == CURLM_OK) {
			while ((msg = curl_multi_info_read(M.m, &queued)) != NULL)
				if (msg->msg == CURLMSG_DONE)
					complete(&M, msg->easy_handle, msg->data.result);
			if (M.left == 0)
				break;
			fill(&M, now_s());
#if LIBCURL_VERSION_NUM >= 0x074200 /* 7.66.0 */
			mc = curl_multi_poll(M.m, NULL, 0, next_wake_ms(&M, now_s()), NULL);
#else
			mc = curl_multi_wait(M.m, NULL, 0, next_wake_ms(&M, now_s()), NULL);
#endif
		}
		if (mc != CURLM_OK) {
			rc = m2j_err_set(err, M2J_EINTERNAL, "curl multi: %s",
			                 curl_multi_strerror(mc));
			break;
		}
	}
out:
	if (rc)
		abandon(&M, rc, err ? err->msg : "download machinery failed");
	if (M.m)
		curl_multi_cleanup(M.m);
	if (M.rs)
		for (i = 0; i < n; i++)
			free(M.rs[i].host);
	free(M.rs);
	free(M.slots);
	return rc;
}
