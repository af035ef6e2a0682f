/* cmd_convert.c - the convert command (see cmd_convert.h). */
#include "cmd_convert.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "caps.h"
#include "msg.h"

static void convert_warn(void *ctx, const char *what)
{
	(void)ctx;
	msg_warn("%s", what);
}
#include "cli.h"

static const char usage[] =
	"Usage: medium2jekyll convert [FILE]\n"
	"       medium2jekyll convert --batch IN_DIR OUT_DIR\n"
	"\n"
	"Converts one HTML document (FILE, or standard input when FILE is absent\n"
	"or -) and writes the Markdown body `import` would write on stdout.\n"
	"\n"
	"Options:\n"
	"      --batch IN_DIR OUT_DIR  convert every IN_DIR/NAME.html into\n"
	"                           OUT_DIR/NAME.md, in one process\n"
	"  -h, --help               this help\n"
	"      --version            print the version\n"
	"\n"
	"Exit status: 0 everything converted; 1 some file failed (named on\n"
	"stderr); 2 usage error.\n";

const char *const cmd_convert_help[] = { usage, NULL };

static int write_all(int fd, const char *p, size_t n, struct m2j_err *err)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return m2j_err_set(err, M2J_EIO, "write: %s", strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int convert_fd(int in, int outfd, const struct html2md_opts *o,
                      struct buf *html, struct buf *md, struct m2j_err *err)
{
	int rc;
	buf_reset(html);
	buf_reset(md);
	if (buf_read_fd(html, in) != 0)
		return m2j_err_set(err, html->too_big ? M2J_ELIMIT : M2J_EIO,
		                   "read: %s", html->too_big ? "input too large"
		                                             : strerror(errno));
	rc = html2md_convert(html->data, html->len, o, md, err);
	if (rc != 0)
		return rc;
	return write_all(outfd, md->data, md->len, err);
}

static int one_file(const char *in_path, const char *out_path,
                    const struct html2md_opts *o, struct buf *html,
                    struct buf *md, struct m2j_err *err)
{
	int in, out, rc;
	in = open(in_path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return m2j_err_set(err, M2J_EIO, "%s: %s", in_path, strerror(errno));
	out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	           0644);
	if (out < 0) {
		rc = m2j_err_set(err, M2J_EIO, "%s: %s", out_path, strerror(errno));
		close(in);
		return rc;
	}
	rc = convert_fd(in, out, o, html, md, err);
	close(in);
	if (close(out) != 0 && rc == 0)
		rc = m2j_err_set(err, M2J_EIO, "%s: %s", out_path, strerror(errno));
	if (rc != 0)
		m2j_err_prefix(err, "%s", in_path);
	return rc;
}

static int batch(const char *in_dir, const char *out_dir,
                 const struct html2md_opts *o, struct m2j_err *err)
{
	DIR *d = opendir(in_dir);
	struct dirent *e;
	struct buf html = BUF_INIT(CAP_FEED_SIZE_DEFAULT);
	struct buf md = BUF_INIT(0), inp = BUF_INIT(CAP_PATH_LEN),
	           outp = BUF_INIT(CAP_PATH_LEN);
	int failed = 0;

	if (!d) {
		m2j_err_set(err, M2J_EIO, "%s: %s", in_dir, strerror(errno));
		return 1;
	}
	if (mkdir(out_dir, 0755) != 0 && errno != EEXIST) {
		m2j_err_set(err, M2J_EIO, "%s: %s", out_dir, strerror(errno));
		closedir(d);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n <= 5 || strcmp(e->d_name + n - 5, ".html") != 0)
			continue;
		buf_reset(&inp);
		buf_reset(&outp);
		buf_addf(&inp, "%s/%s", in_dir, e->d_name);
		buf_addf(&outp, "%s/%.*s.md", out_dir, (int)(n - 5), e->d_name);
		if (inp.failed || outp.failed) {
			m2j_err_set(err, M2J_ELIMIT, "path too long: %s", e->d_name);
			failed = 1;
			continue;
		}
		if (one_file(inp.data, outp.data, o, &html, &md, err) != 0)
			failed = 1;
	}
	closedir(d);
	buf_release(&html);
	buf_release(&md);
	buf_release(&inp);
	buf_release(&outp);
	return failed;
}

int cmd_convert(int argc, char **argv, const struct html2md_opts *o,
                struct m2j_err *err)
{
	struct buf html = BUF_INIT(CAP_FEED_SIZE_DEFAULT), md = BUF_INIT(0);
	struct html2md_opts dflt = { .warn = convert_warn };
	int in = 0, rc;

	if (!o)
		o = &dflt; /* warnings (nesting too deep) still reach stderr */
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		return cli_help(cmd_convert_help);
	if (argc == 2 && strcmp(argv[1], "--version") == 0)
		return cli_version();
	if (argc >= 2 && strcmp(argv[1], "--batch") == 0) {
		if (argc != 4) {
			m2j_err_set(err, M2J_EUSAGE,
			            "--batch needs IN_DIR and OUT_DIR");
			return 2;
		}
		return batch(argv[2], argv[3], o, err);
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		m2j_err_set(err, M2J_EUSAGE, "one FILE at most, and no option but --batch");
		return 2;
	}
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		in = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			m2j_err_set(err, M2J_EIO, "%s: %s", argv[1], strerror(errno));
			return 1;
		}
	}
	rc = convert_fd(in, 1, o, &html, &md, err);
	if (in != 0)
		close(in);
	buf_release(&html);
	buf_release(&md);
	return rc == 0 ? 0 : 1;
}
