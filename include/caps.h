/* caps.h - every size, time, depth and count limit, in one place. */
#ifndef M2J_CAPS_H
#define M2J_CAPS_H

/* Default cap of a struct buf whose max is 0. */
#define BUF_MAX_DEFAULT ((size_t)1 << 30)
/* Largest feed accepted, after decompression (--max-size default). */
#define CAP_FEED_SIZE_DEFAULT ((size_t)20 << 20)
/* Largest config or state file read. */
#define CAP_CONFIG_SIZE ((size_t)16 << 20)
/* Bytes of an existing post read when indexing the output folder: its
 * front matter must end within them (the body is never read). */
#define CAP_FRONT_MATTER ((size_t)1 << 20)
/* Largest existing post read whole (to compare it with what we would
 * write): any post we can write. */
#define CAP_POST_READ ((size_t)1 << 30)
/* Items taken from one feed; the rest are reported and ignored. */
#define CAP_FEED_ITEMS 100000
/* HTML element nesting rendered; deeper content is flattened. */
#define CAP_HTML_DEPTH 64
/* Bytes of a title kept. */
#define CAP_TITLE_LEN 2048
/* Slug length, in bytes, before the cut at a hyphen. */
#define CAP_SLUG_LEN 80
/* Longest file name written. */
#define CAP_NAME_LEN 255
/* Room for a post's base name: date, hyphen, slug or id, NUL. */
#define CAP_NAME_LEN_BASE (CAP_SLUG_LEN + 32)
/* Longest path handled. */
#define CAP_PATH_LEN 4096
/* Redirects followed. */
#define CAP_REDIRECTS 5
/* Default timeouts, seconds. */
#define CAP_TIMEOUT_DEFAULT 60
#define CAP_CONNECT_TIMEOUT_DEFAULT 10
/* Suffixes tried (-2, -3 ...) before giving up on a free file name. */
#define CAP_NAME_SUFFIXES 1000
/* Longest data: URL kept in an img (data:image/png|gif|jpeg|webp only). */
#define CAP_DATA_URL_LEN ((size_t)64 << 10)
/* Longest URL kept in a link, image or embed. */
#define CAP_URL_LEN ((size_t)16 << 10)

/* fetch_many defaults: transfers at once, per host, tries per request,
 * seconds of retry budget, and the longest Retry-After honoured. */
#define CAP_FETCH_CONCURRENCY_DEFAULT 8
#define CAP_FETCH_PER_HOST_DEFAULT 2
#define CAP_FETCH_TRIES_MAX 3
#define CAP_FETCH_BUDGET_DEFAULT 120
#define CAP_RETRY_AFTER_MAX 300

/* Largest sync state file read (10,000 posts take about 4 MB). */
#define CAP_STATE_SIZE ((size_t)256 << 20)
/* import-archive: largest member read (a post file is ~10-50 kB; bigger is
 * refused, zip bombs included), total bytes decompressed per archive,
 * members looked at, and folder depth walked. */
#define CAP_ARCHIVE_MEMBER_SIZE ((size_t)16 << 20)
#define CAP_ARCHIVE_TOTAL_SIZE ((size_t)1 << 30)
#define CAP_ARCHIVE_MEMBERS 200000
#define CAP_ARCHIVE_DEPTH 16

/* --download-images: largest image kept (bytes, after decompression), and
 * images registered per run (the rest stay remote URLs). */
#define CAP_IMAGE_SIZE ((size_t)20 << 20)
#define CAP_IMAGES 100000

#endif
