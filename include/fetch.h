/* fetch.h - downloads with libcurl.  The only module that includes curl.h.
 *
 * Protocols: http, https and file; redirects (at most CAP_REDIRECTS) only to
 * http and https.  gzip/deflate accepted; the body is capped at max_size
 * after decompression and the transfer is abandoned as soon as it crosses it
 * (also refused at once when Content-Length announces more), so memory stays
 * bounded for endless bodies and gzip bombs.
 *
 * Ownership: every string in struct fetch_result is owned by the result and
 * freed by fetch_result_release; the body buffer too.  Strings in struct
 * fetch_opts and fetch_req.url are borrowed for the duration of the call.
 * Curl handles, header lists and error buffers are internal to fetch.c.
 */
#ifndef M2J_FETCH_H
#define M2J_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

struct fetch_opts {
	long timeout;          /* seconds for the whole transfer; 0 = default */
	long connect_timeout;  /* seconds; 0 = default */
	size_t max_size;       /* bytes, after decompression; 0 = default */
	const char *user_agent;      /* NULL = "medium2jekyll/VERSION" */
	const char *if_none_match;   /* ETag to send, or NULL */
	const char *if_modified_since; /* Last-Modified value to send, or NULL */
};

/* Header fields are those of the last response (after redirects). */
struct fetch_result {
	long status;          /* HTTP status (0 for file://) */
	struct buf body;      /* decompressed; empty on 304 */
	char *content_type;   /* media type, lower case, no parameters; may be NULL */
	char *charset;        /* charset parameter of Content-Type, unquoted, may be NULL */
	char *etag;           /* as sent, quotes included; may be NULL */
	char *last_modified;  /* as sent; may be NULL */
	char *retry_after;    /* as sent (seconds or HTTP date); may be NULL */
	char *effective_url;  /* after redirects, may be NULL */
	bool cf_mitigated;    /* Cloudflare challenge header seen */
};

/* Wrap curl_global_init / curl_global_cleanup; call once from main. */
int fetch_global_init(struct m2j_err *err);
void fetch_global_cleanup(void);

void fetch_result_init(struct fetch_result *r);
/* Frees everything r owns and re-initialises it; safe to call twice. */
void fetch_result_release(struct fetch_result *r);

/* One blocking download.  Initialises *r itself (any previous content is
 * overwritten, not freed: release it first); the caller always releases r
 * with fetch_result_release, also after an error.  Returns 0 with r filled
 * when the transfer ended with a 2xx (or 304, when a validator was sent; the
 * body is then empty), or for a file:// URL that was read; otherwise an
 * error code with r->status still set:
 *   M2J_EHTTP  "HTTP 404 from URL" (the effective URL; the error page body
 *              is kept in r->body),
 *   M2J_ELIMIT "body exceeds N bytes (URL)" (body freed),
 *   M2J_EFETCH curl's message and the URL: timeouts, refused connections,
 *              "too many redirects (more than 5)", "redirect to a disallowed
 *              protocol", TLS and DNS errors (body freed),
 *   M2J_ENOMEM. */
int fetch_url(const char *url, const struct fetch_opts *o,
              struct fetch_result *r, struct m2j_err *err);

/* Many downloads at once (libcurl multi): at most `concurrency` transfers,
 * `per_host` per host (counted on the host of the URL as given), connections
 * reused and HTTP/2 multiplexed where the server offers it.  Each request is
 * filled in place exactly as fetch_url would fill it (res initialised by
 * fetch_many, released by the caller; rc and err set); `done` (may be NULL)
 * is called once per request as soon as its final result is known; it may
 * read, take or release req->res but must not call fetch_many.
 *
 * Retries (only when max_tries > 1): HTTP 429 and 503 wait for Retry-After
 * (seconds or HTTP date, at most CAP_RETRY_AFTER_MAX, 1 s when absent), 502,
 * 504 and transient connection errors (refused, reset, empty reply, partial
 * body) back off 1 s, 2 s...; a retry is only scheduled when it starts within
 * budget_seconds of the fetch_many call.  Timeouts are not retried.
 *
 * Returns 0 when every request was processed (look at each req->rc), or
 * M2J_ENOMEM / M2J_EINTERNAL when the multi machinery itself failed (the
 * requests not yet done then carry the same error). */
struct fetch_req {
	const char *url;        /* borrowed */
	struct fetch_opts opts; /* borrowed strings */
	struct fetch_result res;
	struct m2j_err err;
	int rc;                 /* as fetch_url's return */
	int tries;              /* transfers made for this request */
	void *user;
};

struct fetch_multi_opts {
	int concurrency;        /* <= 0: CAP_FETCH_CONCURRENCY_DEFAULT */
	int per_host;           /* <= 0: CAP_FETCH_PER_HOST_DEFAULT */
	int max_tries;          /* <= 1: no retry; capped at CAP_FETCH_TRIES_MAX */
	long budget_seconds;    /* <= 0: CAP_FETCH_BUDGET_DEFAULT */
};

int fetch_many(struct fetch_req *reqs, size_t n, const struct fetch_multi_opts *mo,
               void (*done)(struct fetch_req *req, void *ctx), void *ctx,
               struct m2j_err *err);

#endif
